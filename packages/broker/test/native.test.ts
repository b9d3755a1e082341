import { BindError, startBroker } from "@zmqc/broker";
import { startTestBroker } from "@zmqc/broker/testing";
import { ConfigError } from "@zmqc/config";
import { describe, expect, it } from "vitest";
import { awaitNotification, connectPeer, within } from "./peers.js";

describe("native broker", () => {
  it("binds ephemeral ports and reads the endpoints back", async () => {
    await using broker = await startTestBroker();
    expect(broker.mode).toBe("native");
    expect(broker.xpubEndpoint).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    expect(broker.xsubEndpoint).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    expect(broker.xpubEndpoint).not.toBe(broker.xsubEndpoint);
  });

  it("forwards 4-frame events to subscribers of a matching prefix, and the subscription to the publisher", async () => {
    await using broker = await startTestBroker();
    await using sender = connectPeer(broker);
    await using receiver = connectPeer(broker);
    await receiver.subscribe("zeek.cluster.worker");
    await awaitNotification(sender, "+zeek.cluster.worker");
    await sender.xpub.send(["zeek.cluster.worker", "zeromq_sender", "broker-bin-v1", "payload"]);
    expect(await within(5000, "the event", receiver.nextMessage())).toEqual([
      "zeek.cluster.worker",
      "zeromq_sender",
      "broker-bin-v1",
      "payload",
    ]);
  });

  it("passes an unsubscription on only when the last subscriber of a prefix leaves (VERBOSER)", async () => {
    await using broker = await startTestBroker();
    await using manager = connectPeer(broker);
    await using worker1 = connectPeer(broker);
    await using worker2 = connectPeer(broker);
    await worker1.subscribe("/test/worker-common");
    await awaitNotification(manager, "+/test/worker-common");
    await worker2.subscribe("/test/worker-common");
    await awaitNotification(manager, "+/test/worker-common");
    await worker1.unsubscribe("/test/worker-common");
    // worker-1 leaving is not news; a marker subscription proves nothing was passed on before it.
    await worker1.subscribe("/marker-1");
    expect(await within(5000, "a notification", manager.nextNotification())).toBe("+/marker-1");
    await worker2.unsubscribe("/test/worker-common");
    await awaitNotification(manager, "-/test/worker-common");
  });

  it("tells a late joiner about every active prefix", async () => {
    await using broker = await startTestBroker();
    await using early = connectPeer(broker);
    await using watcher = connectPeer(broker);
    await early.subscribe("zeek.cluster.node.worker-1.");
    await awaitNotification(watcher, "+zeek.cluster.node.worker-1.");
    await using late = connectPeer(broker);
    await awaitNotification(late, "+zeek.cluster.node.worker-1.");
  });

  it("refuses to pause: libzmq 4.3.5's steerable proxy never resumes", async () => {
    await using broker = await startTestBroker();
    expect(() => broker.pause()).toThrow(/not available in native mode/);
    expect(() => broker.resume()).toThrow(expect.objectContaining({ code: "PROTOCOL" }));
  });

  it("a port in use is a BindError naming the endpoint and the OS reason, and nothing is left bound", async () => {
    await using first = await startTestBroker();
    // An XPUB port that was free a moment ago: the failed start must bind it and then release it.
    const spare = await startTestBroker();
    await spare.close();
    const error = await startBroker({
      listenXpubEndpoint: spare.xpubEndpoint,
      listenXsubEndpoint: first.xsubEndpoint,
      lingerMs: 0,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BindError);
    expect(error).toMatchObject({ code: "BIND", endpoint: first.xsubEndpoint, errno: "EADDRINUSE" });
    expect((error as Error).message).toMatch(
      /^Failed to bind xsub socket tcp:\/\/127\.0\.0\.1:\d+: Address already in use/,
    );
    await using again = await startBroker({
      listenXpubEndpoint: spare.xpubEndpoint,
      listenXsubEndpoint: "tcp://127.0.0.1:*",
      lingerMs: 0,
    });
    expect(again.xpubEndpoint).toBe(spare.xpubEndpoint);
  });

  it("bad options are a ConfigError before anything is bound", async () => {
    await expect(startBroker({ listenXpubEndpoint: "tcp://::1:5555" })).rejects.toBeInstanceOf(ConfigError);
    await expect(startBroker({ proxyIoThreads: 0 })).rejects.toThrow(/proxyIoThreads/);
  });

  it("close() is idempotent, resolves closed, and frees both ports for a new broker on the same endpoints", async () => {
    const broker = await startTestBroker();
    await Promise.all([broker.close(), broker.close()]);
    expect(await broker.closed).toBeUndefined();
    await using again = await startBroker({
      listenXpubEndpoint: broker.xpubEndpoint,
      listenXsubEndpoint: broker.xsubEndpoint,
      lingerMs: 0,
    });
    expect(again.xpubEndpoint).toBe(broker.xpubEndpoint);
  });
});
