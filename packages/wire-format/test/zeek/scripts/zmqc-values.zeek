##! Shared by the wire-format interop scripts (test/zeek-events.test.ts).
##!
##! A Zeek manager of a one-node ZeroMQ cluster whose proxy listens on the ports the test reserved
##! (XPUB_PORT, XSUB_PORT; LOG_PULL_PORT is the manager's $p in cluster-layout.zeek), the test events,
##! one value of every broker type, and a deterministic rendering of each (sets and tables sorted).
##! test/zeek/catalog.ts holds the same values as zmqc Values; keep the two in step.

@load frameworks/cluster/backend/zeromq

redef Cluster::Backend::ZeroMQ::run_proxy_thread = T;
# As in Zeek's testing/btest/Files/zeromq/test-bootstrap.zeek: the node's XPUB connects to the proxy's XSUB
# and its XSUB to the proxy's XPUB.
const zmqc_xpub_endpoint = fmt("tcp://127.0.0.1:%s", port_to_count(to_port(getenv("XPUB_PORT"))));
const zmqc_xsub_endpoint = fmt("tcp://127.0.0.1:%s", port_to_count(to_port(getenv("XSUB_PORT"))));
redef Cluster::Backend::ZeroMQ::listen_xpub_endpoint = zmqc_xpub_endpoint;
redef Cluster::Backend::ZeroMQ::listen_xsub_endpoint = zmqc_xsub_endpoint;
redef Cluster::Backend::ZeroMQ::connect_xpub_endpoint = zmqc_xsub_endpoint;
redef Cluster::Backend::ZeroMQ::connect_xsub_endpoint = zmqc_xpub_endpoint;

# Stay up until the test is done with us (terminate() below); no archiver is installed.
redef exit_only_after_terminate = T;
redef Log::default_rotation_postprocessor_cmd = "";

module ZmqcTest;

export {
	## Zeek publishes its values here once the test subscribes (publish-*.zeek).
	const values_topic = "zmqc.test.values." &redef;
	## Zeek subscribes here and renders what the test sends (receive-values.zeek).
	const to_zeek_topic = "zmqc.test.to-zeek." &redef;

	type Inner: record {
		a: count;
		b: string &optional;
	};

	type Info: record {
		name: string;
		n: count;
		opt: string &optional;
		d: count &default=5;
		inner: Inner &optional;
		vec: vector of string &optional;
		at: time &optional;
	};

	global bools: event(t: bool, f: bool);
	global counts: event(zero: count, answer: count, max: count);
	global ints: event(neg: int, answer: int, min: int, max: int);
	global doubles: event(a: double, negzero: double, pinf: double, ninf: double, nan: double,
	                      subnormal: double, big: double, tenth: double);
	global strings: event(ascii: string, utf8: string, bytes: string, empty: string);
	global addrs: event(v4: addr, v6: addr, loopback6: addr, mapped: addr);
	global subnets: event(v4: subnet, v6: subnet, v4_host_bits: subnet, v6_host_bits: subnet, all: subnet);
	global ports: event(t: port, u: port, i: port, unknown: port, max: port);
	global times: event(t: time, iv: interval, neg: interval, zero: interval);
	global enums: event(node_type: Cluster::NodeType, proto: transport_proto);
	global string_set: event(s: set[string]);
	global addr_set: event(s: set[addr]);
	global subnet_set: event(s: set[subnet]);
	global port_set: event(s: set[port]);
	global composite_set: event(s: set[string, count]);
	global count_table: event(t: table[string] of count);
	global set_table: event(t: table[count] of set[string]);
	global composite_table: event(t: table[addr, port] of string);
	global string_vector: event(v: vector of string);
	global nested_vector: event(v: vector of vector of count);
	global record_arg: event(r: Info);
	global no_args: event();
	## An int parameter: the test sends it an int (accepted) and a count (rejected).
	global int_arg: event(v: int);
	## With network-timestamp metadata (publish-metadata.zeek).
	global with_metadata: event(s: string);
	## Zeek → test: the last event, with the number of value events before it.
	global end_of_values: event(n: count);
	## Test → Zeek: the last event; Zeek terminates.
	global done: event();

	## The values, as Zeek builds them from its own literals.
	global v_double_pinf = to_double("inf");
	global v_double_ninf = to_double("-inf");
	global v_double_nan = to_double("nan");
	global v_time = double_to_time(1700000000.123456);
	global v_string_set: set[string] = set("c", "", "b", "aa", "B", "a");
	global v_addr_set: set[addr] = set(10.0.0.1, [2001:db8::1], 1.2.3.4, [::1]);
	global v_subnet_set: set[subnet] = set(10.0.0.0/8, 10.0.0.0/16, 10.1.0.0/16, [2001:db8::]/32, 0.0.0.0/0,
	                                       [::]/0);
	global v_port_set: set[port] = set(80/tcp, 80/udp, 53/udp, 443/tcp, 0/unknown, 8/icmp, 65535/tcp);
	global v_composite_set: set[string, count] = { ["b", 1], ["a", 10], ["a", 2], ["", 0] };
	global v_count_table: table[string] of count = { ["y"] = 2, ["x"] = 1, ["aa"] = 3, [""] = 0 };
	global v_set_table: table[count] of set[string] = { [10] = set("a"), [1] = set("y", "x"), [2] = set() };
	global v_composite_table: table[addr, port] of string = {
		[10.0.0.1, 80/tcp] = "web",
		[10.0.0.1, 53/udp] = "dns",
		[[2001:db8::1], 443/tcp] = "tls",
	};
	global v_string_vector: vector of string = vector("b", "a", "", "b");
	global v_nested_vector: vector of vector of count = vector(vector(1, 2), vector(), vector(3));
	global v_record: Info = [$name="x", $n=1, $inner=[$a=7], $vec=vector("p", "q")];

	## Publishes every value event to topic, then end_of_values.
	global publish_values: function(topic: string);
}

