import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { Worker } from "node:worker_threads";
import {
  BindError,
  type Broker,
  type BrokerOptions,
  type ManagedBrokerStats,
  startBroker,
} from "@zmqc/broker";
import { startTestBroker } from "@zmqc/broker/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { XPublisher } from "zeromq";
import { WorkerChannel } from "../src/managed/channel.js";
import { awaitNotification, connectPeer, type Peer, within } from "./peers.js";

function startManaged(options: BrokerOptions = {}): Promise<Broker> {
  return startTestBroker({ mode: "managed", ...options });
}

function managedStats(broker: Broker): ManagedBrokerStats {
  return broker.stats() as ManagedBrokerStats;
}

/** Waits (bounded) until `probe` returns a value; on timeout the error shows the last thing it saw. */
async function waitFor<T>(
  ms: number,
  what: string,
  probe: () => T | undefined,
  last: () => unknown,
): Promise<T> {
  let done = false;
  try {
    return await within(
      ms,
      what,
      (async () => {
        for (;;) {
          const value = probe();
          if (value !== undefined || done) return value as T;
          await delay(2);
        }
      })(),
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; last seen: ${String(JSON.stringify(last(), bigints))}`);
  } finally {
    done = true;
  }
}

function bigints(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? `${value}n` : value;
}

/** Waits until the broker's statistics satisfy `check`, and returns them. */
function statsWhere(broker: Broker, what: string, check: (stats: ManagedBrokerStats) => boolean, ms = 5000) {
  return waitFor(
    ms,
    what,
    () => {
      const stats = managedStats(broker);
      return check(stats) ? stats : undefined;
    },
    () => broker.stats(),
  );
}

/** A publishing node's XPUB with NODROP, so a test that sends many messages loses none on its own side. */
function connectPublisher(broker: Broker): XPublisher {
  const xpub = new XPublisher({ linger: 0, noDrop: true });
  xpub.connect(broker.xsubEndpoint);
  return xpub;
}

/** Sends, waiting out EAGAIN (the publisher's own HWM while the broker is busy). */
async function publish(xpub: XPublisher, frames: (string | Buffer)[]): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await xpub.send(frames);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== "EAGAIN") throw error;
      await delay(Math.min(attempt, 5));
    }
  }
}

/** Reads subscription notifications on a publisher until every prefix has been seen. */
async function awaitSubscriptions(xpub: XPublisher, prefixes: string[]): Promise<void> {
  const missing = new Set(prefixes);
  await within(
    5000,
    `subscriptions ${prefixes.join(", ")}`,
    (async () => {
      while (missing.size > 0) {
        const [frame] = await xpub.receive();
        if (frame?.[0] === 1) missing.delete(frame.subarray(1).toString("utf8"));
      }
    })(),
  );
}

/** Waits until every one of `expected` has arrived on the peer's XPUB, in any order. */
async function awaitNotifications(peer: Peer, expected: string[]): Promise<void> {
  const missing = new Set(expected);
  await within(
    5000,
    `notifications ${expected.join(", ")}`,
    (async () => {
      while (missing.size > 0) missing.delete(await peer.nextNotification());
    })(),
  );
}

describe("managed broker", () => {
  it("binds ephemeral ports, reads the endpoints back and starts with zero statistics", async () => {
    await using broker = await startManaged();
    expect(broker.mode).toBe("managed");
    expect(broker.xpubEndpoint).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    expect(broker.xsubEndpoint).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    expect(broker.stats()).toEqual({
      mode: "managed",
      paused: false,
      proxy: {
        frontendMessagesReceived: 0n,
        frontendBytesReceived: 0n,
        frontendMessagesSent: 0n,
        frontendBytesSent: 0n,
        backendMessagesReceived: 0n,
        backendBytesReceived: 0n,
        backendMessagesSent: 0n,
        backendBytesSent: 0n,
      },
      droppedStuckSubscriber: 0n,
      authRefused: 0,
      tapDropped: 0n,
    });
  });

  it("forwards 4-frame events intact, and subscriptions from subscribers to publishers", async () => {
    await using broker = await startManaged();
    await using sender = connectPeer(broker);
    await using receiver = connectPeer(broker);
    await receiver.subscribe("zeek.cluster.worker");
    await awaitNotification(sender, "+zeek.cluster.worker");
    await sender.xpub.send([
      "zeek.cluster.worker",
      "zeromq_sender",
      "broker-bin-v1",
      Buffer.from([0, 1, 2, 255]),
    ]);
    const frames = await within(5000, "the event", receiver.xsub.receive());
    expect(frames).toEqual([
      Buffer.from("zeek.cluster.worker"),
      Buffer.from("zeromq_sender"),
      Buffer.from("broker-bin-v1"),
      Buffer.from([0, 1, 2, 255]),
    ]);
  });

  it("passes an unsubscription on only when the last subscriber of a prefix leaves (VERBOSER)", async () => {
    await using broker = await startManaged();
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
    await using broker = await startManaged();
    await using early = connectPeer(broker);
    await using watcher = connectPeer(broker);
    await early.subscribe("zeek.cluster.node.worker-1.");
    await awaitNotification(watcher, "+zeek.cluster.node.worker-1.");
    await using late = connectPeer(broker);
    await awaitNotification(late, "+zeek.cluster.node.worker-1.");
  });

  it("counts exactly what it forwards: every frame a message, bytes the frames' sizes, on both sides", async () => {
    await using broker = await startManaged();
    await using sender = connectPeer(broker);
    await using receiver = connectPeer(broker);
    await receiver.subscribe("evt."); // one frame "\x01evt.": 5 bytes, XPUB in (backend) → XSUB out (frontend)
    await awaitNotification(sender, "+evt.");
    const events = 10;
    let bytes = 0;
    for (let i = 0; i < events; i++) {
      const frames = ["evt.a", "node-1", "broker-bin-v1", Buffer.alloc(10 * i, i)];
      bytes += 5 + 6 + 13 + 10 * i;
      await sender.xpub.send(frames);
    }
    for (let i = 0; i < events; i++) await within(5000, `event ${i}`, receiver.nextMessage());
    await receiver.unsubscribe("evt."); // "\x00evt.": 5 more bytes each way
    await awaitNotification(sender, "-evt.");
    expect(bytes).toBe(690);
    const expected = {
      frontendMessagesReceived: 40n,
      frontendBytesReceived: 690n,
      frontendMessagesSent: 2n,
      frontendBytesSent: 10n,
      backendMessagesReceived: 2n,
      backendBytesReceived: 10n,
      backendMessagesSent: 40n,
      backendBytesSent: 690n,
    };
    const stats = await statsWhere(broker, "the eight counters", (s) => s.proxy.frontendBytesSent >= 10n);
    expect(stats.proxy).toEqual(expected);
    expect(stats.droppedStuckSubscriber).toBe(0n);
  });

  it("keeps the subscription table (prefix → subscribers) and per-topic message counts", async () => {
    await using broker = await startManaged();
    await using publisher = connectPeer(broker);
    await using a1 = connectPeer(broker);
    await using a2 = connectPeer(broker);
    await using b = connectPeer(broker);
    // Each subscriber has its own pipe, so wait for each subscription before the next: then the order is known.
    for (const [peer, prefix] of [
      [a1, "a."],
      [a2, "a."],
      [a2, "a2."],
      [b, "b."],
    ] as const) {
      await peer.subscribe(prefix);
      await awaitNotification(publisher, `+${prefix}`);
    }
    expect(Object.fromEntries((await broker.subscriptions()) ?? [])).toEqual({ "a.": 2, "a2.": 1, "b.": 1 });

    // a1's unsubscribe is not passed on (a2 still wants "a."); a1's next subscription proves it was processed.
    await a1.unsubscribe("a.");
    await a1.subscribe("a1.");
    await awaitNotification(publisher, "+a1.");
    expect(Object.fromEntries((await broker.subscriptions()) ?? [])).toEqual({
      "a.": 1,
      "a2.": 1,
      "a1.": 1,
      "b.": 1,
    });

    // A subscriber that goes away takes its subscriptions with it: libzmq unsubscribes its pipe, one frame each.
    a2.close();
    await awaitNotifications(publisher, ["-a.", "-a2."]);
    expect(Object.fromEntries((await broker.subscriptions()) ?? [])).toEqual({ "a1.": 1, "b.": 1 });

    for (const topic of ["b.y", "a1.z", "b.y", "a1.z", "a1.z"]) await publisher.xpub.send([topic, "payload"]);
    for (let i = 0; i < 2; i++) await within(5000, "b's events", b.nextMessage());
    for (let i = 0; i < 3; i++) await within(5000, "a1's events", a1.nextMessage());
    expect(Object.fromEntries((await broker.topicCounts()) ?? [])).toEqual({ "b.y": 2n, "a1.z": 3n });
  });

  it("pauses: stops reading (messages and subscriptions wait), and resume forwards them in order", async () => {
    await using broker = await startManaged();
    await using sender = connectPeer(broker);
    await using receiver = connectPeer(broker);
    await receiver.subscribe("t");
    await awaitNotification(sender, "+t");

    broker.pause();
    expect(broker.stats().paused).toBe(true);
    let resumed = false;
    const first = receiver.nextMessage().then((frames) => ({ frames, resumed }));
    const notification = sender.nextNotification().then((text) => ({ text, resumed }));
    await sender.xpub.send(["t", "A", "broker-bin-v1", "payload-A"]);
    await sender.xpub.send(["t", "B", "broker-bin-v1", "payload-B"]);
    await receiver.subscribe("u");

    // The marker: the paused broker has read A (the one message a pause lets in) and holds it.
    await statsWhere(broker, "A read by the paused broker", (s) => s.proxy.frontendMessagesReceived === 4n);
    // A round trip through the worker's event loop, then a while paused: time to forward, had it been running.
    await broker.topicCounts();
    await delay(50);
    const paused = managedStats(broker);
    // This failed once under the full suite's load (frontendMessagesSent 2) and never alone: say everything the
    // broker knows, so the next failure tells which subscription went out while paused.
    const seen = `stats ${JSON.stringify(paused, (_key, value) => (typeof value === "bigint" ? `${value}` : value))}, subscriptions ${JSON.stringify([...((await broker.subscriptions()) ?? [])])}`;
    // Not before: nothing went out on either side while paused, and B was never even read.
    expect(paused.proxy.backendMessagesSent, seen).toBe(0n);
    expect(paused.proxy.frontendMessagesSent, seen).toBe(1n);
    expect(paused.proxy.frontendMessagesReceived, seen).toBe(4n);

    resumed = true;
    broker.resume();
    expect(broker.stats().paused).toBe(false);
    expect(await within(5000, "A after resume", first)).toEqual({
      frames: ["t", "A", "broker-bin-v1", "payload-A"],
      resumed: true,
    });
    expect(await within(5000, "B after A", receiver.nextMessage())).toEqual([
      "t",
      "B",
      "broker-bin-v1",
      "payload-B",
    ]);
    expect(await within(5000, "+u after resume", notification)).toEqual({ text: "+u", resumed: true });
  });

  // A subscriber that stops reading (bounded wait, then counted drops): slow-subscriber.test.ts, beside native mode.

  it("keeps the order of 10 000 messages from one sender", async () => {
    await using broker = await startManaged();
    const publisher = connectPublisher(broker);
    await using receiver = connectPeer(broker);
    try {
      await receiver.subscribe("seq.");
      await awaitSubscriptions(publisher, ["seq."]);
      const count = 10_000;
      const received: number[] = [];
      const reading = (async () => {
        while (received.length < count) {
          const [, seq] = await receiver.xsub.receive();
          received.push(seq?.readUInt32BE() ?? -1);
        }
      })();
      for (let i = 0; i < count; i++) {
        const seq = Buffer.alloc(4);
        seq.writeUInt32BE(i);
        await publish(publisher, ["seq.", seq, "broker-bin-v1", "x".repeat(32)]);
      }
      await within(15_000, "all 10 000 messages", reading);
      expect(received).toEqual(Array.from({ length: count }, (_, i) => i));
      // A receiver that falls behind for a moment is waited for, not dropped.
      expect(broker.stats().droppedStuckSubscriber).toBe(0n);
    } finally {
      publisher.close();
    }
  });

  describe("tap", () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), "zmqc-broker-tap-"));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it("records every forwarded message as a JSON line: source, frames, base64 data, monotonic time", async () => {
      const tapFile = join(dir, "tap.jsonl");
      await using broker = await startManaged({ tapFile });
      {
        await using sender = connectPeer(broker);
        await using receiver = connectPeer(broker);
        await receiver.subscribe("t");
        await awaitNotification(sender, "+t");
        await sender.xpub.send(["t", "zeromq_sender", "broker-bin-v1", Buffer.from([0, 255])]);
        await within(5000, "the event", receiver.nextMessage());
        // Closed while the peers are still connected: a peer leaving first would add its unsubscription.
        await broker.close();
      }
      expect(managedStats(broker).tapDropped).toBe(0n);

      const [header, ...records] = (await readFile(tapFile, "utf8"))
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line));
      expect(header).toEqual({ format: "zmqc-broker-tap", version: 1, started: expect.any(String) });
      expect(Number.isNaN(Date.parse(header.started))).toBe(false);
      expect(records).toEqual([
        { t: expect.any(Number), from: "xpub", frames: 1, data: [Buffer.from("\x01t").toString("base64")] },
        {
          t: expect.any(Number),
          from: "xsub",
          frames: 4,
          data: ["t", "zeromq_sender", "broker-bin-v1", Buffer.from([0, 255])].map((frame) =>
            Buffer.from(frame).toString("base64"),
          ),
        },
      ]);
      expect(records[1].t).toBeGreaterThanOrEqual(records[0].t);
    });

    it("a tap file that cannot be opened is a CONFIG error, and nothing is left bound", async () => {
      const spare = await startTestBroker();
      await spare.close();
      const error = await startBroker({
        mode: "managed",
        listenXpubEndpoint: spare.xpubEndpoint,
        listenXsubEndpoint: spare.xsubEndpoint,
        lingerMs: 0,
        tapFile: join(dir, "missing", "tap.jsonl"),
      }).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: "CONFIG",
        message: expect.stringMatching(/cannot open the tap file .*ENOENT/),
      });
      await using again = await startManaged({
        listenXpubEndpoint: spare.xpubEndpoint,
        listenXsubEndpoint: spare.xsubEndpoint,
      });
      expect(again.xsubEndpoint).toBe(spare.xsubEndpoint);
    });
  });

  it("a port in use is a BindError naming the endpoint and the OS reason, and nothing is left bound", async () => {
    await using first = await startTestBroker();
    const spare = await startTestBroker();
    await spare.close();
    const error = await startBroker({
      mode: "managed",
      listenXpubEndpoint: spare.xpubEndpoint,
      listenXsubEndpoint: first.xsubEndpoint,
      lingerMs: 0,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BindError);
    expect(error).toMatchObject({ code: "BIND", endpoint: first.xsubEndpoint, errno: "EADDRINUSE" });
    expect((error as Error).message).toMatch(
      /^Failed to bind xsub socket tcp:\/\/127\.0\.0\.1:\d+: Address already in use/,
    );
    // The XPUB the failed start had bound is free again.
    await using again = await startManaged({ listenXpubEndpoint: spare.xpubEndpoint });
    expect(again.xpubEndpoint).toBe(spare.xpubEndpoint);
  });

  it("close() is idempotent, resolves closed, frees both ports, and keeps the final state readable", async () => {
    await using broker = await startManaged();
    {
      await using sender = connectPeer(broker);
      await using receiver = connectPeer(broker);
      await receiver.subscribe("t");
      await awaitNotification(sender, "+t");
      await sender.xpub.send(["t", "x"]);
      await within(5000, "the event", receiver.nextMessage());
    }
    await Promise.all([broker.close(), broker.close()]);
    expect(await broker.closed).toBeUndefined();
    expect(broker.stats().proxy?.backendMessagesSent).toBe(2n);
    expect(await broker.topicCounts()).toEqual(new Map([["t", 1n]]));
    await using again = await startManaged({
      listenXpubEndpoint: broker.xpubEndpoint,
      listenXsubEndpoint: broker.xsubEndpoint,
    });
    expect([again.xpubEndpoint, again.xsubEndpoint]).toEqual([broker.xpubEndpoint, broker.xsubEndpoint]);
  });

  it("closed resolves with an Error when the worker dies, whether before or after starting", async () => {
    const before = new WorkerChannel(new Worker("throw new Error('boom')", { eval: true }));
    await expect(before.first).rejects.toThrow(/boom/);
    expect(await before.closed).toMatchObject({
      code: "CLOSED",
      message: expect.stringMatching(/failed: boom/),
    });

    const after = new WorkerChannel(
      new Worker(
        `const { parentPort } = require("node:worker_threads");
         parentPort.postMessage({ type: "ready", xpubEndpoint: "x", xsubEndpoint: "y" });
         setTimeout(() => process.exit(3), 10);`,
        { eval: true },
      ),
    );
    expect(await after.first).toMatchObject({ type: "ready" });
    expect(await within(5000, "closed", after.closed)).toMatchObject({
      code: "CLOSED",
      message: expect.stringMatching(/exited unexpectedly \(code 3\)/),
    });
    await expect(after.query("topics")).rejects.toMatchObject({ code: "CLOSED" });
  });
});
