##! The Zeek anchor of the latency case: worker-1 pings the manager through the forwarder (Zeek's own proxy thread
##! in the manager, or an outside one with ZEEK_PROXY_THREAD=F), one round trip at a time; the manager answers every
##! Bench::ping with a Bench::pong. The worker shakes hands first (a marked ping re-sent every 100 ms until its pong
##! is back), then runs BENCH_WARMUP unmeasured and BENCH_COUNT measured round trips and prints
##! "rtt-us <v>,<v>,…" (wall clock, microseconds).
@load frameworks/cluster/backend/zeromq

redef exit_only_after_terminate = T;
redef Log::default_rotation_postprocessor_cmd = "";
redef Cluster::Backend::ZeroMQ::run_proxy_thread = getenv("ZEEK_PROXY_THREAD") != "F" && Cluster::local_node_type() == Cluster::MANAGER;
redef Cluster::Backend::ZeroMQ::listen_xpub_endpoint = fmt("tcp://127.0.0.1:%s", port_to_count(to_port(getenv("XPUB_PORT"))));
redef Cluster::Backend::ZeroMQ::listen_xsub_endpoint = fmt("tcp://127.0.0.1:%s", port_to_count(to_port(getenv("XSUB_PORT"))));
redef Cluster::Backend::ZeroMQ::connect_xsub_endpoint = fmt("tcp://127.0.0.1:%s", port_to_count(to_port(getenv("XPUB_PORT"))));
redef Cluster::Backend::ZeroMQ::connect_xpub_endpoint = fmt("tcp://127.0.0.1:%s", port_to_count(to_port(getenv("XSUB_PORT"))));

module Bench;

export {
	global ping: event(sender: string, n: count);
	global pong: event(sender: string, n: count);
	global retry: event(n: count);
}

global total = to_count(getenv("BENCH_COUNT"));
global warmup = to_count(getenv("BENCH_WARMUP"));
global attempt = 0;
global shaken = F;
global next_seq = 0;
global sent_at: time;
global rtts: vector of string;

event zeek_init()
	{
	if ( Cluster::local_node_type() == Cluster::MANAGER )
		Cluster::subscribe("bench.ping");
	else
		Cluster::subscribe("bench.pong");
	}

event Bench::ping(sender: string, n: count)
	{
	Cluster::publish("bench.pong", Bench::pong, sender, n);
	}

function send_next()
	{
	sent_at = current_time();
	Cluster::publish("bench.ping", Bench::ping, "worker-1", next_seq);
	}

event Bench::retry(n: count)
	{
	if ( shaken || n != attempt )
		return;
	++attempt;
	Cluster::publish("bench.ping", Bench::ping, "handshake", attempt);
	schedule 100msec { Bench::retry(attempt) };
	}

event Bench::pong(sender: string, n: count)
	{
	if ( ! shaken )
		{
		if ( sender == "handshake" && n == attempt )
			{
			shaken = T;
			send_next();
			}
		return;
		}
	if ( sender != "worker-1" || n != next_seq )
		return;
	if ( next_seq >= warmup )
		rtts += fmt("%.1f", interval_to_double(current_time() - sent_at) * 1e6);
	++next_seq;
	if ( next_seq < warmup + total )
		send_next();
	else
		{
		print fmt("rtt-us %s", join_string_vec(rtts, ","));
		flush_all();
		}
	}

event Cluster::node_up(name: string, id: string)
	{
	print fmt("node_up %s", name);
	flush_all();
	if ( Cluster::local_node_type() == Cluster::WORKER && name == "manager" )
		{
		Cluster::publish("bench.ping", Bench::ping, "handshake", attempt);
		schedule 100msec { Bench::retry(attempt) };
		}
	}
