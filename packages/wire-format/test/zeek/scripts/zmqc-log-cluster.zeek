##! Shared by the log interop scripts (test/zeek-logs.test.ts): a node of a ZeroMQ cluster whose proxy listens
##! on the ports the test reserved (XPUB_PORT, XSUB_PORT). The test writes cluster-layout.zeek into the node's
##! working directory; its LOGGER's $p is the PULL port logs go to (the test's own PULL socket, or
##! log-logger.zeek's). Every node stays up until its script calls terminate().

@load frameworks/cluster/backend/zeromq
@load ./zmqc-log-stream

# As in Zeek's testing/btest/Files/zeromq/test-bootstrap.zeek: the node's XPUB connects to the proxy's XSUB
# and its XSUB to the proxy's XPUB.
const zmqc_xpub_endpoint = fmt("tcp://127.0.0.1:%s", port_to_count(to_port(getenv("XPUB_PORT"))));
const zmqc_xsub_endpoint = fmt("tcp://127.0.0.1:%s", port_to_count(to_port(getenv("XSUB_PORT"))));
redef Cluster::Backend::ZeroMQ::listen_xpub_endpoint = zmqc_xpub_endpoint;
redef Cluster::Backend::ZeroMQ::listen_xsub_endpoint = zmqc_xsub_endpoint;
redef Cluster::Backend::ZeroMQ::connect_xpub_endpoint = zmqc_xsub_endpoint;
redef Cluster::Backend::ZeroMQ::connect_xsub_endpoint = zmqc_xpub_endpoint;

redef exit_only_after_terminate = T;
# No archiver is installed.
redef Log::default_rotation_postprocessor_cmd = "";
