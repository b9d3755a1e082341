// The Node ends of the latency case, each its own process: a ping-pong of 4-frame broker-bin-v1 events through a
// forwarder, one round trip at a time.
//   raw-echo / raw-ping     what a user writes with zeromq.js alone (pre-encoded payload, no decoding)
//   zmqc-echo / zmqc-ping   zmqc nodes: publish() of a typed event (encoded per event), a handler (decoded)
// Arguments: <xsub endpoint> <xpub endpoint> (the forwarder's; publishers connect to its XSUB), then for a ping
// <count> <warmup>. Echoes answer every bench.ping on bench.pong until stopped. A ping shakes hands first (a marked
// ping re-sent every 100 ms until its own pong is back: the pong subscription can reach the echo later than the
// ping subscription reaches us), then prints "rtt-us <v>,<v>,…" for <count> measured round trips.
// Both pings time every round trip, warm-up included, the same way (RoundTrips): a loop that starts recording only
// after the warm-up met that code for the first time in optimized code, deoptimized there and was recompiled while
// measured (a 5-7 ms compile, and a multi-millisecond round trip, in every round of both stacks).
import { connect, defineEvent } from "@zmqc/pubsub";
import { encodeBrokerBinEvent, Value } from "@zmqc/wire-format";
import { XPublisher, XSubscriber } from "zeromq";

const PING = "bench.ping";
const PONG = "bench.pong";
const ping = defineEvent("Bench::ping", ["string", "count"]);
const pong = defineEvent("Bench::pong", ["string", "count"]);
const HANDSHAKE_MS = 100;
const TIMEOUT_MS = 30_000;

/** Every round trip's time, warm-up included, recorded by the same code; prints the measured ones (µs). */
class RoundTrips {
  private readonly ms: Float64Array;
  private next = 0;

  constructor(
    private readonly warmup: number,
    count: number,
  ) {
    this.ms = new Float64Array(warmup + count);
  }

  get length(): number {
    return this.ms.length;
  }

  record(ms: number): void {
    this.ms[this.next++] = ms;
  }

  print(): void {
    const measured = Array.from(this.ms.subarray(this.warmup), (ms) => (ms * 1000).toFixed(1));
    console.log(`rtt-us ${measured.join(",")}`);
  }
}

function frames(topic: string, payload: Uint8Array): Buffer[] {
  return [Buffer.from(topic), Buffer.from("node-js"), Buffer.from("broker-bin-v1"), Buffer.from(payload)];
}

async function rawEcho(xsubEndpoint: string, xpubEndpoint: string): Promise<void> {
  const xpub = new XPublisher({ linger: 0, noDrop: true });
  const xsub = new XSubscriber({ linger: 0 });
  xpub.connect(xsubEndpoint);
  xsub.connect(xpubEndpoint);
  await xsub.send(Buffer.from(`\x01${PING}`));
  const head = frames(PONG, new Uint8Array()).slice(0, 3);
  for (;;) {
    const [, , , payload] = await xsub.receive();
    await xpub.send([...head, payload ?? Buffer.alloc(0)]);
  }
}

async function rawPing(xsubEndpoint: string, xpubEndpoint: string, count: number, warmup: number) {
  const xpub = new XPublisher({ linger: 0, noDrop: true });
  const xsub = new XSubscriber({ linger: 0, receiveTimeout: HANDSHAKE_MS });
  xpub.connect(xsubEndpoint);
  xsub.connect(xpubEndpoint);
  await xsub.send(Buffer.from(`\x01${PONG}`));
  // The echo's subscription, through the forwarder: from now on no ping is filtered away.
  while ((await xpub.receive())[0]?.toString("latin1") !== `\x01${PING}`);
  for (let attempt = 0; ; attempt++) {
    if (attempt * HANDSHAKE_MS > TIMEOUT_MS) throw new Error("raw-ping: no pong");
    const mark = `handshake-${attempt}`;
    await xpub.send(frames(PING, Buffer.from(mark)));
    if (await awaitMark(xsub, mark)) break;
  }
  xsub.receiveTimeout = TIMEOUT_MS;
  const message = frames(PING, encodeBrokerBinEvent(ping.make(Value.string("worker-1"), Value.count(42))));
  const rtts = new RoundTrips(warmup, count);
  for (let i = 0; i < rtts.length; i++) {
    const start = performance.now();
    await xpub.send(message);
    await xsub.receive();
    rtts.record(performance.now() - start);
  }
  rtts.print();
  xpub.close();
  xsub.close();
}

