##! Shared by the cluster logging scripts (test/cluster-zeek.test.ts): a node of a ZeroMQ cluster whose manager
##! runs the proxy on the ports the test reserved (XPUB_PORT, XSUB_PORT). The test writes cluster-layout.zeek into
##! the node's working directory; its LOGGER's $p (LOG_PULL_PORT) is the PULL port every other node's logs go to:
##! a Zeek logger (cluster-logger.zeek) or a zmqc logger (startLogger). Nodes stay up until terminate().

@load frameworks/cluster/backend/zeromq
@load ./zmqc-cluster-stream

const zmqc_xpub_endpoint = fmt("tcp://127.0.0.1:%s", port_to_count(to_port(getenv("XPUB_PORT"))));
const zmqc_xsub_endpoint = fmt("tcp://127.0.0.1:%s", port_to_count(to_port(getenv("XSUB_PORT"))));
redef Cluster::Backend::ZeroMQ::listen_xpub_endpoint = zmqc_xpub_endpoint;
redef Cluster::Backend::ZeroMQ::listen_xsub_endpoint = zmqc_xsub_endpoint;
redef Cluster::Backend::ZeroMQ::connect_xpub_endpoint = zmqc_xsub_endpoint;
redef Cluster::Backend::ZeroMQ::connect_xsub_endpoint = zmqc_xpub_endpoint;

redef exit_only_after_terminate = T;
# No archiver is installed.
redef Log::default_rotation_postprocessor_cmd = "";
