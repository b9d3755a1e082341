##! Shared by the log interop scripts (test/zeek-logs.test.ts): the ZmqcLogTest::LOG stream, with a column of
##! every loggable type, and make_info(i), the deterministic record number i that log-worker.zeek writes.
##! test/zeek/log-catalog.ts builds the same columns and records as zmqc LogValues; keep the two in step.

module ZmqcLogTest;

export {
	redef enum Log::ID += {
		## The stream of the test, created on every node.
		LOG,
		## Known to Log::ID but never created: a remote write for it fails with "Failed to find stream".
		UNCREATED_LOG,
		## Also never created: the logger (log-logger.zeek) terminates on the error a write for it causes.
		END_LOG,
	};

	type Nested: record {
		x: count &log;
		y: string &log &optional;
	};

	type Info: record {
		i: count &log;
		b: bool &log;
		n: int &log;
		c: count &log;
		d: double &log;
		ts: time &log;
		iv: interval &log;
		s: string &log;
		raw: string &log;
		e: transport_proto &log;
		p: port &log;
		a4: addr &log;
		a6: addr &log;
		sn4: subnet &log;
		sn6: subnet &log;
		tags: set[string] &log;
		hosts: set[addr] &log;
		counts: vector of count &log;
		words: vector of string &log;
		nested: Nested &log;
		opt_s: string &log &optional;
		opt_c: count &log &optional;
		opt_set: set[string] &log &optional;
		opt_vec: vector of string &log &optional;
	};

	global make_info: function(i: count): Info;
}

const protos = vector(tcp, udp, icmp, unknown_transport);

function make_info(i: count): Info
	{
	# Five variants (i % 5), so any five consecutive records hold every one of them.
	local k = i % 5;
	local n: int = +i;
	n = -n * 1000;
	if ( k == 0 )
		n = -9223372036854775807 - 1;
	else if ( k == 1 )
		n = +9223372036854775807;

	local d = i * 0.1;
	if ( k == 1 )
		d = -0.0;
	else if ( k == 2 )
		d = to_double("inf");
	else if ( k == 3 )
		d = to_double("-inf");
	else if ( k == 4 )
		d = to_double("nan");

	local a4 = count_to_v4_addr(3221225984 + i); # 192.0.2.0 + i
	local a6 = to_addr(fmt("2001:db8::%x", i));

	local tags: set[string] = set();
	if ( k != 4 )
		tags = set("a", "", fmt("t%d", i), "grüße");

	local words: vector of string = vector();
	if ( k != 3 )
		words = vector("x", cat(i), "", "a\xffb");

	local nested = Nested($x=i);
	if ( i % 2 == 0 )
		nested$y = fmt("y%d", i);

	local r = Info($i=i, $b=(i % 2 == 0), $n=n, $c=(k == 0 ? 18446744073709551615 : i * 1000003), $d=d,
	               $ts=double_to_time(1700000000.0 + i * 0.25), $iv=(i - 1000.0) * 1.5sec,
	               $s=fmt("record %d grüße ✓", i), $raw="a\x00\xff" + cat(i), $e=protos[i % 4],
	               $p=count_to_port(i, protos[i % 4]), $a4=a4, $a6=a6, $sn4=a4 / 24,
	               $sn6=to_subnet(fmt("2001:db8:%x::/48", i)), $tags=tags,
	               $hosts=set(a4, a6, [::ffff:1.2.3.4]), $counts=vector(i, 0, 18446744073709551615),
	               $words=words, $nested=nested);
	if ( i % 3 == 0 )
		r$opt_s = fmt("opt %d", i);
	return r;
	}

event zeek_init() &priority=5
	{
	Log::create_stream(LOG, Log::Stream($columns=Info, $path="zmqc_log_test"));
	}
