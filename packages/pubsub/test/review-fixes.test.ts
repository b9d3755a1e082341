// Regression tests for the review's findings: pending waits on close, per-event drop counting, throwing `log`
// callbacks, leaks when leaving iterations, concurrent drain()/next(), and timeouts that mean "forever".
import { startTestBroker } from "@zmqc/broker/testing";
import { connect, defineEvent, type NodeStatus } from "@zmqc/pubsub";
import { Value } from "@zmqc/wire-format";
import { describe, expect, it } from "vitest";
import { Push, XPublisher } from "zeromq";
import { Channel } from "../src/channel.js";
import { SocketWriter } from "../src/writer.js";
import { nodeOn, until, within } from "./support.js";

const ping = defineEvent("Test::ping", ["string", "count"]);
const other = defineEvent("Test::other", ["count"]);

/** Tracks whether a promise has settled, and how. */
function track<T>(promise: Promise<T>) {
  const state: { settled: boolean; outcome?: T | { error: unknown } } = { settled: false };
  const done = promise.then(
    (value) => {
      state.settled = true;
      state.outcome = value;
    },
    (error: unknown) => {
      state.settled = true;
      state.outcome = { error };
    },
  );
  return { state, done, promise };
}

describe("pending waits when the node closes", () => {
  it("subscribe() and ready() reject with CLOSED, and huge or infinite timeouts set no 1 ms timer", async () => {
    await using broker = await startTestBroker();
    // The XSUB points nowhere: the subscription is never confirmed and the node is never ready.
    const node = await connect({
      connectXpubEndpoint: broker.xsubEndpoint,
      connectXsubEndpoint: "tcp://127.0.0.1:9",
      lingerMs: 0,
      log: () => {},
    });
    const sub = track(node.subscribe("never.confirmed", { timeoutMs: 2 ** 31 }));
    const ready = track(node.ready(Number.POSITIVE_INFINITY));
    const readyNegative = track(node.ready(-1));
    sub.promise.catch(() => {});
    ready.promise.catch(() => {});
    readyNegative.promise.catch(() => {});
    const start = Date.now();
    await until(() => Date.now() - start > 30, "30 ms to pass");
    expect(sub.state.settled).toBe(false);
    expect(ready.state.settled).toBe(false);
    expect(readyNegative.state.settled).toBe(false);
    await node.close();
    await expect(sub.promise).rejects.toMatchObject({ code: "CLOSED" });
    await expect(ready.promise).rejects.toMatchObject({ code: "CLOSED" });
    await expect(readyNegative.promise).rejects.toMatchObject({ code: "CLOSED" });
    await expect(node.ready()).rejects.toMatchObject({ code: "CLOSED" });
  });
});

describe("drop counters count events, not queues", () => {
  it("counts one onloopDrop per lost event however many full queues refused it, and never also as unhandled", async () => {
    await using broker = await startTestBroker();
    await using receiver = await nodeOn(broker, { name: "receiver", onloopQueueHwm: 1 });
    await using sender = await nodeOn(broker, { name: "sender" });
    // Three queues nobody reads: two for the event, one catch-all.
    receiver.events(other);
    receiver.events(other);
    receiver.events();
    await receiver.subscribe("t");
    await until(() => sender.remoteSubscriptions().has("t"), "the subscription at the sender");
    for (let i = 0; i < 5; i++) sender.publish("t", other.make(Value.count(i)));
    // An event only the (full) catch-all would take: dropped, not unhandled.
    sender.publish("t", { name: "Nobody::handles", args: [] });
    await until(() => receiver.stats().eventsReceived === 6, "every event at the receiver");
    const stats = receiver.stats();
    expect(stats).toMatchObject({ onloopDrops: 5, unhandledEvents: 0, typeErrors: 0, handlerQueueDrops: 13 });
    // The ledger: one event was delivered (the first), every other one is counted exactly once.
    expect(1 + stats.onloopDrops + stats.typeErrors + stats.unhandledEvents).toBe(stats.eventsReceived);
  });

  it("counts a type error once per event, and not when another handler took the event", async () => {
    await using broker = await startTestBroker();
    await using receiver = await nodeOn(broker, { name: "receiver" });
    await using sender = await nodeOn(broker, { name: "sender" });
    receiver.on(ping, () => {});
    receiver.on(ping, () => {});
    await receiver.subscribe("t");
    await until(() => sender.remoteSubscriptions().has("t"), "the subscription at the sender");
    sender.publish("t", { name: "Test::ping", args: [Value.integer(1)] });
    await until(() => receiver.stats().eventsReceived === 1, "the mismatched event");
    expect(receiver.stats()).toMatchObject({ typeErrors: 1, unhandledEvents: 0, onloopDrops: 0 });
    const all: string[] = [];
    receiver.on("Test::ping", (_args, event) => all.push(event.name));
    sender.publish("t", { name: "Test::ping", args: [Value.integer(2)] });
    await until(() => all.length === 1, "the untyped handler to take it");
    expect(receiver.stats()).toMatchObject({ typeErrors: 1, unhandledEvents: 0, eventsReceived: 2 });
  });
});

