##! The Zeek anchor of the event benchmark: worker-1 publishes BENCH_COUNT Bench::ping events to the manager, which
##! runs Zeek's own proxy thread on XPUB_PORT/XSUB_PORT and prints "<received> <ms>" (first to last event). Lossless
##! as Zeek's overload-no-drop test: xpub_sndhwm=0 and onloop_queue_hwm=0. Events go out in chunks of 1000 per
##! event-loop turn, as Zeek scripts flood (overload-drop sends 500 per tick).
@load frameworks/cluster/backend/zeromq

redef exit_only_after_terminate = T;
redef Log::default_rotation_postprocessor_cmd = "";
redef Cluster::Backend::ZeroMQ::run_proxy_thread = getenv("ZEEK_PROXY_THREAD") != "F" && Cluster::local_node_type() == Cluster::MANAGER;
redef Cluster::Backend::ZeroMQ::xpub_sndhwm = 0;
redef Cluster::Backend::ZeroMQ::onloop_queue_hwm = 0;
redef Cluster::Backend::ZeroMQ::listen_xpub_endpoint = fmt("tcp://127.0.0.1:%s", port_to_count(to_port(getenv("XPUB_PORT"))));
redef Cluster::Backend::ZeroMQ::listen_xsub_endpoint = fmt("tcp://127.0.0.1:%s", port_to_count(to_port(getenv("XSUB_PORT"))));
redef Cluster::Backend::ZeroMQ::connect_xsub_endpoint = fmt("tcp://127.0.0.1:%s", port_to_count(to_port(getenv("XPUB_PORT"))));
redef Cluster::Backend::ZeroMQ::connect_xpub_endpoint = fmt("tcp://127.0.0.1:%s", port_to_count(to_port(getenv("XSUB_PORT"))));

module Bench;

export {
	global ping: event(sender: string, seq: count);
	global send_chunk: event(from: count);
}

const topic = "zeek.bench.events";
global total = to_count(getenv("BENCH_COUNT"));
global received = 0;
global first: time;

event zeek_init()
	{
	if ( Cluster::local_node_type() == Cluster::MANAGER )
		Cluster::subscribe(topic);
	}

event Bench::ping(sender: string, seq: count)
	{
	if ( received == 0 )
		first = current_time();
	++received;
	if ( received == total )
		{
		print fmt("%d %.3f", received, interval_to_double(current_time() - first) * 1000.0);
		flush_all();
		}
	}

event Bench::send_chunk(from: count)
	{
	local i = from;
	while ( i < total && i < from + 1000 )
		{
		Cluster::publish(topic, Bench::ping, Cluster::node, i);
		++i;
		}
	if ( i < total )
		event Bench::send_chunk(i);
	}

event Cluster::node_up(name: string, id: string)
	{
	print fmt("node_up %s", name);
	flush_all();
	if ( Cluster::local_node_type() == Cluster::WORKER && name == "manager" )
		event Bench::send_chunk(0);
	}
