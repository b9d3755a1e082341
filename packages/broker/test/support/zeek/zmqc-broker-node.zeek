##! A Zeek node of a ZeroMQ cluster whose XPUB/XSUB broker is zmqc's, not Zeek's proxy thread: what Zeek's
##! testing/btest/Files/zeromq/test-bootstrap.zeek sets up, with run_proxy_thread=F on every node (the manager
##! too) and the listen endpoints unset, as in Zeek's supervisor-runs-zmq-proxy test. XPUB_PORT and XSUB_PORT
##! are the broker's ports ("1234/tcp"): the node's XSUB connects to the broker's XPUB and its XPUB to the
##! broker's XSUB. The test writes cluster-layout.zeek into the node's working directory (on ZEEKPATH).

@load frameworks/cluster/backend/zeromq

redef Cluster::Backend::ZeroMQ::run_proxy_thread = F;
redef Cluster::Backend::ZeroMQ::listen_xpub_endpoint = "";
redef Cluster::Backend::ZeroMQ::listen_xsub_endpoint = "";
redef Cluster::Backend::ZeroMQ::connect_xpub_endpoint = fmt("tcp://127.0.0.1:%s", port_to_count(to_port(getenv("XSUB_PORT"))));
redef Cluster::Backend::ZeroMQ::connect_xsub_endpoint = fmt("tcp://127.0.0.1:%s", port_to_count(to_port(getenv("XPUB_PORT"))));

# As in supervisor-runs-zmq-proxy: half a handshake that never completes shows up as an "Expired …" warning.
redef Cluster::Backend::ZeroMQ::hello_expiration = 1 sec;
redef table_expire_interval = 1 sec;

redef exit_only_after_terminate = T;
# No archiver is installed.
redef Log::default_rotation_postprocessor_cmd = "";
