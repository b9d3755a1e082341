##! A Zeek node in a mixed cluster whose broker is zmqc's (no proxy thread here). Prints what discovery raises,
##! flushed at once, so the test can wait for each line. XPUB_PORT and XSUB_PORT are the broker's ports
##! ("1234/tcp"); the layout is in cluster-layout.zeek in the working directory.
@load frameworks/cluster/backend/zeromq

redef exit_only_after_terminate = T;
redef Log::default_rotation_postprocessor_cmd = "";
redef Cluster::Backend::ZeroMQ::run_proxy_thread = F;
redef Cluster::Backend::ZeroMQ::listen_xpub_endpoint = "";
redef Cluster::Backend::ZeroMQ::listen_xsub_endpoint = "";
redef Cluster::Backend::ZeroMQ::connect_xsub_endpoint = fmt("tcp://127.0.0.1:%s", port_to_count(to_port(getenv("XPUB_PORT"))));
redef Cluster::Backend::ZeroMQ::connect_xpub_endpoint = fmt("tcp://127.0.0.1:%s", port_to_count(to_port(getenv("XSUB_PORT"))));

event Cluster::node_up(name: string, id: string)
	{
	print "node_up", name, id;
	flush_all();
	}

event Cluster::node_down(name: string, id: string)
	{
	print "node_down", name, id;
	flush_all();
	}

event zeek_init() &priority=-10
	{
	print "started", Cluster::node_id();
	flush_all();
	}
