##! The cluster logging tests' stream (test/cluster-zeek.test.ts): ZmqcCluster::LOG, a conn-like record with a
##! column of most loggable types, and make_info(node, i), record number i of a node, deterministic. Created on
##! every node, the Zeek logger included (a logger only writes remote batches of streams it knows).
##! test/support/cluster-records.ts declares the same stream with createLogStream and builds the same records;
##! keep the two in step.

module ZmqcCluster;

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
		node: string &log;
		seq: count &log;
		uid: string &log;
		id: Endpoint &log;
		proto: transport_proto &log;
		duration: interval &log &optional;
		n: int &log;
		d: double &log;
		ok: bool &log &optional;
		s: string &log;
		sn: subnet &log;
		tags: set[string] &log;
		counts: vector of count &log;
		words: vector of string &log &optional;
	};

	global make_info: function(node: string, i: count): Info;
}

const strings: vector of string = vector("plain", "", "-", "(empty)", "tab\there", "comma,here", "back\\slash",
	"ctl\x01\x7f", "ünïcödé ✓", "bad\xffbyte", "#hash", " lead and trail ");

const addrs: vector of addr = vector(192.0.2.1, [2001:db8::1], [::1], 10.0.0.7, [::ffff:1.2.3.4]);

const ports: vector of port = vector(443/tcp, 53/udp, 8/icmp, 65535/tcp);

const protos: vector of transport_proto = vector(tcp, udp, icmp, unknown_transport);

const subnets: vector of subnet = vector(10.0.0.0/8, [2001:db8::]/32, 192.0.2.0/24, [::ffff:1.2.3.0]/120);

function make_info(node: string, i: count): Info
	{
	local r = Info($ts=double_to_time(1700000000.0 + i / 1000.0), $node=node, $seq=i, $uid=fmt("C%s-%d", node, i),
	               $id=Endpoint($orig_h=addrs[i % |addrs|], $orig_p=ports[i % |ports|],
	                            $resp_h=addrs[(i + 2) % |addrs|], $resp_p=ports[(i + 1) % |ports|]),
	               $proto=protos[i % |protos|], $n=(i % 2 == 0 ? +1 : -1) * (i * 1000003),
	               $d=i / 7.0, $s=strings[i % |strings|], $sn=subnets[i % |subnets|], $tags=set(),
	               $counts=vector());
	if ( i % 4 != 1 )
		r$duration = double_to_interval(i / 3.0);
	if ( i % 3 == 0 )
		r$ok = T;
	else if ( i % 3 == 1 )
		r$ok = F;
	local k = i % 3;
	if ( k == 1 )
		r$tags = set(strings[i % |strings|]);
	else if ( k == 2 )
		r$tags = set(strings[i % |strings|], strings[(i + 1) % |strings|], "x,y");
	if ( i % 5 != 0 )
		r$counts = vector(i, i * i, 18446744073709551615);
	if ( i % 2 == 0 )
		r$words = vector(strings[(i + 3) % |strings|], "");
	return r;
	}

event zeek_init()
	{
	Log::create_stream(LOG, Log::Stream($columns=Info, $path="zmqc_cluster"));
	}
