// The reconnect hold with the writer it gates, over a stand-in for the XPUB that records what it is handed (the
// socket-level behaviour is in test/reconnect-hold.test.ts, with a real broker stopped and started again).
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { type HoldChange, ReconnectHold } from "./reconnect-hold.js";
import { SocketWriter, type WriteFailure } from "./writer.js";

/** A writer gated by a hold, on a stand-in socket; messages are `[topic, sequence]`, recorded as "topic:seq". */
function rig(holdMs: number, sendDelayMs = 0) {
  const sent: string[] = [];
  const failed: [WriteFailure, string][] = [];
  // What the hold reported, each with the drops counted by then.
  const changes: (HoldChange & { dropsSoFar: number })[] = [];
  const text = (frames: readonly Uint8Array[]) =>
    `${Buffer.from(frames[0] as Uint8Array).toString("latin1")}:${Buffer.from(frames[1] as Uint8Array)}`;
  const socket = {
    async send(frames: Uint8Array[]) {
      if (sendDelayMs > 0) await sleep(sendDelayMs);
      sent.push(text(frames));
    },
  };
  const hold: ReconnectHold = new ReconnectHold(
    holdMs,
    () => writer.releaseHeld(),
    (unclaimed) => writer.dropHeld(unclaimed),
    (change) => changes.push({ ...change, dropsSoFar: failed.length }),
  );
  const writer: SocketWriter = new SocketWriter(
    socket as never,
    1000,
    (reason, _error, frames) => failed.push([reason, text(frames)]),
    undefined,
    0,
    (error) => {
      throw error;
    },
    1,
    hold,
  );
  const put = (topic: string | Buffer, seq: number) =>
    writer.enqueue([typeof topic === "string" ? Buffer.from(topic) : topic, Buffer.from(String(seq))]);
  const subscribe = (prefix: string | Buffer, times = 1) => {
    for (let i = 0; i < times; i++)
      hold.subscriptionFrame(typeof prefix === "string" ? Buffer.from(prefix) : prefix, true);
  };
  const sequence = (topic: string) =>
    sent.filter((s) => s.startsWith(`${topic}:`)).map((s) => Number(s.slice(topic.length + 1)));
  const phases = () =>
    changes.map((change) =>
      change.phase === "started" ? "started" : `ended ${change.reason} ${change.missingPrefixes}`,
    );
  return { sent, failed, changes, phases, hold, writer, put, subscribe, sequence };
}

