// Throughput and latency of @zmqc/pubsub against a hand-written zeromq.js loop, over the same kind of broker
// (startTestBroker: native proxy, 127.0.0.1, ephemeral ports), in one run:
//   1. events/s of `Cluster::Backend::ZeroMQ::hello(name, id)` in broker-bin-v1, sender node → receiver node
//      (zmqc: publish() encodes each event, the receiver decodes and type-checks it into a handler); raw: an
//      XPUB sending 4 pre-encoded frames, an XSUB counting messages. Target: zmqc ≥ 0.8× raw.
//   2. p50/p99 round-trip latency of a ping-pong between two nodes (zmqc: handler publishes the pong; raw: the
//      receiving loop sends pre-encoded frames back), both set up at once and run in alternating blocks of 100
//      round trips so both see the same machine. Target: zmqc ≤ 1.3× raw.
// Bounded: N events (default 100 000) or 10 s per throughput run, R round trips a side (default 2 000) or 20 s.
//   pnpm --filter @zmqc/pubsub bench            (N and R from BENCH_EVENTS / BENCH_ROUNDS)
//   pnpm --filter @zmqc/pubsub bench --latency  (the latency part only; warm-up round trips from BENCH_WARMUP)
// The p99 tail depends on the warm-up: V8 optimises (TurboFan) each hot function of the path only after it ran
// many times, and with one event per round trip a few thousand round trips pass before the last compile; each
// compile (0.3-10 ms on a background thread) competes for the 2 cores with both ends and the broker. Compare
// BENCH_WARMUP=200 with BENCH_WARMUP=6000, or run with NODE_OPTIONS=--no-opt: the tail of slow round trips shrinks.
import { startTestBroker } from "@zmqc/broker/testing";
import { type ClusterNode, connect, defineEvent } from "@zmqc/pubsub";
import { encodeBrokerBinEvent, Value } from "@zmqc/wire-format";
import { XPublisher, XSubscriber } from "zeromq";

const N = Number(process.env.BENCH_EVENTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2_000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 200);
const LATENCY_ONLY = process.argv.includes("--latency");
const BLOCK = 100;
const LIMIT_MS = 10_000;
const QUEUE = 1000;

const hello = defineEvent("Cluster::Backend::ZeroMQ::hello", ["string", "string"]);
const ping = defineEvent("Bench::ping", ["count"]);

type Endpoints = { readonly xpubEndpoint: string; readonly xsubEndpoint: string };

function nodeOn(broker: Endpoints, name: string): Promise<ClusterNode> {
  return connect({
    name,
    connectXpubEndpoint: broker.xsubEndpoint,
    connectXsubEndpoint: broker.xpubEndpoint,
    lingerMs: 0,
    publishQueueSize: QUEUE,
    // Zeek's no-drop setting (overload-no-drop), on both sides of the comparison. `overflow: { waitMs }` cannot
    // stand in for it: libzmq's XPUB always reports POLLOUT, so ZMQ_SNDTIMEO never makes a send wait there.
    xpubSndhwm: 0,
    log: () => {},
  });
}