function publish_values(topic: string)
	{
	local n = 0;
	Cluster::publish(topic, bools, T, F); ++n;
	Cluster::publish(topic, counts, 0, 42, 18446744073709551615); ++n;
	Cluster::publish(topic, ints, -42, +42, -9223372036854775807 - 1, +9223372036854775807); ++n;
	Cluster::publish(topic, doubles, 1.5, -0.0, v_double_pinf, v_double_ninf, v_double_nan, 5e-324, 1e300,
	                 0.1); ++n;
	Cluster::publish(topic, strings, "hello", "grüße ✓", "a\x00\xffb", ""); ++n;
	Cluster::publish(topic, addrs, 192.0.2.1, [2001:db8::1], [::1], [::ffff:1.2.3.4]); ++n;
	Cluster::publish(topic, subnets, 10.0.0.0/8, [2001:db8::]/32, 192.168.1.77/24, [2001:db8::1]/64,
	                 0.0.0.0/0); ++n;
	Cluster::publish(topic, ports, 443/tcp, 53/udp, 8/icmp, 0/unknown, 65535/tcp); ++n;
	Cluster::publish(topic, times, v_time, 1.5sec, -2.25min, 0sec); ++n;
	Cluster::publish(topic, enums, Cluster::WORKER, tcp); ++n;
	Cluster::publish(topic, string_set, v_string_set); ++n;
	Cluster::publish(topic, addr_set, v_addr_set); ++n;
	Cluster::publish(topic, subnet_set, v_subnet_set); ++n;
	Cluster::publish(topic, port_set, v_port_set); ++n;
	Cluster::publish(topic, composite_set, v_composite_set); ++n;
	Cluster::publish(topic, count_table, v_count_table); ++n;
	Cluster::publish(topic, set_table, v_set_table); ++n;
	Cluster::publish(topic, composite_table, v_composite_table); ++n;
	Cluster::publish(topic, string_vector, v_string_vector); ++n;
	Cluster::publish(topic, nested_vector, v_nested_vector); ++n;
	Cluster::publish(topic, record_arg, v_record); ++n;
	Cluster::publish(topic, no_args); ++n;
	Cluster::publish(topic, int_arg, +42); ++n;
	Cluster::publish(topic, end_of_values, n);
	}
