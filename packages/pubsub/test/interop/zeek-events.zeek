##! The Zeek side of interop-zeek-events.test.ts: a worker of the discovery tests' layout on zmqc's broker
##! (run_proxy_thread=F). It subscribes to interop.zeek., prints the subscriptions it sees under interop., prints
##! every Interop::to_zeek it receives on one line (sets and tables sorted), and answers with Interop::to_zmqc on
##! interop.zmqc.reply, every value changed in a known way.
@load ../discovery/zeek/node-on-zmqc-broker

module Interop;

export {
	type Rec: record {
		n: count;
		label: string &optional;
		host: addr;
	};

	global to_zeek: event(c: count, i: int, a: addr, p: port, t: time, s: set[string],
	    tb: table[string] of count, v: vector of int, r: Rec);
	global to_zmqc: event(c: count, i: int, a: addr, p: port, t: time, s: set[string],
	    tb: table[string] of count, v: vector of int, r: Rec);
}

function set_text(s: set[string]): string
	{
	local parts: vector of string;
	for ( x in s )
		parts += x;
	sort(parts, strcmp);
	return join_string_vec(parts, "|");
	}

function table_text(tb: table[string] of count): string
	{
	local parts: vector of string;
	for ( k, v in tb )
		parts += fmt("%s=%d", k, v);
	sort(parts, strcmp);
	return join_string_vec(parts, "|");
	}

event zeek_init()
	{
	Cluster::subscribe("interop.zeek.");
	}

event Cluster::Backend::ZeroMQ::subscription(topic: string)
	{
	if ( /^interop\./ in topic )
		{
		print "subscription", topic;
		flush_all();
		}
	}

event Interop::to_zeek(c: count, i: int, a: addr, p: port, t: time, s: set[string],
    tb: table[string] of count, v: vector of int, r: Rec)
	{
	print fmt("to_zeek c=%s:%d i=%s:%d a=%s:%s p=%s:%s t=%s:%.6f s=%s tb=%s v=%s:%s r=%s",
	    type_name(c), c, type_name(i), i, type_name(a), a, type_name(p), p, type_name(t),
	    time_to_double(t), set_text(s), table_text(tb), type_name(v), v, r);
	flush_all();
	add s["zeek"];
	tb["zeek"] = 99;
	v += +4;
	Cluster::publish("interop.zmqc.reply", Interop::to_zmqc, c + 1, i - 1, a, p, t + 1 sec, s, tb, v,
	    Rec($n=r$n + 1, $label="from zeek", $host=r$host));
	}
