// The Node ends of the latency case, each its own process: a ping-pong of 4-frame broker-bin-v1 events through a
// forwarder, one round trip at a time.
//   raw-echo / raw-ping     what a user writes with zeromq.js alone (pre-encoded payload, no decoding)
//   zmqc-echo / zmqc-ping   zmqc nodes: publish() of a typed event (encoded per event), a handler (decoded)
// Arguments: <xsub endpoint> <xpub endpoint> (the forwarder's; publishers connect to its XSUB), then for a ping
// <count> <warmup>. Echoes answer every bench.ping on bench.pong until stopped. A ping shakes hands first (a marked
// ping re-sent every 100 ms until its own pong is back: the pong subscription can reach the echo later than the
// ping subscription reaches us), then prints "rtt-us <v>,<v>,…" for <count> measured round trips.
import { connect, defineEvent } from "@zmqc/pubsub";
import { encodeBrokerBinEvent, Value } from "@zmqc/wire-format";
import { XPublisher, XSubscriber } from "zeromq";

const PING = "bench.ping";
const PONG = "bench.pong";
const ping = defineEvent("Bench::ping", ["string", "count"]);
const pong = defineEvent("Bench::pong", ["string", "count"]);
const HANDSHAKE_MS = 100;
const TIMEOUT_MS = 30_000;

function printRtts(rtts: readonly number[]): void {
  console.log(`rtt-us ${rtts.map((us) => us.toFixed(1)).join(",")}`);
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
  const rtts: number[] = [];
  for (let i = 0; i < warmup + count; i++) {
    const start = performance.now();
    await xpub.send(message);
    await xsub.receive();
    if (i >= warmup) rtts.push((performance.now() - start) * 1000);
  }
  printRtts(rtts);
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
  let expected: { sender: string; seq: bigint; resolve: () => void } | undefined;
  node.on(pong, ([sender, seq]) => {
    if (expected && sender.value === expected.sender && seq.value === expected.seq) expected.resolve();
  });
  await node.subscribe(PONG);
  const roundTrip = (sender: string, seq: number, ms: number) =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      expected = {
        sender,
        seq: BigInt(seq),
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      node.publish(PING, ping.make(Value.string(sender), Value.count(seq)));
    });
  for (let attempt = 0; !(await roundTrip("handshake", attempt, HANDSHAKE_MS)); attempt++)
    if (attempt * HANDSHAKE_MS > TIMEOUT_MS) throw new Error("zmqc-ping: no pong");
  const rtts: number[] = [];
  for (let i = 0; i < warmup + count; i++) {
    const start = performance.now();
    if (!(await roundTrip("worker-1", i, TIMEOUT_MS))) throw new Error(`zmqc-ping: no pong ${i}`);
    if (i >= warmup) rtts.push((performance.now() - start) * 1000);
  }
  printRtts(rtts);
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
