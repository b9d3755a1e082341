// Hostile input at the sockets, seeded (RELIABILITY_SEED replays a run): random and mutated multipart messages
// (wrong part counts, huge frames, bad format names, truncated and flipped payloads, valid frames with poisoned
// values) sent straight at (a) a node's receive path through the broker, (b) the broker itself and (c) a logger's
// PULL, interleaved with good traffic. Each ends with a ledger: every message sent is received or counted by a
// named counter, the victim stays up, and every good message is delivered exactly once, in order.

import { mkdtemp, readFile, rm } from "node:fs/promises";
import { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Broker } from "@zmqc/broker";
import { startTestBroker } from "@zmqc/broker/testing";
import { startLogger } from "@zmqc/log-pipeline";
import { defineEvent } from "@zmqc/pubsub";
import { Value } from "@zmqc/wire-format";
import { Cleanup } from "@zmqc/zeek-harness";
import { afterEach, describe, expect, it } from "vitest";
import { Push, XPublisher, XSubscriber } from "zeromq";
import { stoppedOnTheirOwn } from "../src/alive.js";
import { BAD_EVENT, EventAttack, GOOD_EVENT, LogAttack } from "../src/hostile.js";
import { writeLedger } from "../src/ledger.js";
import { nodeOn } from "../src/node.js";
import { Prng, runSeed } from "../src/prng.js";
import { sendAll } from "../src/raw.js";
import { waitUntil, within } from "../src/wait.js";
import { connectRawZmtp } from "../src/zmtp.js";

/** Messages per attack: good and hostile, interleaved at random (fewer at the logger, which writes every batch out before it reads the next). */
const MESSAGES = 3000;
const LOG_MESSAGES = 1500;
const GOOD_SHARE = 0.4;

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** Tallies expected outcomes by counter name. */
function tally(into: Record<string, number>, key: string): void {
  into[key] = (into[key] ?? 0) + 1;
}

/** Resolves when `xpub` has seen a subscription to exactly `prefix` (so what it sends under it is not filtered). */
async function subscribed(xpub: XPublisher, prefix: string): Promise<void> {
  const wanted = Buffer.concat([Buffer.from([1]), Buffer.from(prefix)]);
  await within(
    `subscription to ${prefix}`,
    (async () => {
      for (;;) {
        const [frame] = await xpub.receive();
        if (frame?.equals(wanted)) return;
      }
    })(),
    10_000,
  );
}

