##! Test → Zeek: subscribe to ZmqcTest::to_zeek_topic and print one line per event the test sends,
##! "<event>|<Zeek's rendering of the arguments>|<same or DIFFERENT from …>", where same means the rendering
##! equals that of Zeek's own value from zmqc-values.zeek. Sets and tables are rendered sorted. int_arg prints
##! "int_arg|<value>:<type>". An event whose arguments do not convert to the handler's types never gets here:
##! Zeek's reporter logs "Unserialize error for event …" instead. ZmqcTest::done terminates Zeek.

@load ./zmqc-values

module ZmqcTest;

event zeek_init()
	{
	Cluster::subscribe(to_zeek_topic);
	}

function q(s: string): string
	{
	return cat("\"", s, "\"");
	}

function d(x: double): string
	{
	return fmt("%.17g", x);
	}

function sorted(v: vector of string): string
	{
	sort(v, strcmp);
	return cat("{", join_string_vec(v, ","), "}");
	}

function render_string_set(s: set[string]): string
	{
	local v: vector of string = vector();
	for ( e in s )
		v += q(e);
	return sorted(v);
	}

function render_addr_set(s: set[addr]): string
	{
	local v: vector of string = vector();
	for ( e in s )
		v += fmt("%s", e);
	return sorted(v);
	}

function render_subnet_set(s: set[subnet]): string
	{
	local v: vector of string = vector();
	for ( e in s )
		v += fmt("%s", e);
	return sorted(v);
	}

function render_port_set(s: set[port]): string
	{
	local v: vector of string = vector();
	for ( e in s )
		v += fmt("%s", e);
	return sorted(v);
	}

function render_composite_set(s: set[string, count]): string
	{
	local v: vector of string = vector();
	for ( [k, n] in s )
		v += fmt("[%s,%s]", q(k), n);
	return sorted(v);
	}

function render_count_table(t: table[string] of count): string
	{
	local v: vector of string = vector();
	for ( k, n in t )
		v += fmt("%s=%s", q(k), n);
	return sorted(v);
	}

function render_set_table(t: table[count] of set[string]): string
	{
	local v: vector of string = vector();
	for ( k, s in t )
		v += fmt("%s=%s", k, render_string_set(s));
	return sorted(v);
	}

function render_composite_table(t: table[addr, port] of string): string
	{
	local v: vector of string = vector();
	for ( [a, p], s in t )
		v += fmt("[%s,%s]=%s", a, p, q(s));
	return sorted(v);
	}

function render_string_vector(vs: vector of string): string
	{
	local v: vector of string = vector();
	for ( i in vs )
		v += q(vs[i]);
	return cat("[", join_string_vec(v, ","), "]");
	}

function show(name: string, rendered: string, expected: string)
	{
	print fmt("%s|%s|%s", name, rendered, rendered == expected ? "same" : cat("DIFFERENT from ", expected));
	}

event bools(t: bool, f: bool)
	{
	show("bools", fmt("%s,%s", t, f), "T,F");
	}

event counts(zero: count, answer: count, max: count)
	{
	show("counts", fmt("%s,%s,%s", zero, answer, max), fmt("%s,%s,%s", 0, 42, 18446744073709551615));
	}

event ints(neg: int, answer: int, min: int, max: int)
	{
	show("ints", fmt("%s:%s,%s:%s,%s,%s", neg, type_name(neg), answer, type_name(answer), min, max),
	     fmt("%s:int,%s:int,%s,%s", -42, +42, -9223372036854775807 - 1, +9223372036854775807));
	}

# No subnormal survives the wire: CAF's pack754 writes 5e-324 as fcd0000000000000 (its exponent wraps), and
# unpack754 reads that back as this normal number, in Zeek and in zmqc alike.
const packed_5e_324 = "-1.5966722476277758e+293";

event doubles(a: double, negzero: double, pinf: double, ninf: double, nan: double, subnormal: double,
              big: double, tenth: double)
	{
	show("doubles",
	     fmt("%s,%s,%s,%s,%s,%s,%s,%s", d(a), d(negzero), d(pinf), d(ninf), d(nan), d(subnormal),
	         d(big), d(tenth)),
	     fmt("%s,%s,%s,%s,%s,%s,%s,%s", d(1.5), d(-0.0), d(v_double_pinf), d(v_double_ninf), d(v_double_nan),
	         packed_5e_324, d(1e300), d(0.1)));
	}

