// Forwarding throughput, native vs managed vs a plain C zmq_proxy, and native with CURVE (encrypted) vs plain: one
// publisher and one subscriber, each a child process like a real node, push COUNT messages through a broker running
// in this process (or through the C forwarder, built from scripts/c/forwarder.c with the system compiler and
// libzmq3-dev; when those are missing the baseline is reported as missing, not skipped silently). Three message
// shapes: one 64-byte frame, one 1 KiB frame (each starting with the topic) and Zeek's 4-frame event [topic,
// sender, format, 64-byte payload]; CURVE is measured on the event only.
//
//   node --conditions=@zmqc/source --import tsx packages/broker/scripts/bench-forward.ts [count] [rounds] [shapes] [c]
//   (pnpm --filter @zmqc/broker bench = 100000 messages, 3 rounds, every shape: about a minute on 2 cores)
//
// With the last argument "c", the publisher and subscriber are native (scripts/c/peer.c) instead of Node.js
// children, so the forwarder, not the endpoints, is what limits: the forwarder's own ratio to C zmq_proxy
// (pnpm --filter @zmqc/broker bench:forwarder, 300000 messages, 3 rounds).
//
// Prints messages/s at the subscriber (first to last message) per round, then per shape the medians and the ratios
// native / C, managed / native and managed / C (and CURVE / plain). Bounded by count and by time: a round that does
// not finish within TIME_LIMIT_MS reports what arrived.
import { type ChildProcess, execFileSync, fork, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_BACKEND_OPTIONS } from "@zmqc/config";
import { XPublisher, XSubscriber } from "zeromq";
import { type Broker, type BrokerMode, generateKeypair, startBroker } from "../src/index.js";

// CURVE rounds: one server and one client key pair for the whole run (the children get them in their arguments).
const SERVER = generateKeypair();
const CLIENT = generateKeypair();

/** The client-side CURVE socket options, when the round is encrypted. */
function clientSecurity(curve: boolean) {
  return curve
    ? { curveServerKey: SERVER.public, curvePublicKey: CLIENT.public, curveSecretKey: CLIENT.secret }
    : {};
}

const TOPIC = "zeek.cluster.bench";
const TIME_LIMIT_MS = 60_000;
const PAYLOAD_BYTES = 64;

/** The message shapes: a single frame of 64 bytes or 1 KiB (topic first, padded), or Zeek's 4-frame event. */
const SHAPES = {
  "64B": () => [Buffer.concat([Buffer.from(TOPIC), Buffer.alloc(64 - TOPIC.length, 1)])],
  "1KiB": () => [Buffer.concat([Buffer.from(TOPIC), Buffer.alloc(1024 - TOPIC.length, 1)])],
  event: () => [
    Buffer.from(TOPIC),
    Buffer.from("node-1"),
    Buffer.from("broker-bin-v1"),
    Buffer.alloc(PAYLOAD_BYTES, 1),
  ],
} as const satisfies Record<string, () => Buffer[]>;
type Shape = keyof typeof SHAPES;
const isShape = (value: string): value is Shape => value in SHAPES;

interface RoundResult {
  readonly received: number;
  readonly ms: number;
}

