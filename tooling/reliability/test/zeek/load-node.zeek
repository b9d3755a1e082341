##! A Zeek node in a mixed cluster under overload (zmqc's broker, no proxy thread here), with the HWMs of Zeek's
##! overload-worker-proxy-topic-drop test. Once FLOOD_PEER is up it publishes FLOOD_COUNT pings to the worker topic,
##! 500 per tick, as that test does. It consumes the pings it receives (counting gaps per sender), answers probes,
##! and every 100 ms prints its counters, flushed at once:
##!   stats, <published>, <xpub_drops>, <onloop_drops>, <consumed>, <gaps>, <disorder>, <flooded: T/F>
##! xpub_drops and onloop_drops are Zeek's own metrics (zeek_cluster_zeromq_{xpub,onloop}_drops_total), read with
##! Telemetry::collect_metrics as Zeek's btests do. XPUB_PORT and XSUB_PORT are the broker's ports ("1234/tcp");
##! the layout is in cluster-layout.zeek in the working directory.
@load base/frameworks/telemetry
@load frameworks/cluster/backend/zeromq

redef exit_only_after_terminate = T;
redef Log::default_rotation_postprocessor_cmd = "";
redef Cluster::Backend::ZeroMQ::run_proxy_thread = F;
redef Cluster::Backend::ZeroMQ::listen_xpub_endpoint = "";
redef Cluster::Backend::ZeroMQ::listen_xsub_endpoint = "";
redef Cluster::Backend::ZeroMQ::connect_xsub_endpoint = fmt("tcp://127.0.0.1:%s", port_to_count(to_port(getenv("XPUB_PORT"))));
redef Cluster::Backend::ZeroMQ::connect_xpub_endpoint = fmt("tcp://127.0.0.1:%s", port_to_count(to_port(getenv("XSUB_PORT"))));

# Zeek's overload-worker-proxy-topic-drop: batch 500, XPUB HWM batch/5, XSUB HWM and onloop queue batch/10.
const batch = 500;
redef Cluster::Backend::ZeroMQ::xpub_sndhwm = 100;
redef Cluster::Backend::ZeroMQ::xsub_rcvhwm = 50;
redef Cluster::Backend::ZeroMQ::onloop_queue_hwm = 50;

module Reliability;

export {
	global ping: event(sender: string, seq: count);
	global probe: event(from: string, n: count);
	global probe_reply: event(from: string, n: count);
}

const flood_count = to_count(getenv("FLOOD_COUNT"));
const flood_peer = getenv("FLOOD_PEER");

global published = 0;
global flooded = F;
global consumed = 0;
global gaps = 0;
global disorder = 0;
global last: table[string] of int &default=-1;

function metric(name: string): count
	{
	local ms = Telemetry::collect_metrics("zeek", name);
	return |ms| == 1 ? double_to_count(ms[0]$value) : 0;
	}

event tick()
	{
	local i = 0;
	while ( i < batch && published < flood_count )
		{
		Cluster::publish(Cluster::worker_topic, ping, Cluster::node, published);
		++published;
		++i;
		}
	if ( published < flood_count )
		schedule 0.1msec { tick() };
	else
		flooded = T;
	}

event ping(sender: string, seq: count)
	{
	local s: int = seq;
	local l = last[sender];
	if ( s <= l )
		++disorder;
	else
		{
		gaps += s - l - 1;
		last[sender] = s;
		}
	++consumed;
	}

event probe(from: string, n: count)
	{
	Cluster::publish(Cluster::node_topic(from), probe_reply, Cluster::node, n);
	}

event report()
	{
	print "stats", published, metric("cluster_zeromq_xpub_drops_total"), metric("cluster_zeromq_onloop_drops_total"),
	    consumed, gaps, disorder, flooded;
	flush_all();
	schedule 100msec { report() };
	}

event Cluster::node_up(name: string, id: string)
	{
	print "node_up", name, id;
	flush_all();
	if ( name == flood_peer )
		event tick();
	}

event zeek_init() &priority=-10
	{
	print "started", Cluster::node_id();
	flush_all();
	event report();
	}