describe("hostile input", () => {
  it("(a) at a node's receive path through the broker: every bad event counted, every good one delivered", async () => {
    const seed = runSeed(0x5eed0001);
    const prng = new Prng(seed);
    const broker = cleanup.add(await startTestBroker(), (b) => b.close());
    const victim = await nodeOn(cleanup, "victim", broker);
    const good = defineEvent(GOOD_EVENT, ["count"]);
    const goodSeen: number[] = [];
    let badAccepted = 0;
    victim.on(good, ([seq]) => goodSeen.push(Number(seq.value)));
    victim.on(BAD_EVENT, () => badAccepted++);
    const topic = "reliability.hostile.";
    await victim.subscribe(topic);

    const attacker = cleanup.add(new XPublisher({ noDrop: true, linger: 0, sendTimeout: 0 }), (s) =>
      s.close(),
    );
    attacker.connect(broker.xsubEndpoint);
    await subscribed(attacker, topic);

    const attack = new EventAttack(prng, { topicPrefix: topic, sender: "attacker", victimId: victim.nodeId });
    const expected: Record<string, number> = {};
    const kinds: Record<string, number> = {};
    let goodSent = 0;
    let badSent = 0;
    for (let i = 0; i < MESSAGES; i++) {
      if (prng.next() < GOOD_SHARE) {
        await sendAll(attacker, attack.good(goodSent++));
      } else {
        const message = attack.next();
        tally(expected, message.expect);
        tally(kinds, message.kind);
        badSent++;
        await sendAll(attacker, message.frames);
      }
    }
    // The last message is good: one path, in order, so once it is in everything before it has been handled.
    await sendAll(attacker, attack.good(goodSent++));
    await waitUntil("the last good event", () => goodSeen.length === goodSent, {
      ms: 20_000,
      describe: () => ({ good: goodSeen.length, stats: victim.stats() }),
    });

    const stats = victim.stats();
    const dropped = {
      msgErrors: stats.msgErrors,
      formatErrors: stats.formatErrors,
      decodeErrors: stats.decodeErrors,
      typeErrors: stats.typeErrors,
      unhandledEvents: stats.unhandledEvents,
      selfEchoes: stats.selfEchoes,
      onloopDrops: stats.onloopDrops,
      internalErrors: stats.internalErrors,
    };
    const ledger = writeLedger({
      scenario: "hostile-node",
      title: "Hostile events at a node's receive path, through the broker",
      proves:
        "Wrong part counts, bad format names, truncated, flipped, random and huge payloads, wrong argument types, unknown events and forged senders are each counted (msgErrors, formatErrors, decodeErrors, typeErrors, unhandledEvents, selfEchoes); the node stays up and every good event interleaved with them arrives once, in order.",
      unit: "events",
      sent: goodSent + badSent,
      received: goodSeen.length + badAccepted,
      dropped,
      findings: [
        "A node takes frames of any size (the 4 MiB frames here are taken whole): it has no maxMessageSize guard on purpose, since libzmq does not reconnect a connecting socket after a protocol error, so one oversized message would deafen the node for good. What reaches a node passed the broker, which has the guard (ZMQ_MAXMSGSIZE, off by default as in Zeek), as the logger does.",
      ],
      figures: {
        seed,
        goodSent,
        badSent,
        goodDelivered: goodSeen.length,
        badAcceptedAsValid: badAccepted,
        ...prefixed("kind: ", kinds),
      },
      unexpectedExits: await stoppedOnTheirOwn({ broker, victim }),
    });
    expect(ledger.balanced, JSON.stringify(ledger)).toBe(true);
    expect(ledger.unexpectedExits).toEqual([]);
    expect(goodSeen).toEqual(Array.from({ length: goodSent }, (_, i) => i));
    expect(stats.msgErrors).toBe(expected.msgErrors ?? 0);
    expect(stats.formatErrors).toBe(expected.formatErrors ?? 0);
    expect(stats.selfEchoes).toBe(expected.selfEchoes ?? 0);
    expect(stats.typeErrors).toBeGreaterThanOrEqual(expected.typeErrors ?? 0);
    expect(stats.unhandledEvents).toBeGreaterThanOrEqual(expected.unhandledEvents ?? 0);
    expect(badAccepted).toBeGreaterThanOrEqual(expected.accepted ?? 0);
    expect(stats.internalErrors).toBe(0);
    expect(stats.onloopDrops).toBe(0);
  });

  for (const mode of ["native", "managed"] as const) {
    it(`(b) at the ${mode} broker: anything published is forwarded, garbage subscriptions and connections change nothing`, async () => {
      const seed = runSeed(mode === "native" ? 0x5eed0002 : 0x5eed0003);
      const prng = new Prng(seed);
      const broker: Broker = cleanup.add(await startTestBroker({ mode }), (b) => b.close());
      // The good traffic: a node publishing to another through the broker the whole time.
      const receiver = await nodeOn(cleanup, "receiver", broker);
      const publisher = await nodeOn(cleanup, "publisher", broker);
      const good = defineEvent(GOOD_EVENT, ["count"]);
      const goodSeen: number[] = [];
      receiver.on(good, ([seq]) => goodSeen.push(Number(seq.value)));
      await receiver.subscribe("reliability.good.");

      // A sink that takes everything the broker forwards, and the attackers: one publishing, one "subscribing".
      const sink = cleanup.add(new XSubscriber({ linger: 0 }), (s) => s.close());
      sink.connect(broker.xpubEndpoint);
      const attacker = cleanup.add(new XPublisher({ noDrop: true, linger: 0, sendTimeout: 0 }), (s) =>
        s.close(),
      );
      attacker.connect(broker.xsubEndpoint);
      const subscriptionsBefore = await broker.subscriptions();
      await sink.send(Buffer.from([1]));
      await subscribed(attacker, "");
      await within(
        "the publisher sees the receiver's subscription",
        waitForSubscription(publisher, "reliability.good."),
        10_000,
      );

      let attackReceived = 0;
      let goodAtSink = 0;
      const sinkLoop = (async () => {
        for (;;) {
          let frames: Buffer[];
          try {
            frames = await sink.receive();
          } catch {
            return;
          }
          if (frames[0]?.subarray(0, 17).toString() === "reliability.good.") goodAtSink++;
          else attackReceived++;
        }
      })();

      const subAttacker = cleanup.add(new XSubscriber({ linger: 0 }), (s) => s.close());
      subAttacker.connect(broker.xpubEndpoint);

      let attackSent = 0;
      let goodSent = 0;
      let garbageSubscriptions = 0;
      let garbageConnections = 0;
      const connections: Promise<void>[] = [];
      for (let i = 0; i < MESSAGES; i++) {
        const roll = prng.next();
        if (roll < GOOD_SHARE) {
          await publisher.publishWhenReady("reliability.good.x", good.make(Value.count(goodSent++)));
        } else if (roll < 0.85) {
          // Anything at all, but never under the good topic (which the sink tells apart by its prefix).
          const count = prng.int(1, 7);
          const frames = Array.from({ length: count }, () =>
            prng.next() < 0.002
              ? prng.bytes(prng.int(1024 * 1024, 4 * 1024 * 1024))
              : prng.bytes(prng.int(0, 200)),
          );
          if (frames[0]?.[0] === 0x72) frames[0][0] = 0x71;
          await sendAll(attacker, frames);
          attackSent++;
        } else if (roll < 0.98) {
          await subAttacker.send(garbageSubscription(prng));
          garbageSubscriptions++;
        } else {
          connections.push(
            garbageConnection(prng, prng.next() < 0.5 ? broker.xpubEndpoint : broker.xsubEndpoint),
          );
          garbageConnections++;
        }
      }
      await publisher.publishWhenReady("reliability.good.x", good.make(Value.count(goodSent++)));
      await Promise.all(connections);
      await waitUntil(
        "everything at the sink and the receiver",
        () => goodSeen.length === goodSent && attackReceived === attackSent && goodAtSink === goodSent,
        {
          ms: 20_000,
          describe: () => ({
            goodSeen: goodSeen.length,
            goodSent,
            attackReceived,
            attackSent,
            goodAtSink,
            stats: String(broker.stats().droppedStuckSubscriber),
          }),
        },
      );
      // The subscription table (managed mode) holds the real subscriptions, whatever garbage came along (read
      // before the sink leaves, which unsubscribes "").
      const after = await broker.subscriptions();
      sink.close();
      await sinkLoop;
      const stats = broker.stats();
      if (after !== undefined) {
        expect(after.get("reliability.good.")).toBe(1);
        expect(after.get("")).toBe(1);
        for (const [prefix] of subscriptionsBefore ?? []) expect(after.has(prefix)).toBe(true);
      }
      const ledger = writeLedger({
        scenario: `hostile-broker-${mode}`,
        title: `Hostile messages, subscriptions and connections at the ${mode} broker`,
        proves:
          "The broker forwards any multipart message as it came (1 to 7 frames of random bytes, some of 1 to 4 MiB) without crashing or stalling; garbage subscription frames and connections that fail the ZMTP handshake leave its subscriptions and the good traffic between two nodes untouched.",
        unit: "messages",
        sent: attackSent + goodSent,
        received: attackReceived + goodSeen.length,
        dropped: { droppedStuckSubscriber: Number(stats.droppedStuckSubscriber) },
        findings: [
          "A peer that speaks ZMTP itself can cancel another subscriber's prefix with one rogue 0x00 frame: the broker's XPUB passes on an unsubscription the peer never made, and its XSUB cancels the prefix upstream at count 0 — a node-id topic cancelled this way is node_down on every node. (libzmq's own XSUB swallows such a frame, so a libzmq peer cannot.) Same in Zeek (same sockets); no XPUB/XSUB broker can tell which peer sent a frame, so CURVE is the guard. Kept in the suite as an expected failure (hostile-input: a rogue 0x00 …).",
          ...(mode === "managed"
            ? [
                "subscriptions() counts every VERBOSER subscribe frame, but libzmq keeps one entry per peer and prefix: a peer that subscribes to a prefix twice and leaves leaves a count of 1 behind for good (and so does the broker's XSUB upstream, as in Zeek); non-UTF-8 prefixes are merged by the lossy decoding. Kept in the suite as an expected failure.",
              ]
            : []),
        ],
        figures: {
          seed,
          attackSent,
          goodSent,
          garbageSubscriptions,
          garbageConnections,
          receiverMsgErrors: receiver.stats().msgErrors,
        },
        unexpectedExits: await stoppedOnTheirOwn({ broker, receiver, publisher }),
      });
      expect(ledger.balanced, JSON.stringify(ledger)).toBe(true);
      expect(ledger.unexpectedExits).toEqual([]);
      expect(ledger.unexpectedExits).toEqual([]);
      expect(goodSeen).toEqual(Array.from({ length: goodSent }, (_, i) => i));
      expect(
        receiver.stats().msgErrors + receiver.stats().decodeErrors + receiver.stats().internalErrors,
      ).toBe(0);
    });
  }

  // Found by this suite, as in Zeek (the same libzmq options): the broker's XPUB passes on an unsubscription even
  // from a peer that never subscribed to the prefix, and its XSUB then cancels the prefix upstream when its count
  // reaches 0. Any peer of the broker's XPUB can thus cancel another node's subscription with one 0x00 frame,
  // including a node-id topic, which every node reads as node_down. (Not through libzmq's XSUB, which swallows an
  // unsubscription from a prefix it never had, in any frame of a message: the rogue here is a hand-written ZMTP
  // peer, as an attacker's would be.) No broker built on XPUB/XSUB can tell which peer sent a frame, so neither
  // Zeek's nor ours can refuse it; CURVE (only key holders connect) is the guard. Kept as expected failures with the
  // real scenario, so that a fix shows up as a test to flip.
  for (const mode of ["native", "managed"] as const)
    it.fails(`(b) ${mode}: a rogue 0x00 frame from one subscriber does not cancel another subscriber's prefix`, async () => {
      const broker = cleanup.add(await startTestBroker({ mode }), (b) => b.close());
      const victim = await nodeOn(cleanup, "victim", broker);
      const watcher = await nodeOn(cleanup, "watcher", broker);
      await victim.subscribe("victim.topic");
      await waitUntil("the victim's subscription at the watcher", () =>
        watcher.remoteSubscriptions().has("victim.topic"),
      );
      // A hand-written ZMTP peer: a libzmq XSUB would swallow an unsubscription from a prefix it never had.
      const rogue = cleanup.add(await connectRawZmtp(broker.xpubEndpoint, "XSUB"), (peer) => peer.close());
      // The rogue's frames are taken in order: once its marker shows at the watcher, its 0x00 has been handled.
      await rogue.send([Buffer.from("\x00victim.topic", "latin1")]);
      await rogue.send([Buffer.from("\x01rogue.marker", "latin1")]);
      await waitUntil("the rogue's marker at the watcher", () =>
        watcher.remoteSubscriptions().has("rogue.marker"),
      );
      expect(watcher.remoteSubscriptions().has("victim.topic")).toBe(true);
    });
  // Also found: the managed broker's subscriptions() counts every subscribe frame the XPUB passes on (VERBOSER), but
  // libzmq keeps one entry per peer and prefix. A peer that subscribes to a prefix twice and then leaves leaves a
  // count of 1 behind for good — and so does the broker's XSUB, so the prefix stays subscribed upstream (publishers
  // keep sending it to the broker, which discards it), as in Zeek. The same frame-without-a-sender limit as above.
  it.fails("(b) the managed broker's subscriptions() drops a prefix once every peer that subscribed to it has left", async () => {
    const broker = cleanup.add(await startTestBroker({ mode: "managed" }), (b) => b.close());
    const peer = new XSubscriber({ linger: 0 });
    peer.connect(broker.xpubEndpoint);
    await peer.send(Buffer.from("\x01twice", "latin1"));
    await peer.send(Buffer.from("\x01twice", "latin1"));
    await waitUntil(
      "both subscribe frames at the broker",
      async () => (await broker.subscriptions())?.get("twice") === 2,
    );
    peer.close();
    await waitUntil(
      "the peer's leaving at the broker",
      async () => (await broker.subscriptions())?.get("twice") !== 2,
    );
    expect((await broker.subscriptions())?.has("twice")).toBe(false);
  });

  // The maxMessageSize guard (ZMQ_MAXMSGSIZE) is an option of the broker and the logger, both modes, off by default
  // as in Zeek: a peer sending a larger frame is cut off before the frame is buffered and reconnects by itself
  // (packages/broker/test/max-message-size.test.ts, packages/log-pipeline/test/max-message-size.test.ts). Nodes have
  // none on purpose: everything they receive passed the broker, and libzmq does not reconnect a connecting socket
  // after a protocol error, so a node-side limit would let one oversized message deafen a node for good.

  it("(c) at a logger's PULL: every bad batch counted, every good record written once", async () => {
    const seed = runSeed(0x5eed0004);
    const prng = new Prng(seed);
    const dir = await mkdtemp(join(tmpdir(), "zmqc-reliability-"));
    cleanup.add(dir, (d) => rm(d, { recursive: true, force: true }));
    const logger = cleanup.add(
      await startLogger({
        listenLogEndpoint: "tcp://127.0.0.1:*",
        dir,
        rotationIntervalMs: 0,
        log: () => {},
      }),
      (l) => l.close(),
    );
    const attacker = cleanup.add(new Push({ linger: 0 }), (s) => s.close());
    attacker.connect(logger.endpoint);
    const attack = new LogAttack(prng, { sender: "attacker" });
    const expected: Record<string, number> = {};
    const kinds: Record<string, number> = {};
    let goodBatches = 0;
    let goodRecords = 0;
    let badSent = 0;
    const goodBatch = async () => {
      const count = prng.int(1, 20);
      await attacker.send(attack.good(goodRecords, count));
      goodRecords += count;
      goodBatches++;
    };
    // The first batch is good, so good.log is opened with its columns (a poisoned batch with other columns for the
    // same path would otherwise open it, and every good batch would be refused as a write error).
    await goodBatch();
    for (let i = 0; i < LOG_MESSAGES; i++) {
      if (prng.next() < GOOD_SHARE) {
        await goodBatch();
      } else {
        const message = attack.next();
        tally(expected, message.expect);
        tally(kinds, message.kind);
        badSent++;
        await attacker.send(message.frames);
      }
    }
    await goodBatch();
    const sent = goodBatches + badSent;
    const handled = () => {
      const s = logger.stats();
      return s.batchesWritten + s.writeErrors + s.msgErrors + s.formatErrors + s.decodeErrors;
    };
    await waitUntil("every batch handled", () => handled() === sent, {
      ms: 20_000,
      describe: () => logger.stats(),
    });
    const stats = logger.stats();
    const exits = await stoppedOnTheirOwn({ logger });
    await logger.close();
    expect(await logger.closed).toBeUndefined();

    const seqs = (await readFile(join(dir, "good.log"), "utf8"))
      .split("\n")
      .filter((line) => line !== "" && !line.startsWith("#"))
      .map((line) => Number(line.split("\t")[0]));
    const ledger = writeLedger({
      scenario: "hostile-logger",
      title: "Hostile log batches at a logger's PULL",
      proves:
        "Wrong part counts, bad format names, truncated, flipped, random and huge payloads are counted (msgErrors, formatErrors, decodeErrors), batches with poisoned paths (../, /, NUL) or columns are refused and counted (writeErrors) without a file outside the log directory; the logger stays up and writes every good record once, in order.",
      unit: "batches",
      sent,
      received: stats.batchesWritten,
      dropped: {
        msgErrors: stats.msgErrors,
        formatErrors: stats.formatErrors,
        decodeErrors: stats.decodeErrors,
        writeErrors: stats.writeErrors,
      },
      figures: {
        seed,
        goodBatches,
        goodRecords,
        goodRecordsInFile: seqs.length,
        badSent,
        ...prefixed("kind: ", kinds),
      },
      unexpectedExits: exits,
    });
    expect(ledger.balanced, JSON.stringify(ledger)).toBe(true);
    expect(ledger.unexpectedExits).toEqual([]);
    expect(stats.batchesReceived).toBe(stats.batchesWritten + stats.writeErrors);
    expect(seqs).toEqual(Array.from({ length: goodRecords }, (_, i) => i));
    expect(stats.msgErrors).toBe(expected.msgErrors ?? 0);
    expect(stats.formatErrors).toBe(expected.formatErrors ?? 0);
    expect(stats.writeErrors).toBeGreaterThanOrEqual(expected.writeErrors ?? 0);
  });
});