async function publisher(endpoint: string, count: number, shape: Shape, curve: boolean): Promise<void> {
  const xpub = new XPublisher({ linger: 0, noDrop: true, ...clientSecurity(curve) });
  xpub.connect(endpoint);
  await xpub.receive(); // the subscription came through the broker: from now on nothing is filtered away
  process.send?.({ ready: true });
  const frames = SHAPES[shape]();
  for (let i = 0; i < count; ) {
    try {
      await xpub.send(frames);
      i++;
    } catch (error) {
      if ((error as { code?: string }).code !== "EAGAIN") throw error;
      // Our HWM is full (1000 events queued): sleep rather than spin, or on a small machine the publisher's
      // busy-waiting takes the CPU the broker and the subscriber need.
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
  // Let the last events leave before the process goes (linger 0 would discard them).
  xpub.linger = 5000;
  xpub.close();
}

async function subscriber(endpoint: string, count: number, curve: boolean): Promise<void> {
  const xsub = new XSubscriber({ linger: 0, ...clientSecurity(curve) });
  xsub.connect(endpoint);
  await xsub.send(Buffer.from(`\x01${TOPIC}`));
  let received = 0;
  let first = 0;
  const deadline = setTimeout(() => {
    process.send?.({ received, ms: performance.now() - first });
    process.exit(0);
  }, TIME_LIMIT_MS);
  for (;;) {
    await xsub.receive();
    if (received++ === 0) first = performance.now();
    if (received === count) break;
  }
  clearTimeout(deadline);
  process.send?.({ received, ms: performance.now() - first } satisfies RoundResult);
  xsub.close();
}

function message<T>(child: ChildProcess, predicate: (value: unknown) => value is T): Promise<T> {
  return new Promise((resolve, reject) => {
    child.on("message", (value) => {
      if (predicate(value)) resolve(value);
    });
    child.once("exit", (code) => reject(new Error(`child exited with code ${code}`)));
  });
}

const isResult = (value: unknown): value is RoundResult =>
  typeof value === "object" && value !== null && "received" in value;
const isReady = (value: unknown): value is { ready: true } =>
  typeof value === "object" && value !== null && "ready" in value;

/** Compiles scripts/c/<name>.c; undefined (with the reason printed) when no compiler or libzmq headers are here. */
function buildC(name: "forwarder" | "peer"): string | undefined {
  const source = fileURLToPath(new URL(`./c/${name}.c`, import.meta.url));
  const binary = join(mkdtempSync(join(tmpdir(), "zmqc-bench-")), name);
  try {
    execFileSync("cc", ["-O2", "-o", binary, source, "-lzmq"], { stdio: ["ignore", "ignore", "pipe"] });
    return binary;
  } catch (error) {
    const detail = (error as { stderr?: Buffer }).stderr?.toString().split("\n")[0] ?? String(error);
    console.log(
      `C ${name} missing: cannot build ${name}.c (${detail}); install gcc and libzmq3-dev with apt-get`,
    );
    return undefined;
  }
}

/** The C publisher and subscriber (scripts/c/peer.c), when the run asks for native peers. */
let nativePeer: string | undefined;

/** A shape as the C peer's arguments: frames, then the payload's bytes. */
const PEER_SHAPES: Record<Shape, [number, number]> = {
  "64B": [1, 64],
  "1KiB": [1, 1024],
  event: [4, PAYLOAD_BYTES],
};

/** A round with the C publisher and subscriber: the subscriber prints what arrived, first to last. */
async function nativeRoundTrip(
  binary: string,
  endpoints: { xpubEndpoint: string; xsubEndpoint: string },
  count: number,
  shape: Shape,
): Promise<RoundResult> {
  const args = [String(count), ...PEER_SHAPES[shape].map(String)];
  const sub = spawn(binary, ["sub", endpoints.xpubEndpoint, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const output = new Promise<string>((resolve, reject) => {
    let text = "";
    sub.stdout.on("data", (chunk: Buffer) => {
      text += chunk.toString();
    });
    sub.once("exit", (code) =>
      code === 0 ? resolve(text) : reject(new Error(`C subscriber exited with ${code}`)),
    );
  });
  const pub = spawn(binary, ["pub", endpoints.xsubEndpoint, ...args], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    return JSON.parse(await output) as RoundResult;
  } finally {
    pub.kill();
  }
}

/**
 * A round through the C forwarder: the same publisher and subscriber children, and as many I/O threads as the
 * broker has (proxyIoThreads, 2 by default as in Zeek): on 2 cores 1 vs 2 I/O threads alone moves the 4-frame
 * event's throughput by about 10 %.
 */
async function cRound(binary: string, count: number, shape: Shape): Promise<RoundResult> {
  const forwarder = spawn(binary, [String(DEFAULT_BACKEND_OPTIONS.proxyIoThreads)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      forwarder.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
      forwarder.once("exit", (code) => reject(new Error(`C forwarder exited with code ${code}`)));
    });
    const [xpubEndpoint = "", xsubEndpoint = ""] = line.split(" ");
    return await throughRoundTrip({ xpubEndpoint, xsubEndpoint }, count, shape);
  } finally {
    forwarder.kill();
  }
}

async function throughRoundTrip(
  endpoints: { xpubEndpoint: string; xsubEndpoint: string },
  count: number,
  shape: Shape,
  curve = false,
): Promise<RoundResult> {
  if (nativePeer !== undefined) return nativeRoundTrip(nativePeer, endpoints, count, shape);
  const self = fileURLToPath(import.meta.url);
  // The keys travel as arguments: the children generate none of their own.
  const keys = curve ? [SERVER.public, CLIENT.public, CLIENT.secret] : [];
  const sub = fork(self, ["subscriber", endpoints.xpubEndpoint, String(count), shape, ...keys]);
  const result = message(sub, isResult);
  const pub = fork(self, ["publisher", endpoints.xsubEndpoint, String(count), shape, ...keys]);
  await message(pub, isReady);
  const outcome = await result;
  pub.kill();
  sub.kill();
  return outcome;
}

async function round(mode: BrokerMode, count: number, shape: Shape, curve = false): Promise<RoundResult> {
  const broker: Broker = await startBroker({
    mode,
    ...(curve ? { curveServerSecretKey: SERVER.secret, curveClientPublicKey: CLIENT.public } : {}),
    listenXpubEndpoint: "tcp://127.0.0.1:*",
    listenXsubEndpoint: "tcp://127.0.0.1:*",
    lingerMs: 0,
  });
  try {
    const outcome = await throughRoundTrip(broker, count, shape, curve);
    const stats = broker.stats();
    if (stats.proxy !== undefined && stats.droppedStuckSubscriber > 0n) {
      console.log(`  (managed dropped ${stats.droppedStuckSubscriber} at a stuck subscriber)`);
    }
    return outcome;
  } finally {
    await broker.close();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

type Series = BrokerMode | "c" | "curve";

const rate = (value: number) => `${Math.round(value).toLocaleString("en")}/s`;

async function main(): Promise<void> {
  const [role, endpoint, countText, shapeText = "event", serverPublic, clientPublic, clientSecret] =
    process.argv.slice(2);
  if (serverPublic && clientPublic && clientSecret) {
    Object.assign(SERVER, { public: serverPublic });
    Object.assign(CLIENT, { public: clientPublic, secret: clientSecret });
  }
  const curve = serverPublic !== undefined;
  if ((role === "publisher" || role === "subscriber") && endpoint !== undefined) {
    if (!isShape(shapeText)) throw new Error(`unknown shape ${shapeText}`);
    return role === "publisher"
      ? publisher(endpoint, Number(countText), shapeText, curve)
      : subscriber(endpoint, Number(countText), curve);
  }

  const count = Number(process.argv[2] ?? 200_000);
  const rounds = Number(process.argv[3] ?? 3);
  const shapes = (process.argv[4] ?? Object.keys(SHAPES).join(",")).split(",").filter(isShape);
  const peers = process.argv[5] === "c" ? "C" : "Node.js";
  if (peers === "C") {
    nativePeer = buildC("peer");
    if (nativePeer === undefined) return;
  }
  const cForwarder = buildC("forwarder");
  console.log(
    `${count} messages per round, ${rounds} interleaved round(s) per mode; shapes: ${shapes.join(", ")} (event = 4 frames, ${PAYLOAD_BYTES}-byte payload); ${peers} publisher and subscriber`,
  );
  const rates = new Map<Shape, Record<Series, number[]>>(
    shapes.map((shape) => [shape, { native: [], managed: [], c: [], curve: [] }]),
  );
  for (let i = 0; i < rounds; i++) {
    for (const shape of shapes) {
      // Alternate which mode goes first, so drift on a noisy machine hits all alike.
      const series: Series[] = [
        ...(cForwarder ? (["c"] as const) : []),
        "native",
        "managed",
        // The C peers have no CURVE.
        ...(shape === "event" && nativePeer === undefined ? (["curve"] as const) : []),
      ];
      const order = i % 2 === 0 ? series : [...series].reverse();
      for (const mode of order) {
        const { received, ms } =
          mode === "c"
            ? await cRound(cForwarder as string, count, shape)
            : mode === "curve"
              ? await round("native", count, shape, true)
              : await round(mode, count, shape);
        const perSecond = (received / ms) * 1000;
        rates.get(shape)?.[mode].push(perSecond);
        const note = received < count ? ` (only ${received} within ${TIME_LIMIT_MS} ms)` : "";
        console.log(`  ${shape.padEnd(5)} ${mode.padEnd(7)} ${rate(perSecond)}${note}`);
      }
    }
  }
  console.log("medians and ratios (target: native / C ≥ 0.9, managed / native ≥ 0.6)");
  for (const [shape, series] of rates) {
    const native = median(series.native);
    const managed = median(series.managed);
    const parts = [`native ${rate(native)}`, `managed ${rate(managed)}`];
    if (cForwarder) parts.unshift(`C ${rate(median(series.c))}`);
    const ratios = [`managed/native ${(managed / native).toFixed(2)}`];
    if (cForwarder) {
      const c = median(series.c);
      ratios.unshift(`native/C ${(native / c).toFixed(2)}`);
      ratios.push(`managed/C ${(managed / c).toFixed(2)}`);
    }
    if (series.curve.length > 0)
      ratios.push(`CURVE/plain (native) ${(median(series.curve) / native).toFixed(2)}`);
    console.log(`  ${shape.padEnd(5)} ${parts.join(", ")}; ${ratios.join(", ")}`);
  }
}

await main();
