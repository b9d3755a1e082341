##! CURVE keys from the test's environment (CURVE_SERVER_PUBLIC, CURVE_SERVER_SECRET, CURVE_CLIENT_PUBLIC,
##! CURVE_CLIENT_SECRET; unset = ""), as script variables, the way Zeek's two-nodes-encryption test sets them.
redef Cluster::Backend::ZeroMQ::curve_server_publickey = getenv("CURVE_SERVER_PUBLIC");
redef Cluster::Backend::ZeroMQ::curve_server_secretkey = getenv("CURVE_SERVER_SECRET");
redef Cluster::Backend::ZeroMQ::curve_client_publickey = getenv("CURVE_CLIENT_PUBLIC");
redef Cluster::Backend::ZeroMQ::curve_client_secretkey = getenv("CURVE_CLIENT_SECRET");