function prefixed(prefix: string, record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [`${prefix}${key}`, value]));
}

/** Resolves when `node` sees a subscription to `prefix`. */
async function waitForSubscription(
  node: { remoteSubscriptions(): ReadonlySet<string> },
  prefix: string,
): Promise<void> {
  await waitUntil(`subscription ${prefix}`, () => node.remoteSubscriptions().has(prefix));
}

/** A message a subscriber should never send: several frames, a first byte other than 0/1, empty, or junk (un)subscribes. */
function garbageSubscription(prng: Prng): Buffer[] {
  switch (prng.int(0, 4)) {
    case 0:
      // A later frame is read as a (un)subscription too when it starts with 0 or 1: never here (see the rogue test).
      return [
        Buffer.from([1, 0x7a]),
        Buffer.concat([Buffer.from([prng.int(2, 255)]), prng.bytes(prng.int(0, 30))]),
      ];
    case 1:
      return [Buffer.concat([Buffer.from([prng.int(2, 255)]), prng.bytes(prng.int(0, 30))])];
    case 2:
      return [Buffer.alloc(0)];
    case 3:
      // Unsubscribing from prefixes nobody has: forwarded (VERBOSER), then ignored by every XSUB.
      return [Buffer.concat([Buffer.from([0]), Buffer.from("zz.nobody."), prng.bytes(prng.int(0, 10))])];
    default:
      return [Buffer.concat([Buffer.from([1]), Buffer.from("zz.junk."), prng.bytes(prng.int(0, 64))])];
  }
}