describe("a log callback that throws", () => {
  it("does not kill the receive loop: later messages are still processed, and the error is counted", async () => {
    await using broker = await startTestBroker();
    await using node = await nodeOn(broker, {
      name: "victim",
      log: () => {
        throw new Error("log sink closed");
      },
    });
    const status = node.status();
    await node.subscribe("t");
    const raw = new XPublisher({ linger: 0 });
    raw.connect(broker.xsubEndpoint);
    try {
      await within(5000, "the subscription at the raw peer", raw.receive());
      await raw.send(["t", "x", "y"]);
      await raw.send(["t", "x", "y"]);
      await until(() => node.stats().msgErrors === 2, "both malformed messages counted");
      expect(node.stats().internalErrors).toBe(1);
      let error: NodeStatus | undefined;
      for await (const event of status) {
        if (event.type === "error") {
          error = event;
          break;
        }
      }
      expect(error).toMatchObject({ type: "error", error: { message: "log sink closed" } });
    } finally {
      raw.close();
    }
  });

  it("does not stop the writer's pump when a failure callback throws", async () => {
    // An unconnected PUSH with sendTimeout 0 refuses every message at once (EAGAIN): a real, deterministic failure.
    const socket = new Push({ sendTimeout: 0, linger: 0 });
    const failures: string[] = [];
    const internal: unknown[] = [];
    const writer = new SocketWriter(
      socket,
      0,
      (reason) => {
        failures.push(reason);
        throw new Error("log sink closed");
      },
      undefined,
      0,
      (error) => internal.push(error),
    );
    try {
      writer.enqueue([Buffer.from("one")]);
      await until(() => failures.length === 1, "the first failure");
      writer.enqueue([Buffer.from("two")]);
      await until(() => failures.length === 2, "the second message to be tried");
      expect(await within(5000, "the flush", writer.flush(1000))).toBe(true);
      expect(failures).toEqual(["hwm", "hwm"]);
      expect(internal).toHaveLength(2);
    } finally {
      writer.close();
      socket.close();
    }
  });
});

