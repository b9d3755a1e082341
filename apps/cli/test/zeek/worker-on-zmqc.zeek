##! A Zeek worker in a cluster whose manager (with the broker) and logger are zmqc's apps. It writes ZMQC_RECORDS
##! records to AppTest::LOG at startup; Zeek batches them to the logger (its PULL port is LOG_PULL_PORT) and sends
##! the rest at termination. It prints node_up / node_down as discovery raises them.
@load frameworks/cluster/backend/zeromq
@load ./curve-keys

redef exit_only_after_terminate = T;
redef Log::default_rotation_postprocessor_cmd = "";

# zmqc's manager runs the broker: no proxy thread here.
redef Cluster::Backend::ZeroMQ::run_proxy_thread = F;
redef Cluster::Backend::ZeroMQ::listen_xpub_endpoint = "";
redef Cluster::Backend::ZeroMQ::listen_xsub_endpoint = "";
redef Cluster::Backend::ZeroMQ::connect_xsub_endpoint = fmt("tcp://127.0.0.1:%s", port_to_count(to_port(getenv("XPUB_PORT"))));
redef Cluster::Backend::ZeroMQ::connect_xpub_endpoint = fmt("tcp://127.0.0.1:%s", port_to_count(to_port(getenv("XSUB_PORT"))));

# The layout (manager and logger-1 are zmqc's apps) is cluster-layout.zeek, which the test writes beside it.

module AppTest;

export {
	redef enum Log::ID += { LOG };
	type Info: record {
		ts: time &log;
		n: count &log;
		who: string &log;
		host: addr &log;
		service: port &log;
		tags: set[string] &log;
		note: string &log &optional;
	};
}

event zeek_init()
	{
	Log::create_stream(LOG, [$columns=Info, $path="app_test"]);
	local records = to_count(getenv("ZMQC_RECORDS"));
	local i = 0;
	while ( i < records )
		{
		local info = Info($ts=double_to_time(1764064800.0 + i), $n=i, $who=Cluster::node, $host=count_to_v4_addr(167772160 + i),
		                  $service=count_to_port(1024 + i, tcp), $tags=set("a", fmt("t%d", i % 3)));
		if ( i % 2 == 0 )
			info$note = fmt("even\t%d", i);
		Log::write(LOG, info);
		++i;
		}
	}

event Cluster::node_up(name: string, id: string)
	{
	print "node_up", name;
	flush_all();
	}

event Cluster::node_down(name: string, id: string)
	{
	print "node_down", name;
	flush_all();
	}
