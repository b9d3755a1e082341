// CURVE between nodes and the broker (Zeek 8.2's client mode): an encrypted cluster works as a plain one, and each
// misconfiguration ends the node with Zeek's fatal handshake error instead of waiting forever.
import { startTestBroker } from "@zmqc/broker/testing";
import { resolveCluster } from "@zmqc/config";
import { type ClusterEvent, connect, defineEvent, joinCluster } from "@zmqc/pubsub";
import { Value } from "@zmqc/wire-format";
import { ZEEK_CURVE_KEYS } from "@zmqc/zeek-harness";
import { describe, expect, it } from "vitest";
import { nodeOn, until, within } from "./support.js";

const keys = ZEEK_CURVE_KEYS;

const SERVER = { curveServerSecretKey: keys.serverSecret, curveClientPublicKey: keys.clientPublic };
const CLIENT = {
  curveServerPublicKey: keys.serverPublic,
  curveClientPublicKey: keys.clientPublic,
  curveClientSecretKey: keys.clientSecret,
};
const ping = defineEvent("Test::ping", ["string"]);

describe("an encrypted cluster", () => {
  it("exchanges events between CURVE nodes through a CURVE broker", async () => {
    await using broker = await startTestBroker({ ...SERVER, log: () => {} });
    await using a = await nodeOn(broker, CLIENT);
    await using b = await nodeOn(broker, CLIENT);
    await b.subscribe("secret.");
    const received = new Promise<string>((resolve) => b.on(ping, ([text]) => resolve(String(text.value))));
    await until(() => a.remoteSubscriptions().has("secret."), "b's subscription at a", 10_000);
    a.publish("secret.x", ping.make(Value.string("over CURVE")));
    expect(await within(10_000, "the event", received)).toBe("over CURVE");
  });

  it("discovery runs over CURVE: both nodes see node_up", async () => {
    await using broker = await startTestBroker({ ...SERVER, log: () => {} });
    const layout = resolveCluster({
      nodes: {
        manager: { type: "manager", ip: "127.0.0.1" },
        "worker-1": { type: "worker", ip: "127.0.0.1", manager: "manager" },
      },
    });
    const common = {
      ...CLIENT,
      layout,
      connectXpubEndpoint: broker.xsubEndpoint,
      connectXsubEndpoint: broker.xpubEndpoint,
      lingerMs: 0,
      log: () => {},
    };
    await using manager = await joinCluster({ ...common, name: "manager" });
    const up = new Promise<ClusterEvent>((resolve) =>
      manager.on((event) => event.type === "node_up" && resolve(event)),
    );
    await using worker = await joinCluster({ ...common, name: "worker-1" });
    expect(await within(10_000, "node_up for worker-1", up)).toMatchObject({
      name: "worker-1",
      id: worker.nodeId,
    });
  });
});

describe("misconfigured CURVE", () => {
  it("a node with another client key is refused: it closes with Zeek's fatal error, the broker counts it", async () => {
    await using broker = await startTestBroker({ ...SERVER, log: () => {} });
    const lines: string[] = [];
    await using node = await connect({
      ...CLIENT,
      curveClientPublicKey: keys.wrongClientPublic,
      curveClientSecretKey: keys.wrongClientSecret,
      connectXpubEndpoint: broker.xsubEndpoint,
      connectXsubEndpoint: broker.xpubEndpoint,
      log: (line) => lines.push(line),
    });
    const failure = await within(10_000, "the node to close", node.closed);
    expect(failure?.message).toMatch(
      /^ZeroMQ: Handshake for socket tcp:\/\/127\.0\.0\.1:\d+ failed: event=0x4000 value=400/,
    );
    expect(lines).toContain(failure?.message);
    expect(broker.stats().authRefused).toBeGreaterThan(0);
    await expect(node.subscribe("x.")).rejects.toMatchObject({ code: "CLOSED" });
  });

  it("plain against encrypted, either way, ends with event=0x2000 value=285212674", async () => {
    await using encrypted = await startTestBroker({ ...SERVER, log: () => {} });
    await using plainNode = await connect({
      connectXpubEndpoint: encrypted.xsubEndpoint,
      connectXsubEndpoint: encrypted.xpubEndpoint,
      log: () => {},
    });
    expect((await within(10_000, "the plain node to close", plainNode.closed))?.message).toMatch(
      /event=0x2000 value=285212674 \(security mechanism mismatch/,
    );
    await using plain = await startTestBroker();
    await using keyedNode = await connect({
      ...CLIENT,
      connectXpubEndpoint: plain.xsubEndpoint,
      connectXsubEndpoint: plain.xpubEndpoint,
      log: () => {},
    });
    expect((await within(10_000, "the keyed node to close", keyedNode.closed))?.message).toMatch(
      /event=0x2000 value=285212674/,
    );
  });

  it('onHandshakeFailure: "warn" reports the failure and keeps the node open', async () => {
    await using encrypted = await startTestBroker({ ...SERVER, log: () => {} });
    await using node = await connect({
      connectXpubEndpoint: encrypted.xsubEndpoint,
      connectXsubEndpoint: encrypted.xpubEndpoint,
      onHandshakeFailure: "warn",
      log: () => {},
    });
    const statuses = node.status();
    for (;;) {
      const { value } = await within(10_000, "the error status", statuses.next());
      if (value?.type === "error") {
        expect(value.error.message).toMatch(/event=0x2000/);
        break;
      }
    }
    await statuses.return?.();
    node.publish("still.open", ping.make(Value.string("queued")));
    expect(node.stats().eventsPublished + node.stats().pendingPublishes).toBeGreaterThanOrEqual(0);
    await expect(node.subscribe("x.", { confirm: false })).resolves.toBeUndefined();
  });
});
