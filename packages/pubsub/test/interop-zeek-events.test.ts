// Typed events both ways between a zmqc node and a real Zeek 8.2.2 node on zmqc's broker, in broker-bin-v1: count
// vs int, addr, port, time, set, table, vector, and a record (as a vector, with an unset field). Each side sees
// the other's subscriptions: ours as a status() subscription event, Zeek's as a printed
// Cluster::Backend::ZeroMQ::subscription. The Zeek node is worker-1 of the discovery tests' layout with
// run_proxy_thread=F (test/interop/zeek-events.zeek); our node is a bare ClusterNode, not a layout member.
import { startTestBroker } from "@zmqc/broker/testing";
import { defineEvent, type NodeStatus } from "@zmqc/pubsub";
import { compareValues, Value } from "@zmqc/wire-format";
import { Cleanup, describeWithZeek } from "@zmqc/zeek-harness";
import { afterEach, expect, it } from "vitest";
import { reservePorts, startZeekNode } from "./discovery/zeek.js";
import { nodeOn, until, within } from "./support.js";

const PARAMS = [
  "count",
  "integer",
  "address",
  "port",
  "timestamp",
  "set",
  "table",
  "vector",
  "vector",
] as const;
const toZeek = defineEvent("Interop::to_zeek", PARAMS);
const toZmqc = defineEvent("Interop::to_zmqc", PARAMS);
const ZEEK_MS = 10_000;
// Seen from startZeekNode's script directory (test/discovery/zeek/).
const SCRIPT = "../../interop/zeek-events.zeek";

describeWithZeek("typed events between zmqc and Zeek", () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it("exchanges broker-bin-v1 events both ways with every argument's type intact, and sees each other's subscriptions", async () => {
    const broker = cleanup.add(await startTestBroker(), (b) => b.close());
    const [logPullPort] = (await reservePorts(1)) as [number];
    const node = cleanup.add(await nodeOn(broker, { name: "zmqc" }), (n) => n.close());
    const status = node.status();
    const replies = node.events(toZmqc);
    await node.subscribe("interop.zmqc.");

    const zeek = cleanup.add(startZeekNode({ node: "worker-1", script: SCRIPT, broker, logPullPort }), (z) =>
      z.dispose(),
    );
    const [, zeekId] = await zeek.waitForPrint(["started"], ZEEK_MS);
    // Zeek sees our subscription (replayed to it as a late joiner) …
    expect(await zeek.waitForPrint(["subscription", "interop.zmqc."], ZEEK_MS)).toEqual([
      "subscription",
      "interop.zmqc.",
    ]);
    // … and we see Zeek's.
    await within(
      ZEEK_MS,
      "Zeek's subscription to interop.zeek.",
      (async () => {
        for await (const event of status as AsyncIterable<NodeStatus>)
          if (event.type === "subscription" && event.topic === "interop.zeek.") return;
      })(),
    );
    // Zeek's own node-id topic is among what our node has seen (Cluster::nodeid_topic, trailing dot).
    await until(
      () => node.remoteSubscriptions().has(`zeek.cluster.nodeid.${zeekId}.`),
      "Zeek's node-id topic",
      ZEEK_MS,
    );

    const sent = toZeek.make(
      Value.count(42),
      Value.integer(-7),
      Value.address("2001:db8::1"),
      Value.port(443, "tcp"),
      Value.time(1_700_000_000.5),
      Value.set([Value.string("b"), Value.string("a"), Value.string("c")]),
      Value.table([
        [Value.string("y"), Value.count(2)],
        [Value.string("x"), Value.count(1)],
      ]),
      Value.vector([Value.integer(1), Value.integer(-2), Value.integer(3)]),
      Value.record([Value.count(5), undefined, Value.address("10.0.0.1")]),
    );
    expect(node.publish("interop.zeek.events", sent)).toBe(true);

    const line = await zeek.child.takeLine("to_zeek", (text) => text.startsWith("to_zeek "), ZEEK_MS);
    expect(line).toBe(
      "to_zeek c=count:42 i=int:-7 a=addr:2001:db8::1 p=port:443/tcp t=time:1700000000.500000 s=a|b|c " +
        "tb=x=1|y=2 v=vector of int:[1, -2, 3] r=[n=5, label=<uninitialized>, host=10.0.0.1]",
    );

    const { value: reply } = await within(ZEEK_MS, "Zeek's Interop::to_zmqc", replies.next());
    expect(reply?.sender).toBe(zeekId);
    expect(reply?.topic).toBe("interop.zmqc.reply");
    const [c, i, a, p, t, s, tb, v, r] = reply?.args ?? [];
    expect(c).toEqual(Value.count(43));
    expect(i).toEqual(Value.integer(-8));
    expect(a).toEqual(Value.address("2001:db8::1"));
    expect(p).toEqual(Value.port(443, "tcp"));
    // Zeek: wire → double(ns)/1e9, + 1 s, → int64(seconds * 1e9): the same double arithmetic as Value.time.
    expect(t).toEqual(Value.time(1_700_000_001.5));
    // Sets and tables arrive in broker's canonical order.
    expect(s).toEqual(Value.set(["a", "b", "c", "zeek"].map((x) => Value.string(x))));
    expect(tb).toEqual(
      Value.table([
        [Value.string("x"), Value.count(1)],
        [Value.string("y"), Value.count(2)],
        [Value.string("zeek"), Value.count(99)],
      ]),
    );
    expect(v).toEqual(Value.vector([1, -2, 3, 4].map((n) => Value.integer(n))));
    expect(r).toEqual(Value.record([Value.count(6), Value.string("from zeek"), Value.address("10.0.0.1")]));
    const setElements = s?.type === "set" ? s.elements : [];
    expect([...setElements].sort(compareValues)).toEqual(setElements);
    expect(reply?.metadata).toBeUndefined();
    expect(node.stats()).toMatchObject({ typeErrors: 0, decodeErrors: 0, formatErrors: 0 });

    zeek.child.kill("SIGTERM");
    const exit = await zeek.child.waitForExit(ZEEK_MS);
    expect(exit.code).toBe(0);
    expect(exit.stderr).not.toMatch(/error|Unserialize|Wrong format/i);
  }, 30_000);
});