event strings(ascii: string, utf8: string, bytes: string, empty: string)
	{
	show("strings", fmt("%s,%s,%s:%d,%s", q(ascii), q(utf8), q(bytes), |bytes|, q(empty)),
	     fmt("%s,%s,%s:%d,%s", q("hello"), q("grüße ✓"), q("a\x00\xffb"), 4, q("")));
	}

event addrs(v4: addr, v6: addr, loopback6: addr, mapped: addr)
	{
	show("addrs", fmt("%s,%s,%s,%s:v4=%s", v4, v6, loopback6, mapped, is_v4_addr(mapped)),
	     fmt("%s,%s,%s,%s:v4=%s", 192.0.2.1, [2001:db8::1], [::1], [::ffff:1.2.3.4], T));
	}

event subnets(v4: subnet, v6: subnet, v4_host_bits: subnet, v6_host_bits: subnet, all: subnet)
	{
	show("subnets", fmt("%s,%s,%s,%s,%s", v4, v6, v4_host_bits, v6_host_bits, all),
	     fmt("%s,%s,%s,%s,%s", 10.0.0.0/8, [2001:db8::]/32, 192.168.1.77/24, [2001:db8::1]/64, 0.0.0.0/0));
	}

event ports(t: port, u: port, i: port, unknown: port, max: port)
	{
	show("ports", fmt("%s,%s,%s,%s,%s", t, u, i, unknown, max),
	     fmt("%s,%s,%s,%s,%s", 443/tcp, 53/udp, 8/icmp, 0/unknown, 65535/tcp));
	}

event times(t: time, iv: interval, neg: interval, zero: interval)
	{
	show("times",
	     fmt("%.9f,%s,%s,%s", t, d(interval_to_double(iv)), d(interval_to_double(neg)),
	         d(interval_to_double(zero))),
	     fmt("%.9f,%s,%s,%s", v_time, d(1.5), d(-135.0), d(0.0)));
	}

event enums(node_type: Cluster::NodeType, proto: transport_proto)
	{
	show("enums", fmt("%s:%s,%s:%s", node_type, type_name(node_type), proto, type_name(proto)),
	     "Cluster::WORKER:Cluster::NodeType,tcp:transport_proto");
	}

event string_set(s: set[string])
	{
	show("string_set", render_string_set(s), render_string_set(v_string_set));
	}

event addr_set(s: set[addr])
	{
	show("addr_set", render_addr_set(s), render_addr_set(v_addr_set));
	}

event subnet_set(s: set[subnet])
	{
	show("subnet_set", render_subnet_set(s), render_subnet_set(v_subnet_set));
	}

event port_set(s: set[port])
	{
	show("port_set", render_port_set(s), render_port_set(v_port_set));
	}

event composite_set(s: set[string, count])
	{
	show("composite_set", render_composite_set(s), render_composite_set(v_composite_set));
	}

event count_table(t: table[string] of count)
	{
	show("count_table", render_count_table(t), render_count_table(v_count_table));
	}

event set_table(t: table[count] of set[string])
	{
	show("set_table", render_set_table(t), render_set_table(v_set_table));
	}

event composite_table(t: table[addr, port] of string)
	{
	show("composite_table", render_composite_table(t), render_composite_table(v_composite_table));
	}

event string_vector(v: vector of string)
	{
	show("string_vector", render_string_vector(v), render_string_vector(v_string_vector));
	}

event nested_vector(v: vector of vector of count)
	{
	show("nested_vector", fmt("%s", v), fmt("%s", v_nested_vector));
	}

event record_arg(r: Info)
	{
	show("record_arg", fmt("%s", r), fmt("%s", v_record));
	}

event no_args()
	{
	show("no_args", "", "");
	}

event int_arg(v: int)
	{
	print fmt("int_arg|%s:%s", v, type_name(v));
	}

event with_metadata(s: string)
	{
	show("with_metadata", fmt("%s,%s", q(s), EventMetadata::current(EventMetadata::NETWORK_TIMESTAMP)),
	     fmt("%s,%s", q("stamped"), vector(double_to_time(1700000000.25))));
	}

event done()
	{
	print "done";
	terminate();
	}