/** Receives until the pong carrying `mark` (true) or a receive timeout (false). */
async function awaitMark(xsub: XSubscriber, mark: string): Promise<boolean> {
  for (;;) {
    try {
      const [, , , payload] = await xsub.receive();
      if (payload?.toString() === mark) return true;
    } catch (error) {
      if ((error as { code?: string }).code === "EAGAIN") return false;
      throw error;
    }
  }
}

function zmqcNode(xsubEndpoint: string, xpubEndpoint: string) {
  return connect({
    connectXpubEndpoint: xsubEndpoint,
    connectXsubEndpoint: xpubEndpoint,
    lingerMs: 0,
    log: () => {},
  });
}

async function zmqcEcho(xsubEndpoint: string, xpubEndpoint: string): Promise<void> {
  const node = await zmqcNode(xsubEndpoint, xpubEndpoint);
  node.on(ping, ([sender, seq]) => {
    node.publish(PONG, pong.make(sender, seq));
  });
  await node.subscribe(PING);
  setInterval(() => undefined, 1 << 30);
}

async function zmqcPing(xsubEndpoint: string, xpubEndpoint: string, count: number, warmup: number) {
  const node = await zmqcNode(xsubEndpoint, xpubEndpoint);
  let expected: { sender: string; seq: bigint; resolve: (answered: boolean) => void } | undefined;
  node.on(pong, ([sender, seq]) => {
    if (expected && sender.value === expected.sender && seq.value === expected.seq) {
      const { resolve } = expected;
      expected = undefined;
      resolve(true);
    }
  });
  await node.subscribe(PONG);
  // One watchdog for the whole run, not a timer per round trip: the raw ping's timeout is a socket option, and a
  // setTimeout/clearTimeout pair per round trip is the harness's cost, not the node's. With one, zmqc's p99 was
  // 1.7-2.1× raw's (slow round trips in bursts of 50-100, with no GC or JIT in either end); without, 1.15-1.2×.
  let deadline = 0;
  const watchdog = setInterval(() => {
    if (expected && performance.now() > deadline) {
      const { resolve } = expected;
      expected = undefined;
      resolve(false);
    }
  }, HANDSHAKE_MS / 4);
  const roundTrip = (sender: string, seq: number, ms: number) =>
    new Promise<boolean>((resolve) => {
      deadline = performance.now() + ms;
      expected = { sender, seq: BigInt(seq), resolve };
      node.publish(PING, ping.make(Value.string(sender), Value.count(seq)));
    });
  for (let attempt = 0; !(await roundTrip("handshake", attempt, HANDSHAKE_MS)); attempt++)
    if (attempt * HANDSHAKE_MS > TIMEOUT_MS) throw new Error("zmqc-ping: no pong");
  const rtts = new RoundTrips(warmup, count);
  for (let i = 0; i < rtts.length; i++) {
    const start = performance.now();
    if (!(await roundTrip("worker-1", i, TIMEOUT_MS))) throw new Error(`zmqc-ping: no pong ${i}`);
    rtts.record(performance.now() - start);
  }
  clearInterval(watchdog);
  rtts.print();
  await node.close();
}

const [role, xsub = "", xpub = "", count = "0", warmup = "0"] = process.argv.slice(2);
switch (role) {
  case "raw-echo":
    await rawEcho(xsub, xpub);
    break;
  case "raw-ping":
    await rawPing(xsub, xpub, Number(count), Number(warmup));
    break;
  case "zmqc-echo":
    await zmqcEcho(xsub, xpub);
    break;
  case "zmqc-ping":
    await zmqcPing(xsub, xpub, Number(count), Number(warmup));
    break;
  default:
    console.error(`unknown role ${role}`);
    process.exit(2);
}
