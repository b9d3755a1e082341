// A subscriber that stops reading while another keeps going (issue #5, Zeek's notes §4.3: "proxy XPUB, NODROP + a
// subscriber pipe full: zmq_proxy's blocking send stalls the whole proxy", which Zeek never tested). One publisher
// sends M pairs [stuck.<seq>, 8 KiB] + [live.<seq>]; "stuck" subscribes to stuck. and never reads (receive HWM 1,
// 4 KiB socket buffer), "reader" subscribes to live. and reads everything.
//
// Nothing here is timed. The native case rests on counting: with NODROP the broker's XPUB holds at most
// stuckCapacity stuck messages for the stuck subscriber (its pipe's HWM, 1000 as Zeek leaves it, plus what the
// kernel's socket buffers can hold at most, from the sysctls), and the path from the publisher into the broker holds
// at most publisherCapacity pairs. M is larger than both together, so however fast or slow the machine is:
// - native, NODROP (Zeek's default): the forwarder blocks on the stuck subscriber, so the reader can never have
//   more than stuckCapacity live messages and the publisher can never finish, until the stuck subscriber reads;
//   then everything arrives, nothing lost (head-of-line blocking, no drops);
// - native, NODROP off: nothing blocks (the reader gets all M, the publisher finishes); the stuck subscriber's
//   messages beyond its pipe are dropped silently (libzmq counts nothing);
// - managed (NODROP): nothing blocks either; one bounded wait, then drops, each one counted.
import { readFileSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import type { BrokerOptions, ManagedBrokerStats } from "@zmqc/broker";
import { startTestBroker } from "@zmqc/broker/testing";
import { Cleanup } from "@zmqc/zeek-harness";
import { afterEach, describe, expect, it } from "vitest";
import { Subscriber, XPublisher } from "zeromq";
import { within } from "./peers.js";

const STUCK_PAYLOAD = Buffer.alloc(8 * 1024, 7);
/** libzmq's default HWM, which the broker (like Zeek's proxy) leaves on its sockets, and a pipe's slack. */
const BROKER_HWM = 1000;
const PUBLISHER_HWM = 100;
const PUBLISHER_SNDBUF = 64 * 1024;
const STUCK_RCVBUF = 4096;
/** libzmq's encoder/decoder batches (8 KiB) and the message each end holds in hand, generously. */
const SLACK_BYTES = 64 * 1024;
const SLACK_MESSAGES = 16;

/** The largest socket buffer Linux lets TCP grow to (net.ipv4.tcp_wmem / tcp_rmem, third field). */
function tcpMax(which: "wmem" | "rmem"): number {
  try {
    const max = Number(readFileSync(`/proc/sys/net/ipv4/tcp_${which}`, "utf8").trim().split(/\s+/)[2]);
    if (Number.isFinite(max) && max > 0) return max;
  } catch {
    // Not Linux: assume a generous 64 MiB.
  }
  return 64 * 1024 * 1024;
}

const pairBytes = STUCK_PAYLOAD.length;
/** At most this many stuck messages fit between the broker's proxy loop and the stuck subscriber. */
const stuckCapacity =
  BROKER_HWM +
  SLACK_MESSAGES +
  Math.ceil((tcpMax("wmem") + 2 * STUCK_RCVBUF + SLACK_BYTES) / STUCK_PAYLOAD.length);
/** At most this many pairs fit between the publisher's send() and the broker's proxy loop. */
const publisherCapacity =
  Math.ceil((PUBLISHER_HWM + BROKER_HWM) / 2) +
  SLACK_MESSAGES +
  Math.ceil((2 * PUBLISHER_SNDBUF + tcpMax("rmem") + SLACK_BYTES) / pairBytes);
const M = stuckCapacity + publisherCapacity + 100;

const seqOf = (frame: Buffer | undefined) => frame?.readUInt32BE() ?? -1;
const seqFrame = (seq: number) => {
  const frame = Buffer.alloc(4);
  frame.writeUInt32BE(seq);
  return frame;
};

/** Sends, waiting out EAGAIN (the publisher's own HWM, while the broker does not read). */
async function publish(xpub: XPublisher, frames: (string | Buffer)[]): Promise<void> {
  for (;;) {
    try {
      await xpub.send(frames);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== "EAGAIN") throw error;
      await delay(1);
    }
  }
}

/** Resolves once `check()` holds, checking after each step of `progress`; bounded. */
function until(what: string, check: () => boolean, progress: Set<() => void>, ms = 20_000): Promise<void> {
  return within(
    ms,
    what,
    new Promise<void>((resolve) => {
      const step = () => {
        if (!check()) return;
        progress.delete(step);
        resolve();
      };
      progress.add(step);
      step();
    }),
  );
}

