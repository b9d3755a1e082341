// A pyzmq peer (test/interop/peer.py) on the same broker as a zmqc node: the upstream
// Supervisor::node_status("TEST", 42) broker-bin-v1 bytes (zeek-zeromq-notes §6.1) go both ways. Python → zmqc:
// decoded exactly, typed. zmqc → Python: checked frame by frame against §2.1/§6.1 (4 frames, frame 1 our node id,
// frame 2 "broker-bin-v1", the payload byte for byte the upstream vector when we send the same metadata).
import { startTestBroker } from "@zmqc/broker/testing";
import { defineEvent, type NodeStatus } from "@zmqc/pubsub";
import { Value } from "@zmqc/wire-format";
import { Cleanup } from "@zmqc/zeek-harness";
import { afterEach, expect, it } from "vitest";
import { describeWithPyzmq, startPythonPeer } from "./interop/python.js";
import { nodeOn, within } from "./support.js";

const nodeStatus = defineEvent("Supervisor::node_status", ["string", "count"]);

/** The upstream vector, as hex (86 bytes). */
const UPSTREAM_HEX = [
  "0e03",
  "020000000000000001",
  "020000000000000001",
  "0e03",
  `0517${Buffer.from("Supervisor::node_status").toString("hex")}`,
  `0e02${"0504"}${Buffer.from("TEST").toString("hex")}02000000000000002a`,
  "0e01",
  "0e02020000000000000001090000000000000000",
].join("");

describeWithPyzmq("interop with a pyzmq peer", () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it("decodes the upstream node_status bytes a Python peer publishes, typed", async () => {
    await using broker = await startTestBroker();
    await using node = await nodeOn(broker, { name: "zmqc" });
    const peer = cleanup.add(startPythonPeer(broker), (child) => child.dispose());
    await peer.takeLine("ready", (line) => line === "ready");
    const events = node.events(nodeStatus);
    await node.subscribe("zeek.supervisor");
    // The peer publishes once its XPUB has seen our subscription (a PUB drops what nobody subscribed to).
    peer.writeLine("publish-node-status zeek.supervisor.status zeek.supervisor");
    await peer.takeLine("published", (line) => line === "published");
    const { value } = await within(5000, "node_status from Python", events.next());
    expect(value?.name).toBe("Supervisor::node_status");
    expect(value?.topic).toBe("zeek.supervisor.status");
    expect(value?.sender).toBe("python-peer");
    expect(value?.args).toEqual([Value.string("TEST"), Value.count(42)]);
    expect(value?.args[1].type).toBe("count");
    expect(value?.args[1].value).toBe(42n);
    expect(value?.metadata).toEqual([{ id: 1n, value: Value.timeNs(0n) }]);
    expect(node.stats()).toMatchObject({
      eventsReceived: 1,
      decodeErrors: 0,
      typeErrors: 0,
      formatErrors: 0,
    });
    peer.writeLine("quit");
    expect((await peer.waitForExit(5000)).code).toBe(0);
  });

  it("publishes node_status that the Python peer receives as the notes' 4 frames, byte for byte", async () => {
    await using broker = await startTestBroker();
    await using node = await nodeOn(broker, { name: "zmqc" });
    const status = node.status();
    const peer = cleanup.add(startPythonPeer(broker), (child) => child.dispose());
    await peer.takeLine("ready", (line) => line === "ready");
    peer.writeLine("subscribe interop.python.");
    await peer.takeLine("subscribed", (line) => line === "subscribed");
    // Our node sees the Python peer's subscription on its XPUB (a status event, once per prefix).
    await within(
      5000,
      "the Python peer's subscription",
      (async () => {
        for await (const event of status as AsyncIterable<NodeStatus>)
          if (event.type === "subscription" && event.topic === "interop.python.") return;
      })(),
    );
    const event = {
      ...nodeStatus.make(Value.string("TEST"), Value.count(42)),
      metadata: [{ id: 1n, value: Value.timeNs(0n) }],
    };
    expect(node.publish("interop.python.status", event)).toBe(true);
    peer.writeLine(`expect ${node.nodeId}`);
    const line = (prefix: string) => peer.takeLine(prefix, (text) => text.startsWith(prefix));
    expect(await line("frames")).toBe("frames 4");
    expect(await line("frame1")).toBe("frame1 ok");
    expect(await line("frame2")).toBe("frame2 ok");
    const payload = (await line("payload ")).slice("payload ".length);
    expect(payload.startsWith("0e0302")).toBe(true);
    expect(payload).toBe(UPSTREAM_HEX);
    expect(await line("payload ")).toBe("payload ok");
    peer.writeLine("quit");
    expect((await peer.waitForExit(5000)).code).toBe(0);
    expect(node.stats()).toMatchObject({ eventsPublished: 1, xpubDrops: 0 });
  });
});