/**
 * A TCP connection that fails the ZMTP handshake and waits for the broker to hang up: a bad signature, a ZMTP 3
 * greeting with an unknown mechanism, or a NULL greeting followed by garbage instead of READY. (Not plain random
 * bytes: a first byte other than 0xff makes libzmq read ZMTP 1.0 frames, so random bytes can be valid messages.)
 */
async function garbageConnection(prng: Prng, endpoint: string): Promise<void> {
  const [, host, port] = /^tcp:\/\/(.+):(\d+)$/.exec(endpoint) ?? [];
  const socket = new Socket();
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  socket.on("error", () => {});
  socket.connect(Number(port), host ?? "127.0.0.1", () => {
    const greeting = Buffer.alloc(64);
    greeting[0] = 0xff;
    greeting[9] = 0x7f;
    greeting[10] = 3;
    greeting.write(prng.next() < 0.5 ? "NULL" : "EVIL", 12, "latin1");
    const bytes = prng.pick([
      Buffer.concat([Buffer.from([0xff]), prng.bytes(prng.int(1, 300))]),
      Buffer.concat([greeting, prng.bytes(prng.int(1, 300))]),
    ]);
    socket.end(bytes);
  });
  // libzmq hangs up on a bad greeting; one that is merely incomplete waits for more, so we hang up ourselves.
  const timer = setTimeout(() => socket.destroy(), 200);
  await closed;
  clearTimeout(timer);
}
