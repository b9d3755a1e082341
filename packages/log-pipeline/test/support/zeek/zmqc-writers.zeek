##! The writer tests' Zeek (test/writers-zeek.test.ts): a MANAGER of a one-node ZeroMQ cluster whose LOGGER is
##! the test's PULL socket. It logs locally (Zeek's own TSV and JSON files in its working directory) and
##! remotely (zeek-bin-serializer batches to the test) at the same time, so the test gets Zeek's files and the
##! batches of exactly the same records, set order included. test/support/writers-records.ts builds the same
##! columns and records as zmqc LogValues; keep the two in step.
##!
##! ZmqcWriters::LOG is conn-like (ts, uid, a nested id record, proto, optional service/duration/bytes) with a
##! column of every loggable type; make_info(i) picks values from the lists below by i. Each filter writes the
##! same records to its own path with the LogAscii options of its $config. ZmqcWriters::FIRST_LOG has a string
##! first column, for the rule that a line starting with the meta prefix gets its first byte escaped.

@load frameworks/cluster/backend/zeromq

module ZmqcWriters;

const zmqc_xpub_endpoint = fmt("tcp://127.0.0.1:%s", port_to_count(to_port(getenv("XPUB_PORT"))));
const zmqc_xsub_endpoint = fmt("tcp://127.0.0.1:%s", port_to_count(to_port(getenv("XSUB_PORT"))));
redef Cluster::Backend::ZeroMQ::listen_xpub_endpoint = zmqc_xpub_endpoint;
redef Cluster::Backend::ZeroMQ::listen_xsub_endpoint = zmqc_xsub_endpoint;
redef Cluster::Backend::ZeroMQ::connect_xpub_endpoint = zmqc_xsub_endpoint;
redef Cluster::Backend::ZeroMQ::connect_xsub_endpoint = zmqc_xpub_endpoint;
# Give the PUSH socket time to deliver the batches it sends at termination.
redef Cluster::Backend::ZeroMQ::linger_ms = 10000;

# Both: Zeek's own files, and the batches to the test's PULL socket.
redef Log::enable_local_logging = T;
redef Log::enable_remote_logging = T;
# One file per path, never rotated (not even at shutdown).
redef Log::default_rotation_interval = 0secs;
redef Log::default_rotation_postprocessor_cmd = "";

export {
	redef enum Log::ID += { LOG, FIRST_LOG };

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
		local_orig: bool &log &optional;
		n: int &log;
		d: double &log;
		s: string &log;
		sn: subnet &log;
		tags: set[string] &log;
		hosts: set[addr] &log;
		ports: set[port] &log;
		protos: set[transport_proto] &log;
		nets: set[subnet] &log;
		counts: vector of count &log;
		words: vector of string &log;
		doubles: vector of double &log;
		times: vector of time &log;
		f: file &log;
		fn: function(s: string): string &log &optional;
		tunnel_parents: set[string] &log &optional;
	};

	type First: record {
		first: string &log;
		rest: set[string] &log;
	};

	## How many records make_info writes.
	const records = 58;
}

function echo(s: string): string
	{
	return s;
	}

const nan = to_double("nan");
const inf = to_double("inf");

const strings: vector of string = vector("plain", "", "-", "(empty)", "tab\there", "comma,here", "back\\slash",
	"new\nline", "ctl\x01\x7f", "ünïcödé ✓ 𝄞 日本", "bad\xffbyte", "grüße ✓\xff", "ü\tü", "ü\\ü\x01", "#hash",
	"\"quoted\"", "\x00nul", "private\xee\x80\x80", "repl\xef\xbf\xbd", "nel\xc2\x85", "surrogate\xed\xa0\x80",
	"emoji\xf0\x9f\x98\x80", "bs\x08ff\x0ccr\x0d", "(empty)x", "--", "\\x41", "trunc\xe2\x82", " lead and trail ",
	"a\x1fb");

const doubles: vector of double = vector(0.1, 1e20, 1e-7, -0.0, nan, inf, -inf, 0.0078125, 1e21,
	123456789.123456789, -1e-7, 5e-10, 2.0, 1e300, 5e-324, 1.7976931348623157e308, 0.9999995, -2.5, 3e-5,
	1000000000000000.3);

const times: vector of double = vector(1700000000.25, 0.0, -1.25, 1e10, 0.9999996, 1700000000.123456789, 1e200,
	nan, inf, -inf, inf - inf, 1699999999.9999996, 253402300800.5);

const intervals: vector of double = vector(-1.5, -0.000001, 0.0, 86400.5, -0.0, 1e-7, 3600.0);

const ints: vector of int = vector(-9223372036854775807 - 1, +9223372036854775807, +0, -1, +42);

const counts: vector of count = vector(18446744073709551615, 0, 9007199254740993, 1000003);

const ports: vector of port = vector(0/tcp, 65535/udp, 8/icmp, 1/unknown, 443/tcp);

const addrs: vector of addr = vector(192.0.2.1, [2001:db8::1], [::], [::1], [::1.2.3.4], [::ffff:0:1.2.3.4],
	[1:0:0:1:0:0:0:1], [1:0:0:1:1:0:0:1], [fe80::abcd:0:0:1], [::ffff:1.2.3.4], 0.0.0.0, 255.255.255.255);