describe("ReconnectHold", () => {
  it("sends nothing known before the outage until its subscriber is back, then in order; the rest at once", async () => {
    const { sent, hold, writer, put, subscribe, sequence } = rig(10_000);
    subscribe("a");
    subscribe("b");
    hold.disconnected();
    for (let i = 0; i < 5; i++) {
      put("a.x", i);
      put("b.x", i);
    }
    put("nobody", 0);
    await sleep(5);
    expect(sent).toEqual(["nobody:0"]);
    expect(writer.heldCount).toBe(10);
    hold.reconnected();
    subscribe("b");
    await sleep(5);
    // b's subscriber is back: its events go, a's wait.
    expect(sequence("b.x")).toEqual([0, 1, 2, 3, 4]);
    expect(writer.heldCount).toBe(5);
    subscribe("a");
    expect(await writer.flush(1000)).toBe(true);
    expect(sequence("a.x")).toEqual([0, 1, 2, 3, 4]);
    expect(hold.holding).toBe(false);
    hold.close();
  });

  it("a prefix with two subscribers before the outage waits for both", async () => {
    const { hold, writer, put, subscribe, sequence } = rig(10_000);
    subscribe("shared", 2);
    hold.disconnected();
    put("shared.x", 0);
    hold.reconnected();
    subscribe("shared");
    await sleep(5);
    expect(writer.heldCount).toBe(1);
    subscribe("shared");
    expect(await writer.flush(1000)).toBe(true);
    expect(sequence("shared.x")).toEqual([0]);
    hold.close();
  });

  it("counts a subscription that comes before the monitor reports the reconnect", async () => {
    const { failed, hold, writer, put, subscribe, sequence } = rig(100);
    subscribe("a");
    hold.disconnected();
    put("a.x", 0);
    subscribe("a");
    hold.reconnected();
    expect(await writer.flush(1000)).toBe(true);
    expect(sequence("a.x")).toEqual([0]);
    expect(failed).toEqual([]);
  });

  it("at holdMs drops what waits for a prefix nobody came back for, sends what some came back for", async () => {
    const { failed, hold, writer, put, subscribe, sequence } = rig(50);
    subscribe("gone");
    subscribe("half", 2);
    hold.disconnected();
    put("gone.x", 0);
    put("half.x", 0);
    hold.reconnected();
    subscribe("half");
    expect(await writer.flush(2000)).toBe(true);
    expect(failed).toEqual([["unclaimed", "gone.x:0"]]);
    expect(sequence("half.x")).toEqual([0]);
    expect(hold.holding).toBe(false);
  });

  it("forgets a prefix that did not come back: the next outage neither waits for it nor counts its events", async () => {
    const { failed, hold, writer, put, subscribe, sequence } = rig(30);
    subscribe("gone");
    subscribe("a");
    hold.disconnected();
    hold.reconnected();
    subscribe("a");
    await sleep(60);
    expect(hold.holding).toBe(false);
    hold.disconnected();
    put("gone.x", 1);
    hold.reconnected();
    subscribe("a");
    expect(await writer.flush(1000)).toBe(true);
    expect(sequence("gone.x")).toEqual([1]);
    expect(failed).toEqual([]);
  });

  it("times the hold from the first reconnect: a connection that keeps coming and going does not hold for ever", async () => {
    const { failed, hold, writer, put, subscribe } = rig(100);
    subscribe("a");
    hold.disconnected();
    put("a.x", 0);
    for (let i = 0; i < 10; i++) {
      hold.reconnected();
      await sleep(30);
      hold.disconnected();
    }
    // Each reconnect would have restarted a timer of its own, which would never have fired.
    expect(failed).toEqual([["unclaimed", "a.x:0"]]);
    expect(writer.heldCount).toBe(0);
    hold.close();
  });

  it("a hold that times out while disconnected again drops what waits and goes on until the next reconnect", async () => {
    const { failed, hold, writer, put, subscribe, sequence } = rig(50);
    subscribe("a");
    hold.disconnected();
    put("a.x", 0);
    hold.reconnected();
    hold.disconnected();
    await sleep(80);
    expect(failed).toEqual([["unclaimed", "a.x:0"]]);
    expect(hold.holding).toBe(true);
    put("a.x", 1);
    await sleep(5);
    expect(writer.heldCount).toBe(1);
    hold.reconnected();
    subscribe("a");
    expect(await writer.flush(1000)).toBe(true);
    expect(sequence("a.x")).toEqual([1]);
  });

  it("keeps each topic in order through releases during a send and a second outage", async () => {
    const { hold, writer, put, subscribe, sequence } = rig(10_000, 2);
    for (const topic of ["a", "b", "c"]) subscribe(topic);
    for (const topic of ["a", "b", "c"]) put(topic, 0);
    await sleep(1);
    hold.disconnected();
    for (let i = 1; i < 20; i++) for (const topic of ["a", "b", "c"]) put(topic, i);
    await sleep(10);
    hold.reconnected();
    subscribe("b");
    for (let i = 20; i < 30; i++) for (const topic of ["a", "b", "c"]) put(topic, i);
    await sleep(3);
    hold.disconnected();
    for (let i = 30; i < 35; i++) for (const topic of ["a", "b", "c"]) put(topic, i);
    hold.reconnected();
    for (const topic of ["a", "b", "c"]) subscribe(topic);
    expect(await writer.flush(5000)).toBe(true);
    for (const topic of ["a", "b", "c"])
      expect(sequence(topic)).toEqual(Array.from({ length: 35 }, (_, i) => i));
    hold.close();
  });

  it("matches prefixes by their bytes, UTF-8 or not", async () => {
    const { hold, writer, put, subscribe, sequence } = rig(10_000);
    const prefix = Buffer.from([0xc3]);
    const topic = Buffer.from("é-topic");
    subscribe(prefix);
    subscribe("z");
    hold.disconnected();
    put(topic, 0);
    hold.reconnected();
    subscribe("z");
    await sleep(5);
    expect(writer.heldCount).toBe(1);
    subscribe(prefix);
    expect(await writer.flush(1000)).toBe(true);
    expect(sequence(topic.toString("latin1"))).toEqual([0]);
  });

  it("reports its start once per outage and its end when every subscriber is back", async () => {
    const { changes, phases, hold, writer, put, subscribe } = rig(10_000);
    subscribe("a");
    hold.disconnected();
    put("a.x", 0);
    hold.reconnected();
    // The connection drops again before anyone is back: still the same hold.
    hold.disconnected();
    hold.reconnected();
    expect(phases()).toEqual(["started"]);
    await sleep(20);
    subscribe("a");
    expect(await writer.flush(1000)).toBe(true);
    expect(phases()).toEqual(["started", "ended complete 0"]);
    const end = changes[1] as Extract<HoldChange, { phase: "ended" }>;
    expect(end.heldMs).toBeGreaterThanOrEqual(15);
    // The next outage is a new hold.
    hold.disconnected();
    expect(phases()).toEqual(["started", "ended complete 0", "started"]);
    hold.close();
  });

  it("reports a timed-out end after counting its drops, and names how many prefixes nobody came back for", async () => {
    const { failed, changes, phases, hold, writer, put, subscribe } = rig(40);
    subscribe("gone");
    subscribe("other");
    subscribe("half", 2);
    hold.disconnected();
    put("gone.x", 0);
    put("other.x", 0);
    hold.reconnected();
    subscribe("half");
    expect(await writer.flush(2000)).toBe(true);
    expect(failed.map(([, what]) => what)).toEqual(["gone.x:0", "other.x:0"]);
    expect(phases()).toEqual(["started", "ended timeout 2"]);
    expect(changes[1]?.dropsSoFar).toBe(2);
  });

  it("reports no end while a timed-out hold waits for the next reconnect, then ends as timed out", async () => {
    const { failed, phases, hold, writer, put, subscribe } = rig(30);
    subscribe("a");
    hold.disconnected();
    put("a.x", 0);
    hold.reconnected();
    hold.disconnected();
    await sleep(60);
    expect(phases()).toEqual(["started"]);
    expect(failed).toEqual([["unclaimed", "a.x:0"]]);
    hold.reconnected();
    subscribe("a");
    expect(await writer.flush(1000)).toBe(true);
    // Every subscriber is back, but the hold dropped events on the way: not "complete".
    expect(phases()).toEqual(["started", "ended timeout 1"]);
  });

  it("does not wait for this node's own frame of a prefix it left, before or during the outage", async () => {
    const { sent, phases, hold, writer, put, subscribe, sequence } = rig(10_000);
    // Left before the outage, its unsubscription's echo not back yet: still live, but not waited for.
    subscribe("probe");
    hold.ownUnsubscription(Buffer.from("probe"));
    // Held by this node and another one; this node leaves it during the hold.
    subscribe("shared", 2);
    hold.disconnected();
    put("probe.x", 0);
    put("shared.x", 0);
    await sleep(5);
    expect(sent).toEqual(["probe.x:0"]);
    hold.reconnected();
    subscribe("shared");
    await sleep(5);
    expect(writer.heldCount).toBe(1);
    hold.ownUnsubscription(Buffer.from("shared"));
    expect(await writer.flush(1000)).toBe(true);
    expect(sequence("shared.x")).toEqual([0]);
    expect(phases()).toEqual(["started", "ended complete 0"]);
  });

  it("a prefix only this node held, left during the outage, ends the hold without waiting", async () => {
    const { phases, hold, writer, put, subscribe, sequence } = rig(10_000);
    hold.ownSubscription(Buffer.from("mine"));
    subscribe("mine");
    hold.disconnected();
    put("mine.x", 0);
    hold.ownUnsubscription(Buffer.from("mine"));
    expect(hold.holding).toBe(false);
    expect(await writer.flush(1000)).toBe(true);
    expect(sequence("mine.x")).toEqual([0]);
    expect(phases()).toEqual(["started", "ended complete 0"]);
  });

  it("holds nothing, and reports nothing, for an outage while no prefix is subscribed", async () => {
    const { sent, phases, hold, put } = rig(10_000);
    hold.disconnected();
    expect(hold.holding).toBe(false);
    put("a.x", 0);
    await sleep(5);
    expect(sent).toEqual(["a.x:0"]);
    hold.reconnected();
    expect(phases()).toEqual([]);
  });

  it("a node closing during a hold ends it as closed, naming the prefixes not back", async () => {
    const { phases, hold, put, subscribe } = rig(10_000);
    subscribe("a");
    subscribe("b");
    hold.disconnected();
    put("a.x", 0);
    hold.reconnected();
    subscribe("b");
    hold.close();
    expect(phases()).toEqual(["started", "ended closed 1"]);
    expect(hold.holding).toBe(false);
    hold.close();
    expect(phases()).toHaveLength(2);
  });

  it("holds nothing when off (0)", async () => {
    const { phases, hold, writer, put, subscribe, sequence } = rig(0);
    subscribe("a");
    hold.disconnected();
    put("a.x", 0);
    expect(await writer.flush(1000)).toBe(true);
    expect(sequence("a.x")).toEqual([0]);
    expect(phases()).toEqual([]);
  });
});