describe("leaving an iteration", () => {
  it("removes the events() handler (named and catch-all) and the status() listener", async () => {
    await using broker = await startTestBroker();
    await using receiver = await nodeOn(broker, { name: "receiver" });
    await using sender = await nodeOn(broker, { name: "sender" });
    const named = receiver.events(other);
    const all = receiver.events();
    await named.return?.();
    all[Symbol.asyncIterator]();
    await all.return?.();
    for (let i = 0; i < 3; i++) await receiver.status().return?.();
    const listeners = (receiver as unknown as { statusListeners: Set<unknown> }).statusListeners;
    expect(listeners.size).toBe(0);
    await receiver.subscribe("t");
    await until(() => sender.remoteSubscriptions().has("t"), "the subscription at the sender");
    sender.publish("t", other.make(Value.count(1)));
    await until(() => receiver.stats().eventsReceived === 1, "the event");
    // No handler is left, so the event is unhandled (not silently dropped into an abandoned queue).
    expect(receiver.stats()).toMatchObject({ unhandledEvents: 1, onloopDrops: 0, handlerQueueDrops: 0 });
  });

  it("still delivers the final closed status to a full status stream", async () => {
    await using broker = await startTestBroker();
    const receiver = await nodeOn(broker, { name: "receiver" });
    // No limits anywhere on the way: the test is about the status stream, not about backpressure.
    await using sender = await nodeOn(broker, { name: "sender", xpubSndhwm: 0, publishQueueSize: 0 });
    const status = receiver.status();
    let calls = 0;
    // Every call emits an `error` status: 10 001 of them overflow the unread stream (10 000).
    receiver.on(other, () => {
      calls++;
      throw new Error("handler failed");
    });
    await receiver.subscribe("t");
    await until(() => sender.remoteSubscriptions().has("t"), "the subscription at the sender");
    for (let i = 0; i < 10_001; i++) sender.publish("t", other.make(Value.count(i)));
    await until(() => calls === 10_001, "every event at the receiver", 20_000);
    expect(receiver.stats().statusDrops).toBeGreaterThan(0);
    await receiver.close();
    let last: NodeStatus | undefined;
    for await (const event of status) last = event;
    expect(last).toEqual({ type: "closed", error: undefined });
  }, 30_000);
});

describe("concurrency", () => {
  it("a second drain() shares the first one instead of closing at once", async () => {
    await using broker = await startTestBroker();
    await using receiver = await nodeOn(broker, { name: "receiver" });
    let received = 0;
    receiver.on(ping, () => {
      received++;
    });
    await receiver.subscribe("d");
    const sender = await nodeOn(broker, { name: "sender", lingerMs: 5000 });
    await until(() => sender.remoteSubscriptions().has("d"), "the subscription");
    for (let i = 0; i < 100; i++) sender.publish("d", ping.make(Value.string("x"), Value.count(i)));
    const first = sender.drain();
    const second = sender.drain();
    await Promise.all([first, second]);
    expect(sender.stats()).toMatchObject({ closeDrops: 0, eventsPublished: 100 });
    await until(() => received === 100, "every event");
  });

  it("publishWhenReady({ timeoutMs: -1 }) waits for room instead of failing at once", async () => {
    await using broker = await startTestBroker();
    await using sender = await nodeOn(broker, { name: "sender", publishQueueSize: 1 });
    // One message in flight, one queued: the queue is full.
    expect(sender.publish("nobody", ping.make(Value.string("a"), Value.count(1)))).toBe(true);
    expect(sender.publish("nobody", ping.make(Value.string("b"), Value.count(2)))).toBe(true);
    expect(sender.publish("nobody", ping.make(Value.string("c"), Value.count(3)))).toBe(false);
    await within(
      5000,
      "publishWhenReady",
      sender.publishWhenReady("nobody", ping.make(Value.string("d"), Value.count(4)), { timeoutMs: -1 }),
    );
    await until(() => sender.stats().eventsPublished === 3, "the three accepted events");
  });

  it("serves concurrent next() calls on a Channel in order, losing none", async () => {
    const channel = new Channel<number>(10);
    const first = channel.next();
    const second = channel.next();
    channel.push(1);
    channel.push(2);
    expect(await within(1000, "the first next()", first)).toEqual({ value: 1, done: false });
    expect(await within(1000, "the second next()", second)).toEqual({ value: 2, done: false });
    const third = channel.next();
    const fourth = channel.next();
    channel.close();
    expect(await within(1000, "the end", Promise.all([third, fourth]))).toEqual([
      { value: undefined, done: true },
      { value: undefined, done: true },
    ]);
  });

  it("calls a Channel's onReturn once when the consumer leaves", async () => {
    let returned = 0;
    const channel = new Channel<number>(1, () => returned++);
    expect(channel.push(1)).toBe(true);
    expect(channel.push(2)).toBe(false);
    expect(channel.push(3, true)).toBe(true);
    await channel.return();
    await channel.return();
    expect(returned).toBe(1);
    expect(await channel.next()).toEqual({ value: undefined, done: true });
  });
});
