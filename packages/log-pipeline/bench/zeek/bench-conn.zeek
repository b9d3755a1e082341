##! The log benchmark's Zeek side (bench/zeek-loggers.ts): a node of a ZeroMQ cluster whose LOGGER's PULL port is
##! LOG_PULL_PORT (a Zeek logger or a zmqc logger), and ZmqcBench::LOG, a 20-column conn-like stream (the columns
##! of bench/conn.ts) with path "conn". A worker writes BENCH_RECORDS records at startup, prints "written", and
##! stays up until it is killed; a logger writes what it receives. No manager runs: logs go over PUSH/PULL only.

@load frameworks/cluster/backend/zeromq

const zmqc_xpub_endpoint = fmt("tcp://127.0.0.1:%s", port_to_count(to_port(getenv("XPUB_PORT"))));
const zmqc_xsub_endpoint = fmt("tcp://127.0.0.1:%s", port_to_count(to_port(getenv("XSUB_PORT"))));
redef Cluster::Backend::ZeroMQ::listen_xpub_endpoint = zmqc_xpub_endpoint;
redef Cluster::Backend::ZeroMQ::listen_xsub_endpoint = zmqc_xsub_endpoint;
redef Cluster::Backend::ZeroMQ::connect_xpub_endpoint = zmqc_xsub_endpoint;
redef Cluster::Backend::ZeroMQ::connect_xsub_endpoint = zmqc_xpub_endpoint;
# The worker queues every batch until the logger is there (no HWM drop): what is timed is the logger alone.
redef Cluster::Backend::ZeroMQ::log_sndhwm = 0;
redef exit_only_after_terminate = T;
redef Log::default_rotation_postprocessor_cmd = "";
redef Log::default_rotation_interval = 0 secs;

module ZmqcBench;

export {
	redef enum Log::ID += { LOG };

	type Endpoint: record {
		orig_h: addr &log;
		orig_p: port &log;
		resp_h: addr &log;
		resp_p: port &log;
	};

	type Info: record {
		ts: time &log;
		uid: string &log;
		id: Endpoint &log;
		proto: transport_proto &log;
		service: string &log &optional;
		duration: interval &log &optional;
		orig_bytes: count &log &optional;
		resp_bytes: count &log &optional;
		conn_state: string &log &optional;
		local_orig: bool &log &optional;
		missed_bytes: count &log;
		history: string &log &optional;
		orig_pkts: count &log &optional;
		orig_ip_bytes: count &log &optional;
		resp_pkts: count &log &optional;
		resp_ip_bytes: count &log &optional;
		tunnel_parents: set[string] &log &optional;
	};
}

event zeek_init()
	{
	Log::create_stream(LOG, Log::Stream($columns=Info, $path="conn"));
	}

@if ( Cluster::local_node_type() == Cluster::WORKER )
event zeek_init() &priority=-10
	{
	local n = to_count(getenv("BENCH_RECORDS"));
	local i = 0;
	while ( i < n )
		{
		local r = Info($ts=double_to_time(1764064800.0 + i * 0.001337), $uid=fmt("C%dx%d", i, i * 7919 % 100003),
		               $id=Endpoint($orig_h=count_to_v4_addr(167772160 + i * 2654435761 % 16777216),
		                            $orig_p=count_to_port(1024 + i * 7 % 60000, tcp),
		                            $resp_h=count_to_v4_addr(3221225984 + i % 256),
		                            $resp_p=count_to_port(443, tcp)),
		               $proto=tcp, $duration=double_to_interval(i % 100000 / 1000.0), $orig_bytes=i * 31 % 1000000,
		               $resp_bytes=i * 977 % 10000000, $conn_state="SF", $local_orig=T, $missed_bytes=0,
		               $history="ShADadFf", $orig_pkts=i % 1000, $orig_ip_bytes=i * 13 % 1000000,
		               $resp_pkts=i * 3 % 1000, $resp_ip_bytes=i * 1009 % 10000000);
		if ( i % 3 == 0 )
			r$service = "ssl";
		if ( i % 50 == 0 )
			r$tunnel_parents = set("CHhAvVGS1DHFjwGM9");
		Log::write(LOG, r);
		++i;
		}
	print "written";
	# stdout is a pipe: without this, "written" would wait in Zeek's buffer until exit.
	flush_all();
	}
@endif