const subnets: vector of subnet = vector(10.0.0.0/8, [2001:db8::]/32, [::]/0, 0.0.0.0/0, 192.0.2.0/24,
	[::1.2.3.0]/120, [fe80::]/10);

const protos: vector of transport_proto = vector(tcp, udp, icmp, unknown_transport);

const files: vector of string = vector("plain.txt", "tab\tname.txt");

const firsts: vector of string = vector("#", "#x", "##", "-", "", "(empty)", "x#", "#\t");

function make_info(i: count): Info
	{
	local r = Info($ts=double_to_time(times[i % |times|]), $uid=fmt("C%d", i),
	               $id=Endpoint($orig_h=addrs[i % |addrs|], $orig_p=ports[i % |ports|],
	                            $resp_h=addrs[(i + 3) % |addrs|], $resp_p=ports[(i + 1) % |ports|]),
	               $proto=protos[i % |protos|], $n=ints[i % |ints|], $d=doubles[i % |doubles|],
	               $s=strings[i % |strings|], $sn=subnets[i % |subnets|], $tags=set(), $hosts=set(),
	               $ports=set(), $protos=set(), $nets=set(subnets[i % |subnets|]), $counts=vector(),
	               $words=vector(), $doubles=vector(doubles[i % |doubles|], doubles[(i + 1) % |doubles|]),
	               $times=vector(double_to_time(times[i % |times|])), $f=open(files[i % |files|]));

	if ( i % 3 != 0 )
		r$service = strings[i % |strings|];
	if ( i % 4 != 1 )
		r$duration = double_to_interval(intervals[i % |intervals|]);
	if ( i % 5 != 2 )
		r$orig_bytes = counts[i % |counts|];
	if ( i % 3 == 0 )
		r$local_orig = T;
	else if ( i % 3 == 1 )
		r$local_orig = F;

	local k = i % 4;
	if ( k == 1 )
		r$tags = set(strings[i % |strings|]);
	else if ( k == 2 )
		r$tags = set(strings[i % |strings|], strings[(i + 1) % |strings|], strings[(i + 2) % |strings|],
		             strings[(i + 3) % |strings|]);
	else if ( k == 3 )
		r$tags = set("", "-", "(empty)", "a,b", "a\tb");

	r$hosts = set(addrs[i % |addrs|], addrs[(i + 1) % |addrs|]);
	if ( i % 2 == 1 )
		r$ports = set(ports[i % |ports|], ports[(i + 2) % |ports|]);
	r$protos = i % 2 == 0 ? set(protos[i % |protos|]) : set(tcp, udp);
	if ( i % 5 != 4 )
		r$counts = vector(counts[i % |counts|], counts[(i + 1) % |counts|]);
	if ( i % 6 != 5 )
		r$words = vector(strings[i % |strings|], strings[(i + 5) % |strings|], "");
	if ( i % 7 == 0 )
		r$fn = echo;
	if ( i % 3 == 1 )
		r$tunnel_parents = set();
	else if ( i % 3 == 2 )
		r$tunnel_parents = set("CabC1", "CdeF2");
	return r;
	}

event zeek_init() &priority=-10
	{
	Log::create_stream(LOG, Log::Stream($columns=Info, $path="zmqc_writers"));
	local json = table(["use_json"] = "T");
	Log::add_filter(LOG, Log::Filter($name="json", $path="zmqc_writers_json", $config=json));
	Log::add_filter(LOG, Log::Filter($name="iso", $path="zmqc_writers_iso",
	                                 $config=table(["use_json"] = "T", ["json_timestamps"] = "JSON::TS_ISO8601")));
	Log::add_filter(LOG, Log::Filter($name="millis", $path="zmqc_writers_millis",
	                                 $config=table(["use_json"] = "T", ["json_timestamps"] = "JSON::TS_MILLIS")));
	Log::add_filter(LOG, Log::Filter($name="millis_unsigned", $path="zmqc_writers_millis_unsigned",
	                                 $config=table(["use_json"] = "T",
	                                               ["json_timestamps"] = "JSON::TS_MILLIS_UNSIGNED")));
	Log::add_filter(LOG, Log::Filter($name="unset", $path="zmqc_writers_unset",
	                                 $config=table(["use_json"] = "T", ["json_include_unset_fields"] = "T")));
	Log::add_filter(LOG, Log::Filter($name="tsv", $path="zmqc_writers_tsv", $config=table(["tsv"] = "T")));
	Log::add_filter(LOG, Log::Filter($name="ascii", $path="zmqc_writers_ascii",
	                                 $config=table(["enable_utf_8"] = "F")));
	local custom = table(["separator"] = "|", ["set_separator"] = ";", ["empty_field"] = "EMPTY",
	                     ["unset_field"] = "NONE", ["meta_prefix"] = "@@");
	Log::add_filter(LOG, Log::Filter($name="custom", $path="zmqc_writers_custom", $config=custom));

	Log::create_stream(FIRST_LOG, Log::Stream($columns=First, $path="zmqc_writers_first"));
	Log::add_filter(FIRST_LOG, Log::Filter($name="custom", $path="zmqc_writers_first_custom", $config=custom));

	local i = 0;
	while ( i < records )
		{
		Log::write(LOG, make_info(i));
		++i;
		}
	for ( j in firsts )
		Log::write(FIRST_LOG, First($first=firsts[j], $rest=set(firsts[j])));

	# Termination flushes every writer: Zeek's files get their #close, the batches go to the test.
	terminate();
	}