function deadline<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: over ${LIMIT_MS} ms`)), LIMIT_MS + 2000);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * A blocking send for an XPUB with NODROP: libzmq's XPUB always reports POLLOUT, so zeromq.js cannot wait for room
 * and rejects with EAGAIN at the HWM; retry on the next turn of the event loop until it goes.
 */
async function sendWaiting(socket: XPublisher, frames: Buffer[]): Promise<void> {
  for (;;) {
    try {
      await socket.send(frames);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== "EAGAIN") throw error;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** Round trips over 1 ms: the tail that p99 reads. */
function slow(sorted: readonly number[]): number {
  return sorted.filter((ms) => ms > 1).length;
}

interface Throughput {
  readonly events: number;
  readonly ms: number;
  readonly perSecond: number;
}

async function zmqcThroughput(): Promise<Throughput> {
  await using broker = await startTestBroker();
  const sender = await nodeOn(broker, "worker-1");
  const receiver = await nodeOn(broker, "manager");
  try {
    await Promise.all([sender.ready(), receiver.ready()]);
    let received = 0;
    let done!: () => void;
    const all = new Promise<void>((resolve) => {
      done = resolve;
    });
    receiver.on(hello, () => {
      if (++received === N) done();
    });
    await receiver.subscribe("zeek.cluster.manager");
    while (!sender.remoteSubscriptions().has("zeek.cluster.manager"))
      await new Promise((r) => setImmediate(r));
    const event = hello.make(Value.string("worker-1"), Value.string(sender.nodeId));
    const start = performance.now();
    let sent = 0;
    while (sent < N && performance.now() - start < LIMIT_MS) {
      // Fill the publish queue, then wait for room (publishWhenReady), never refusing an event.
      await sender.publishWhenReady("zeek.cluster.manager", event, { timeoutMs: LIMIT_MS });
      sent++;
      const room = QUEUE - sender.stats().pendingPublishes;
      for (let i = 0; i < room && sent < N; i++, sent++) sender.publish("zeek.cluster.manager", event);
    }
    if (sent === N)
      await deadline(all, `zmqc: receiving (${received} so far, ${JSON.stringify(sender.stats())})`);
    const ms = performance.now() - start;
    const stats = { tx: sender.stats(), rx: receiver.stats() };
    if (stats.tx.xpubDrops + stats.tx.publishQueueDrops + stats.rx.onloopDrops > 0)
      console.warn("zmqc: drops during the run", stats);
    return { events: received, ms, perSecond: (received / ms) * 1000 };
  } finally {
    await sender.close();
    await receiver.close();
  }
}

async function rawThroughput(): Promise<Throughput> {
  await using broker = await startTestBroker();
  // NODROP as a Zeek node (and ours): at the HWM send waits instead of dropping silently.
  const xpub = new XPublisher({ linger: 0, noDrop: true, sendHighWaterMark: 0 });
  const xsub = new XSubscriber({ linger: 0 });
  try {
    xpub.connect(broker.xsubEndpoint);
    xsub.connect(broker.xpubEndpoint);
    await xsub.send(Buffer.from("\x01zeek.cluster.manager"));
    // Wait for the subscription to reach the XPUB (it forwards nothing before).
    for (;;) {
      const [frame] = await deadline(xpub.receive(), "raw: subscription");
      if (frame?.toString("latin1") === "\x01zeek.cluster.manager") break;
    }
    const id = "zeromq_worker-1_bench_1_Nraw";
    const frames = [
      Buffer.from("zeek.cluster.manager"),
      Buffer.from(id),
      Buffer.from("broker-bin-v1"),
      Buffer.from(encodeBrokerBinEvent(hello.make(Value.string("worker-1"), Value.string(id)))),
    ];
    let received = 0;
    const receiving = (async () => {
      // (failures surface through deadline() below)
      while (received < N) {
        await xsub.receive();
        received++;
      }
    })();
    const start = performance.now();
    for (let sent = 0; sent < N && performance.now() - start < LIMIT_MS; sent++)
      await sendWaiting(xpub, frames);
    await deadline(receiving, "raw: receiving");
    const ms = performance.now() - start;
    return { events: received, ms, perSecond: (received / ms) * 1000 };
  } finally {
    xpub.close();
    xsub.close();
  }
}

/** One side of the latency comparison, set up and ready: `roundTrip()` returns one ping-pong's RTT in ms. */
interface PingPong {
  roundTrip(i: number): Promise<number>;
  close(): Promise<void>;
}

async function zmqcPingPong(): Promise<PingPong> {
  const broker = await startTestBroker();
  const a = await nodeOn(broker, "a");
  const b = await nodeOn(broker, "b");
  await Promise.all([a.ready(), b.ready()]);
  b.on(ping, ([n]) => {
    b.publish("pp.a", ping.make(n));
  });
  let pong: (() => void) | undefined;
  a.on(ping, () => pong?.());
  await a.subscribe("pp.a");
  await b.subscribe("pp.b");
  while (!a.remoteSubscriptions().has("pp.b") || !b.remoteSubscriptions().has("pp.a"))
    await new Promise((r) => setImmediate(r));
  return {
    async roundTrip(i) {
      const back = new Promise<void>((resolve) => {
        pong = resolve;
      });
      const t0 = performance.now();
      a.publish("pp.b", ping.make(Value.count(i)));
      await deadline(back, "zmqc: pong");
      return performance.now() - t0;
    },
    async close() {
      await a.close();
      await b.close();
      await broker.close();
    },
  };
}

async function rawPingPong(): Promise<PingPong> {
  const broker = await startTestBroker();
  const sockets = {
    aPub: new XPublisher({ linger: 0, noDrop: true, sendHighWaterMark: 0 }),
    aSub: new XSubscriber({ linger: 0 }),
    bPub: new XPublisher({ linger: 0, noDrop: true, sendHighWaterMark: 0 }),
    bSub: new XSubscriber({ linger: 0 }),
  };
  for (const pub of [sockets.aPub, sockets.bPub]) pub.connect(broker.xsubEndpoint);
  for (const sub of [sockets.aSub, sockets.bSub]) sub.connect(broker.xpubEndpoint);
  await sockets.aSub.send(Buffer.from("\x01pp.a"));
  await sockets.bSub.send(Buffer.from("\x01pp.b"));
  // Each publisher must have seen the other side's subscription.
  const seen = async (pub: XPublisher, topic: string) => {
    for (;;) {
      const [frame] = await deadline(pub.receive(), "raw: subscription");
      if (frame?.toString("latin1") === `\x01${topic}`) return;
    }
  };
  await Promise.all([seen(sockets.aPub, "pp.b"), seen(sockets.bPub, "pp.a")]);
  const frames = (topic: string, id: string) => [
    Buffer.from(topic),
    Buffer.from(id),
    Buffer.from("broker-bin-v1"),
    Buffer.from(encodeBrokerBinEvent(ping.make(Value.count(1)))),
  ];
  const toB = frames("pp.b", "raw-a");
  const toA = frames("pp.a", "raw-b");
  let running = true;
  const echo = (async () => {
    while (running) {
      try {
        await sockets.bSub.receive();
      } catch {
        return;
      }
      await sendWaiting(sockets.bPub, toA);
    }
  })();
  return {
    async roundTrip() {
      const t0 = performance.now();
      await sendWaiting(sockets.aPub, toB);
      await deadline(sockets.aSub.receive(), "raw: pong");
      return performance.now() - t0;
    },
    async close() {
      running = false;
      sockets.bSub.close();
      await echo;
      for (const socket of Object.values(sockets)) if (!socket.closed) socket.close();
      await broker.close();
    },
  };
}

/**
 * Both ping-pongs set up at once, then run in alternating blocks of BLOCK round trips (raw, zmqc, raw, …), so that
 * both sides see the same machine: on a shared 2-core box one side measured a minute after the other can land in a
 * different load or CPU-idle regime, which moved p50 by 3× between otherwise identical runs.
 */
async function latencies(): Promise<{ raw: number[]; zmqc: number[] }> {
  const raw = await rawPingPong();
  const zmqc = await zmqcPingPong();
  try {
    const rtts = { raw: [] as number[], zmqc: [] as number[] };
    for (let i = 0; i < WARMUP; i++) {
      await raw.roundTrip(i);
      await zmqc.roundTrip(i);
    }
    const start = performance.now();
    for (let done = 0; done < ROUNDS && performance.now() - start < 2 * LIMIT_MS; done += BLOCK) {
      const n = Math.min(BLOCK, ROUNDS - done);
      for (let i = 0; i < n; i++) rtts.raw.push(await raw.roundTrip(done + i));
      for (let i = 0; i < n; i++) rtts.zmqc.push(await zmqc.roundTrip(done + i));
    }
    return { raw: rtts.raw.sort((x, y) => x - y), zmqc: rtts.zmqc.sort((x, y) => x - y) };
  } finally {
    await zmqc.close();
    await raw.close();
  }
}

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits });

async function main(): Promise<void> {
  console.log(`Node ${process.version}; ${fmt(N)} events, ${fmt(ROUNDS)} round trips (+${WARMUP} warm-up)`);
  if (!LATENCY_ONLY) {
    // Raw first, zmqc second, each on a fresh broker.
    const raw = await rawThroughput();
    console.log(
      `throughput raw zeromq.js: ${fmt(raw.perSecond)} events/s (${fmt(raw.events)} in ${fmt(raw.ms)} ms)`,
    );
    const zmqc = await zmqcThroughput();
    console.log(
      `throughput @zmqc/pubsub:  ${fmt(zmqc.perSecond)} events/s (${fmt(zmqc.events)} in ${fmt(zmqc.ms)} ms)`,
    );
    console.log(
      `throughput ratio zmqc/raw: ${(zmqc.perSecond / raw.perSecond).toFixed(2)}× (target ≥ 0.80×)`,
    );
  }
  const line = (label: string, rtts: number[]) =>
    `latency ${label} p50 ${percentile(rtts, 50).toFixed(3)} ms, p99 ${percentile(rtts, 99).toFixed(3)} ms, ` +
    `${slow(rtts)} over 1 ms (${rtts.length} round trips)`;
  const { raw: rawRtt, zmqc: zmqcRtt } = await latencies();
  console.log(line("raw zeromq.js:", rawRtt));
  console.log(line("@zmqc/pubsub: ", zmqcRtt));
  console.log(
    `latency ratio zmqc/raw: p50 ${(percentile(zmqcRtt, 50) / percentile(rawRtt, 50)).toFixed(2)}×, ` +
      `p99 ${(percentile(zmqcRtt, 99) / percentile(rawRtt, 99)).toFixed(2)}× (target ≤ 1.30×)`,
  );
}

await main().catch((error: unknown) => {
  console.error("bench failed:", error);
  process.exit(1);
});