describe(`a subscriber that stops reading (M = ${M} pairs, 8 KiB to the stuck one)`, () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  async function scenario(options: BrokerOptions) {
    const broker = cleanup.add(await startTestBroker(options), (b) => b.close());
    const publisher = new XPublisher({
      linger: 0,
      noDrop: true,
      sendHighWaterMark: PUBLISHER_HWM,
      sendBufferSize: PUBLISHER_SNDBUF,
    });
    const stuck = new Subscriber({ linger: 0, receiveHighWaterMark: 1, receiveBufferSize: STUCK_RCVBUF });
    const reader = new Subscriber({ linger: 0 });
    cleanup.add(null, () => {
      publisher.close();
      stuck.close();
      reader.close();
    });
    publisher.connect(broker.xsubEndpoint);
    stuck.connect(broker.xpubEndpoint);
    reader.connect(broker.xpubEndpoint);
    stuck.subscribe("stuck.");
    reader.subscribe("live.");
    const wanted = new Set(["stuck.", "live."]);
    await within(
      5000,
      "both subscriptions at the publisher",
      (async () => {
        while (wanted.size > 0) {
          const [frame] = await publisher.receive();
          if (frame?.[0] === 1) wanted.delete(frame.subarray(1).toString());
        }
      })(),
    );

    const progress = new Set<() => void>();
    const tick = () => {
      for (const step of [...progress]) step();
    };
    const state = {
      accepted: 0,
      published: false,
      live: [] as number[],
      liveDone: false,
      stuck: [] as number[],
    };
    const publishing = (async () => {
      for (let i = 0; i < M; i++) {
        await publish(publisher, ["stuck.", seqFrame(i), STUCK_PAYLOAD]);
        await publish(publisher, ["live.", seqFrame(i)]);
        state.accepted++;
        if (i % 64 === 0) tick();
      }
      await publish(publisher, ["live.end"]);
      state.published = true;
      tick();
    })();
    const reading = (async () => {
      for (;;) {
        const [topic, seq] = await reader.receive();
        if (topic?.toString() === "live.end") break;
        state.live.push(seqOf(seq));
        if (state.live.length % 64 === 0) tick();
      }
      state.liveDone = true;
      tick();
    })();
    /** Starts reading the stuck subscriber: every message it gets, until `count` have come. */
    const drainStuck = (count: number) =>
      (async () => {
        while (state.stuck.length < count) {
          const [, seq] = await stuck.receive();
          state.stuck.push(seqOf(seq));
        }
      })();
    return { broker, state, progress, publishing, reading, drainStuck };
  }

  const all = Array.from({ length: M }, (_, i) => i);

  it("native, NODROP (Zeek's default): the whole forwarder blocks on the stuck subscriber (head-of-line), until it reads; then everything arrives, nothing lost", async () => {
    const { state, progress, publishing, reading, drainStuck } = await scenario({ mode: "native" });
    // Forwarding works until the stuck subscriber's pipe is full: at least its HWM of pairs get through.
    await until(
      `the reader to get ${BROKER_HWM} live messages`,
      () => state.live.length >= BROKER_HWM,
      progress,
    );
    // The publisher gets further than the reader ever can (its own path into the broker fills up too).
    await until("the publisher to hand over 1200 pairs", () => state.accepted >= 1200, progress);

    // However long one waited here: the live reader is held back by the stuck subscriber...
    expect(state.live.length).toBeLessThanOrEqual(stuckCapacity);
    expect(state.liveDone).toBe(false);
    // ...and the publisher cannot finish, because the broker stopped reading it.
    expect(state.published).toBe(false);

    // The stuck subscriber reads: everything flows again, and with NODROP nobody lost anything.
    const stuckReading = drainStuck(M);
    await within(30_000, "the publisher to finish", publishing);
    await within(30_000, "the reader to get everything", reading);
    await within(30_000, "the stuck subscriber to get everything", stuckReading);
    expect(state.live).toEqual(all);
    expect(state.stuck).toEqual(all);
  });

  it("native, NODROP off (listenXpubNodrop: false): nothing blocks; the stuck subscriber's messages beyond its HWM are dropped, silently", async () => {
    const { broker, state, publishing, reading } = await scenario({
      mode: "native",
      listenXpubNodrop: false,
    });
    await within(30_000, "the publisher to finish", publishing);
    await within(30_000, "the reader to get everything", reading);
    expect(state.live).toEqual(all);
    // No statistics in native mode: libzmq drops without a trace.
    expect(broker.stats()).toMatchObject({ proxy: undefined, droppedStuckSubscriber: 0n });
  });

  it("managed (NODROP): nothing blocks; one bounded wait, then the stuck subscriber's messages are dropped, each one counted", async () => {
    const { broker, state, publishing, reading, drainStuck } = await scenario({
      mode: "managed",
      stuckSubscriber: { maxWaitMs: 100 },
    });
    await within(30_000, "the publisher to finish", publishing);
    await within(30_000, "the reader to get everything", reading);
    expect(state.live).toEqual(all);
    // Every message read (3 frames per stuck message, 2 per live one, 1 for the end) was sent or dropped.
    const framesIn = BigInt(5 * M + 1);
    // The statistics are read without a round trip to the worker: poll them, bounded.
    await within(
      5000,
      "the statistics to count every frame read",
      (async () => {
        while ((broker.stats() as ManagedBrokerStats).proxy.frontendMessagesReceived !== framesIn)
          await delay(5);
      })(),
    );
    const stats = broker.stats() as ManagedBrokerStats;
    const dropped = stats.droppedStuckSubscriber;
    // More than the stuck subscriber can hold was sent to it: the rest was dropped and counted.
    expect(dropped).toBeGreaterThanOrEqual(BigInt(M - stuckCapacity));
    expect(stats.proxy.backendMessagesSent).toBe(framesIn - 3n * dropped);

    // The stuck subscriber still gets exactly the messages that were not dropped, in order.
    const delivered = M - Number(dropped);
    await within(30_000, `${delivered} messages at the stuck subscriber`, drainStuck(delivered));
    expect(state.stuck).toEqual([...state.stuck].sort((a, b) => a - b));
    expect(new Set(state.stuck).size).toBe(delivered);
  });
});
