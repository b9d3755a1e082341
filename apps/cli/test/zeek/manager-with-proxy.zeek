##! A Zeek manager running Zeek's own proxy thread on XPUB_PORT/XSUB_PORT, with CURVE keys from the environment:
##! the reference a zmqc broker is compared with.
@load frameworks/cluster/backend/zeromq
@load ./curve-keys

redef exit_only_after_terminate = T;
redef Log::default_rotation_postprocessor_cmd = "";

redef Cluster::Backend::ZeroMQ::listen_xpub_endpoint = fmt("tcp://127.0.0.1:%s", port_to_count(to_port(getenv("XPUB_PORT"))));
redef Cluster::Backend::ZeroMQ::listen_xsub_endpoint = fmt("tcp://127.0.0.1:%s", port_to_count(to_port(getenv("XSUB_PORT"))));
redef Cluster::Backend::ZeroMQ::connect_xsub_endpoint = fmt("tcp://127.0.0.1:%s", port_to_count(to_port(getenv("XPUB_PORT"))));
redef Cluster::Backend::ZeroMQ::connect_xpub_endpoint = fmt("tcp://127.0.0.1:%s", port_to_count(to_port(getenv("XSUB_PORT"))));

event zeek_init() &priority=-10
	{
	print "started";
	flush_all();
	}
