// Forwarding throughput, native vs managed vs a plain C zmq_proxy, and native with CURVE (encrypted) vs plain: one publisher and one subscriber, each a child
// process like a real node, push COUNT 4-frame events (64-byte payload) through a broker running in this process
// (or through the C forwarder, built from scripts/c/forwarder.c with the system compiler and libzmq3-dev; when
// those are missing the baseline is reported as missing, not skipped silently).
//
//   node --conditions=@zmqc/source --import tsx packages/broker/scripts/bench-forward.ts [count] [rounds]
//
// Prints events/s at the subscriber (first to last event) per round and the ratios of the medians.
// Bounded by count and by time: a round that does not finish within TIME_LIMIT_MS reports what arrived.
import { type ChildProcess, execFileSync, fork, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
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

interface RoundResult {
  readonly received: number;
  readonly ms: number;
}

async function publisher(endpoint: string, count: number, curve: boolean): Promise<void> {
  const xpub = new XPublisher({ linger: 0, noDrop: true, ...clientSecurity(curve) });
  xpub.connect(endpoint);
  await xpub.receive(); // the subscription came through the broker: from now on nothing is filtered away
  process.send?.({ ready: true });
  const payload = Buffer.alloc(PAYLOAD_BYTES, 1);
  const frames = [Buffer.from(TOPIC), Buffer.from("node-1"), Buffer.from("broker-bin-v1"), payload];
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

/** Compiles the C forwarder; undefined (with the reason printed) when no compiler or libzmq headers are here. */
function buildCForwarder(): string | undefined {
  const source = fileURLToPath(new URL("./c/forwarder.c", import.meta.url));
  const binary = join(mkdtempSync(join(tmpdir(), "zmqc-bench-")), "forwarder");
  try {
    execFileSync("cc", ["-O2", "-o", binary, source, "-lzmq"], { stdio: ["ignore", "ignore", "pipe"] });
    return binary;
  } catch (error) {
    const detail = (error as { stderr?: Buffer }).stderr?.toString().split("\n")[0] ?? String(error);
    console.log(
      `C baseline missing: cannot build forwarder.c (${detail}); install it with apt-get install gcc libzmq3-dev`,
    );
    return undefined;
  }
}

/** A round through the C forwarder: the same publisher and subscriber children. */
async function cRound(binary: string, count: number): Promise<RoundResult> {
  const forwarder = spawn(binary, [], { stdio: ["ignore", "pipe", "inherit"] });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      forwarder.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
      forwarder.once("exit", (code) => reject(new Error(`C forwarder exited with code ${code}`)));
    });
    const [xpubEndpoint = "", xsubEndpoint = ""] = line.split(" ");
    return await throughRoundTrip({ xpubEndpoint, xsubEndpoint }, count);
  } finally {
    forwarder.kill();
  }
}

async function throughRoundTrip(
  endpoints: { xpubEndpoint: string; xsubEndpoint: string },
  count: number,
  curve = false,
): Promise<RoundResult> {
  const self = fileURLToPath(import.meta.url);
  // The keys travel as arguments: the children generate none of their own.
  const keys = curve ? [SERVER.public, CLIENT.public, CLIENT.secret] : [];
  const sub = fork(self, ["subscriber", endpoints.xpubEndpoint, String(count), ...keys]);
  const result = message(sub, isResult);
  const pub = fork(self, ["publisher", endpoints.xsubEndpoint, String(count), ...keys]);
  await message(pub, isReady);
  const outcome = await result;
  pub.kill();
  sub.kill();
  return outcome;
}

async function round(mode: BrokerMode, count: number, curve = false): Promise<RoundResult> {
  const broker: Broker = await startBroker({
    mode,
    ...(curve ? { curveServerSecretKey: SERVER.secret, curveClientPublicKey: CLIENT.public } : {}),
    listenXpubEndpoint: "tcp://127.0.0.1:*",
    listenXsubEndpoint: "tcp://127.0.0.1:*",
    lingerMs: 0,
  });
  try {
    const outcome = await throughRoundTrip(broker, count, curve);
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

async function main(): Promise<void> {
  const [role, endpoint, countText, serverPublic, clientPublic, clientSecret] = process.argv.slice(2);
  if (serverPublic && clientPublic && clientSecret) {
    Object.assign(SERVER, { public: serverPublic });
    Object.assign(CLIENT, { public: clientPublic, secret: clientSecret });
  }
  const curve = serverPublic !== undefined;
  if (role === "publisher" && endpoint !== undefined) return publisher(endpoint, Number(countText), curve);
  if (role === "subscriber" && endpoint !== undefined) return subscriber(endpoint, Number(countText), curve);

  const count = Number(process.argv[2] ?? 200_000);
  const rounds = Number(process.argv[3] ?? 3);
  const rates: Record<BrokerMode | "c" | "curve", number[]> = { native: [], managed: [], c: [], curve: [] };
  const cForwarder = buildCForwarder();
  console.log(
    `${count} events of 4 frames (${PAYLOAD_BYTES}-byte payload), ${rounds} interleaved rounds per mode`,
  );
  for (let i = 0; i < rounds; i++) {
    // Alternate which mode goes first, so drift on a noisy machine hits both alike.
    const modes: (BrokerMode | "c" | "curve")[] = cForwarder
      ? ["c", "native", "managed", "curve"]
      : ["native", "managed", "curve"];
    const order = i % 2 === 0 ? modes : [...modes].reverse();
    for (const mode of order) {
      const { received, ms } =
        mode === "c"
          ? await cRound(cForwarder as string, count)
          : mode === "curve"
            ? await round("native", count, true)
            : await round(mode, count);
      const rate = (received / ms) * 1000;
      rates[mode].push(rate);
      const note = received < count ? ` (only ${received} within ${TIME_LIMIT_MS} ms)` : "";
      console.log(`  ${mode.padEnd(7)} ${Math.round(rate).toLocaleString("en")} events/s${note}`);
    }
  }
  const native = median(rates.native);
  const managed = median(rates.managed);
  console.log(`median native  ${Math.round(native).toLocaleString("en")} events/s`);
  console.log(`median managed ${Math.round(managed).toLocaleString("en")} events/s`);
  console.log(`managed / native = ${(managed / native).toFixed(2)} (target ≥ 0.6)`);
  const encrypted = median(rates.curve);
  console.log(`median native with CURVE ${Math.round(encrypted).toLocaleString("en")} events/s`);
  console.log(`CURVE / plain (native) = ${(encrypted / native).toFixed(2)}`);
  if (cForwarder) {
    const c = median(rates.c);
    console.log(`median C zmq_proxy ${Math.round(c).toLocaleString("en")} events/s`);
    console.log(
      `native / C = ${(native / c).toFixed(2)} (target ≥ 0.9), managed / C = ${(managed / c).toFixed(2)}`,
    );
  }
}

await main();
