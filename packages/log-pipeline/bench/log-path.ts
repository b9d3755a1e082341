// Log path benchmark: records/s from `sender.write()` of conn-like records to lines in files by `startLogger`,
// against a raw zeromq.js PUSH → PULL loop that sends the same pre-encoded zeek-bin-serializer batches and appends
// their payloads to a file (what a user would write without zmqc), and the zmqc path with CURVE against the same
// path in plain. Sender and receiver are two long-lived child processes; each run starts a fresh logger (or raw
// PULL) and a fresh sender in them. A warm-up round, then rounds that interleave the cases (the order rotates);
// medians and the per-round ratios are printed. Only ratios mean anything on a shared, noisy machine. Each run
// also measures the CPU of both processes per record, and a last line says how many cores the zmqc path would keep
// busy at half the raw path's rate (the target), against the cores the machine has.
//
// The C ceiling (kind `c`): a C libzmq PUSH sending the same pre-encoded batches (this script writes them to a
// file) → a C PULL appending their payloads to a file (c/pushpull.c, built here with `cc -lzmq`, or the binary
// given with --c-binary; missing, with the fix, when gcc or libzmq3-dev is not installed; --no-c leaves it out).
//
// With a Zeek on the machine (and without --no-zeek) two more stacks run (zeek-loggers.ts): a real Zeek worker
// logging the same kind of records to a zmqc logger, and to a real Zeek logger; the logger alone is timed.
//
//   pnpm --filter @zmqc/log-pipeline bench                 # quick: 100 k records, 5 rounds (under a minute)
//   pnpm --filter @zmqc/log-pipeline bench --full          # 500 k records, 9 rounds
//   ... bench --records 200000 --rounds 7 --json out.json --cases raw,c,logger,zeek-zmqc,zeek-zeek
import { type ChildProcess, execFileSync, fork, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateKeypair } from "@zmqc/broker";
import { preEncodedMessages } from "./conn.js";
import type { Command, Keys, Kind, Reply } from "./peer.js";
import { dataLines, startZeekWorker, watchFile, zeekBinary } from "./zeek-loggers.js";

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const full = args.includes("--full");
const records = Number(option("--records") ?? (full ? 500_000 : 100_000));
const rounds = Number(option("--rounds") ?? (full ? 9 : 5));
const jsonFile = option("--json");
const zeek = args.includes("--no-zeek") ? undefined : zeekBinary();
/** Temporary files of this run (the C binary, the pre-encoded batches), removed at the end. */
const work = mkdtempSync(join(tmpdir(), "zmqc-logbench-work-"));

/** The C PUSH/PULL (c/pushpull.c): the binary, or why there is none. */
function cBinary(): { binary: string } | { missing: string } {
  if (args.includes("--no-c")) return { missing: "left out (--no-c)" };
  const given = option("--c-binary");
  if (given !== undefined) return { binary: given };
  const binary = join(work, "pushpull");
  try {
    execFileSync(
      "cc",
      ["-O2", "-o", binary, fileURLToPath(new URL("./c/pushpull.c", import.meta.url)), "-lzmq"],
      {
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    return { binary };
  } catch (error) {
    const detail = (error as { stderr?: Buffer }).stderr?.toString().split("\n")[0] || String(error);
    return { missing: `cannot build pushpull.c (${detail}); fix: apt-get install gcc libzmq3-dev` };
  }
}
const c = cBinary();
if ("missing" in c) console.log(`C libzmq PUSH → PULL + append: missing: ${c.missing}`);
const KINDS: readonly Kind[] = (
  (option("--cases")?.split(",") as Kind[] | undefined) ?? [
    "raw",
    "c",
    "zmqc",
    "zmqc-curve",
    "logger",
    // zeek-zmqc before zeek-zeek: the first zmqc run tells how many bytes the whole conn.log has.
    ...(zeek === undefined ? [] : (["zeek-zmqc", "zeek-zeek"] as const)),
  ]
).filter((kind) => kind !== "c" || "binary" in c);
if (zeek === undefined)
  console.log("no Zeek found (or --no-zeek): the stacks with a real Zeek worker are left out");

const server = generateKeypair();
const client = generateKeypair();
const keys: Keys = {
  serverPublic: server.public,
  serverSecret: server.secret,
  clientPublic: client.public,
  clientSecret: client.secret,
};

/** A forked peer and its replies, taken in order. */
class Peer {
  private readonly child: ChildProcess;
  private readonly replies: Reply[] = [];
  private waiting: (() => void) | undefined;

  constructor(readonly name: string) {
    // LOG_BENCH_PEER_FLAGS="--cpu-prof --cpu-prof-dir=prof" profiles the sender and the logger processes.
    const extra = process.env.LOG_BENCH_PEER_FLAGS?.split(" ").filter(Boolean) ?? [];
    this.child = fork(fileURLToPath(new URL("./peer.ts", import.meta.url)), [name], {
      stdio: "inherit",
      execArgv: [...process.execArgv, ...extra],
    });
    this.child.on("message", (message: Reply) => {
      this.replies.push(message);
      this.waiting?.();
    });
    this.child.on("exit", (code) => {
      if (code !== 0 && code !== null)
        this.replies.push({ op: "failed", message: `${name} exited with ${code}` });
      this.waiting?.();
    });
  }

  send(command: Command): void {
    this.child.send(command);
  }

  async next<O extends Reply["op"]>(op: O): Promise<Extract<Reply, { op: O }>> {
    for (;;) {
      const reply = this.replies.shift();
      if (reply?.op === "failed") throw new Error(`${this.name}: ${reply.message}`);
      if (reply?.op === op) return reply as Extract<Reply, { op: O }>;
      if (reply) throw new Error(`${this.name}: expected ${op}, got ${reply.op}`);
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
      });
    }
  }

  stop(): void {
    if (this.child.connected) this.send({ op: "exit" });
  }
}

interface Run {
  readonly kind: Kind;
  readonly round: number;
  readonly recordsPerSecond: number;
  /** Sender: wall time until everything was handed to ZeroMQ, and its CPU, per record (µs). */
  readonly senderMicrosPerRecord: number;
  readonly senderCpuMicrosPerRecord: number;
  /** CPU of each process over the run's wall time (1.0 = one core). */
  readonly senderCpu: number;
  readonly sinkCpu: number;
  /**
   * CPU of both processes per record (µs), the sender's measured until the sink is done (its I/O thread's
   * sending included): what the stack costs the machine, whatever its speed. NaN for the Zeek stacks.
   */
  readonly coreMicrosPerRecord: number;
}

/** conn.log's size with `records` records, and its data lines' bytes, as a zmqc logger wrote them. */
const connLogSizes = new Map<number, { bytes: number; dataBytes: number }>();

/** A real Zeek worker's records → a zmqc logger (in the sink process) or a real Zeek logger; see zeek-loggers.ts. */
async function zeekRun(sink: Peer, kind: Kind, count: number, round: number): Promise<Run> {
  if (zeek === undefined) throw new Error(`${kind} needs a Zeek`);
  const worker = await startZeekWorker(zeek, count);
  try {
    let first: bigint;
    let last: bigint;
    let sinkCpuMicros: number;
    if (kind === "zeek-zmqc") {
      sink.send({ op: "sink", kind, records: count, keys, bind: worker.endpoint });
      const { dir } = await sink.next("ready");
      let done: Extract<Reply, { op: "written" }> | undefined;
      const written = sink.next("written").then((reply) => {
        done = reply;
        return reply;
      });
      const target = connLogSizes.get(count)?.bytes ?? Number.POSITIVE_INFINITY;
      // The sink removes its directory once done: its reply ends the watch too.
      const timing = await watchFile(join(dir, "conn.log"), target, { stop: () => done !== undefined });
      const reply = await written;
      if (
        reply.check !== count ||
        reply.errors > 0 ||
        reply.bytes === undefined ||
        reply.dataBytes === undefined
      )
        throw new Error(`${kind}: ${reply.check} of ${count} lines, ${reply.errors} errors`);
      if (!connLogSizes.has(count))
        connLogSizes.set(count, { bytes: reply.bytes, dataBytes: reply.dataBytes });
      first = timing.first;
      last = timing.last < BigInt(reply.end) ? timing.last : BigInt(reply.end);
      sinkCpuMicros = reply.cpuMicros;
    } else {
      const size = connLogSizes.get(count);
      if (size === undefined)
        throw new Error(`${kind}: zeek-zmqc must run first (it measures conn.log's size)`);
      const logger = worker.startZeekLogger();
      const file = join(worker.root, "logger", "conn.log");
      const timing = await watchFile(file, size.bytes, { pid: logger.pid });
      logger.kill("SIGTERM");
      await logger.waitForExit(30_000);
      const written = dataLines(file);
      // The same data lines, byte for byte in length, or the timing above stopped at the wrong place.
      if (written.lines !== count || written.bytes !== size.dataBytes)
        throw new Error(
          `${kind}: ${written.lines} lines (${written.bytes} bytes); expected ${count} (${size.dataBytes})`,
        );
      first = timing.first;
      last = timing.last;
      sinkCpuMicros = timing.cpuMicros;
    }
    const wallNs = Number(last - first);
    return {
      kind,
      round,
      recordsPerSecond: count / (wallNs / 1e9),
      senderMicrosPerRecord: Number.NaN,
      senderCpuMicrosPerRecord: Number.NaN,
      senderCpu: Number.NaN,
      sinkCpu: sinkCpuMicros / (wallNs / 1000),
      coreMicrosPerRecord: Number.NaN,
    };
  } finally {
    await worker.stop();
  }
}

/** The payload bytes of `count` records' pre-encoded messages: what a raw or C sink appends. */
const payloadBytes = (count: number) =>
  preEncodedMessages(count).reduce((sum, frames) => sum + (frames[3]?.length ?? 0), 0);

const framesFiles = new Map<number, string>();
/** The pre-encoded messages in a file for the C PUSH: per message a u32 frame count, per frame a u32 length + bytes. */
function framesFile(count: number): string {
  let path = framesFiles.get(count);
  if (path === undefined) {
    const parts: Uint8Array[] = [];
    const u32 = (n: number) => {
      const bytes = Buffer.alloc(4);
      bytes.writeUInt32LE(n);
      return bytes;
    };
    for (const frames of preEncodedMessages(count)) {
      parts.push(u32(frames.length));
      for (const frame of frames) parts.push(u32(frame.length), frame);
    }
    path = join(work, `frames-${count}.bin`);
    writeFileSync(path, Buffer.concat(parts));
    framesFiles.set(count, path);
  }
  return path;
}

/** A C process: its stdout's lines as they come, and its exit (which rejects unless 0). */
function startC(binary: string, argv: readonly string[]) {
  const child = spawn(binary, argv, { stdio: ["ignore", "pipe", "inherit"] });
  const lines: string[] = [];
  let buffered = "";
  let wake: (() => void) | undefined;
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split("\n");
    buffered = parts.pop() ?? "";
    lines.push(...parts);
    wake?.();
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  let code: number | null | undefined;
  void exited.then((value) => {
    code = value;
    wake?.();
  });
  const what = `pushpull ${argv[0]}`;
  return {
    /** The n-th line (0-based) of its stdout. */
    async line(n: number): Promise<string> {
      for (;;) {
        const line = lines[n];
        if (line !== undefined) return line;
        if (code !== undefined) throw new Error(`${what} exited with ${code} before printing line ${n + 1}`);
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
    async done(): Promise<string[]> {
      const status = await exited;
      if (status !== 0) throw new Error(`${what} exited with ${status}`);
      return lines;
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

/** C PUSH of the pre-encoded batches → C PULL + append, measured as the raw zeromq.js pair is. */
async function cRun(binary: string, count: number, round: number): Promise<Run> {
  const messages = preEncodedMessages(count).length;
  const frames = framesFile(count);
  const dir = mkdtempSync(join(tmpdir(), "zmqc-logbench-c-"));
  const pull = startC(binary, ["pull", String(messages), join(dir, "conn.bin")]);
  let push: ReturnType<typeof startC> | undefined;
  try {
    const endpoint = await pull.line(0);
    push = startC(binary, ["push", endpoint, frames]);
    const [pushed, pulled] = await Promise.all([push.done(), pull.done()]);
    const [start, sent, sourceCpu, sentMessages] = (pushed[0] ?? "").split(" ");
    const [end, sinkCpu, bytes] = (pulled[1] ?? "").split(" ");
    if (Number(sentMessages) !== messages || Number(bytes) !== payloadBytes(count))
      throw new Error(
        `c: ${sentMessages} of ${messages} messages sent, ${bytes} of ${payloadBytes(count)} bytes appended`,
      );
    const wallNs = Number(BigInt(end as string) - BigInt(start as string));
    const wallMicros = wallNs / 1000;
    return {
      kind: "c",
      round,
      recordsPerSecond: count / (wallNs / 1e9),
      senderMicrosPerRecord: Number(BigInt(sent as string) - BigInt(start as string)) / 1000 / count,
      senderCpuMicrosPerRecord: Number(sourceCpu) / count,
      senderCpu: Number(sourceCpu) / wallMicros,
      sinkCpu: Number(sinkCpu) / wallMicros,
      coreMicrosPerRecord: (Number(sourceCpu) + Number(sinkCpu)) / count,
    };
  } finally {
    pull.kill();
    push?.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function run(sink: Peer, source: Peer, kind: Kind, count: number, round: number): Promise<Run> {
  if (kind === "zeek-zmqc" || kind === "zeek-zeek") return zeekRun(sink, kind, count, round);
  if (kind === "c") {
    if (!("binary" in c)) throw new Error(`c: missing: ${c.missing}`);
    return cRun(c.binary, count, round);
  }
  sink.send({ op: "sink", kind, records: count, keys });
  const { endpoint } = await sink.next("ready");
  source.send({ op: "source", kind, records: count, endpoint, keys });
  const [written, sent] = await Promise.all([sink.next("written"), source.next("sent")]);
  // A raw sink counts the payload bytes it appended, a logger its lines.
  const expected = kind === "raw" ? payloadBytes(count) : count;
  if (written.check !== expected || written.errors > 0 || sent.dropped > 0)
    throw new Error(`${kind}: ${written.check} lines, ${written.errors} errors, ${sent.dropped} dropped`);
  source.send({ op: "cpu" });
  const senderTotal = await source.next("cpu");
  const wallNs = Number(BigInt(written.end) - BigInt(sent.start));
  const wallMicros = wallNs / 1000;
  return {
    kind,
    round,
    recordsPerSecond: count / (wallNs / 1e9),
    senderMicrosPerRecord: Number(BigInt(sent.sent) - BigInt(sent.start)) / 1000 / count,
    senderCpuMicrosPerRecord: sent.cpuMicros / count,
    senderCpu: sent.cpuMicros / wallMicros,
    sinkCpu: written.cpuMicros / wallMicros,
    coreMicrosPerRecord: (senderTotal.cpuMicros + written.cpuMicros) / count,
  };
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
const k = (n: number) => `${(n / 1000).toFixed(0)} k/s`;
const ratio = (n: number) => n.toFixed(2);

const sink = new Peer("sink");
const source = new Peer("source");
const runs: Run[] = [];
try {
  console.log(
    `log path: ${records} conn-like records (20 columns) in batches of 1000, ${rounds} rounds + warm-up`,
  );
  // The Zeek stacks warm up with the full count: zeek-zmqc's run measures the file zeek-zeek is timed against.
  for (const kind of KINDS)
    await run(sink, source, kind, kind.startsWith("zeek-") ? records : Math.min(records, 50_000), 0);
  for (let round = 1; round <= rounds; round++) {
    const order = KINDS.map((_unused, i) => KINDS[(i + round) % KINDS.length] as Kind);
    const line: string[] = [];
    for (const kind of order) {
      const result = await run(sink, source, kind, records, round);
      runs.push(result);
      line.push(`${kind} ${k(result.recordsPerSecond)}`);
    }
    const of = (kind: Kind) =>
      runs.find((r) => r.round === round && r.kind === kind)?.recordsPerSecond ?? Number.NaN;
    console.log(
      `round ${round}: ${line.join(", ")}; zmqc/raw ${ratio(of("zmqc") / of("raw"))}, zmqc/C ${ratio(of("zmqc") / of("c"))}, raw/C ${ratio(of("raw") / of("c"))}, curve/plain ${ratio(of("zmqc-curve") / of("zmqc"))}, logger/raw ${ratio(of("logger") / of("raw"))}, zmqc logger/Zeek logger ${ratio(of("zeek-zmqc") / of("zeek-zeek"))}`,
    );
  }
} finally {
  sink.stop();
  source.stop();
  rmSync(work, { recursive: true, force: true });
}

const byKind = (kind: Kind) => runs.filter((r) => r.kind === kind);
const perRound = (a: Kind, b: Kind) =>
  Array.from({ length: rounds }, (_unused, i) => {
    const x = runs.find((r) => r.round === i + 1 && r.kind === a);
    const y = runs.find((r) => r.round === i + 1 && r.kind === b);
    return (x?.recordsPerSecond ?? Number.NaN) / (y?.recordsPerSecond ?? Number.NaN);
  });
console.log(
  "\ncase         records/s median (min–max)   sender µs/rec (cpu)   sender cpu   sink cpu   both, CPU µs/rec",
);
const summary: Record<string, unknown> = {};
for (const kind of KINDS) {
  const rates = byKind(kind).map((r) => r.recordsPerSecond);
  const med = (pick: (r: Run) => number) => median(byKind(kind).map(pick));
  summary[kind] = {
    recordsPerSecond: median(rates),
    min: Math.min(...rates),
    max: Math.max(...rates),
    senderMicrosPerRecord: med((r) => r.senderMicrosPerRecord),
    senderCpuMicrosPerRecord: med((r) => r.senderCpuMicrosPerRecord),
    senderCpu: med((r) => r.senderCpu),
    sinkCpu: med((r) => r.sinkCpu),
    coreMicrosPerRecord: med((r) => r.coreMicrosPerRecord),
  };
  console.log(
    `${kind.padEnd(12)} ${k(median(rates)).padStart(9)} (${k(Math.min(...rates))}–${k(Math.max(...rates))})`.padEnd(
      42,
    ) +
      `${med((r) => r.senderMicrosPerRecord).toFixed(2)} (${med((r) => r.senderCpuMicrosPerRecord).toFixed(2)})`.padEnd(
        22,
      ) +
      `${(med((r) => r.senderCpu) * 100).toFixed(0)} %`.padEnd(13) +
      `${(med((r) => r.sinkCpu) * 100).toFixed(0)} %`.padEnd(11) +
      med((r) => r.coreMicrosPerRecord).toFixed(2),
  );
}
const logPath = perRound("zmqc", "raw");
const logPathVsC = perRound("zmqc", "c");
const rawVsC = perRound("raw", "c");
const curve = perRound("zmqc-curve", "zmqc");
const loggerOnly = perRound("logger", "raw");
const againstZeek = perRound("zeek-zmqc", "zeek-zeek");
console.log(
  `\nzmqc log path / raw PUSH→PULL + append: ${ratio(median(logPath))} (per round: ${logPath.map(ratio).join(", ")}; target ≥ 0.5)`,
);
if ("binary" in c) {
  console.log(
    `zmqc log path / C PUSH→PULL + append:   ${ratio(median(logPathVsC))} (per round: ${logPathVsC.map(ratio).join(", ")})`,
  );
  console.log(
    `raw zeromq.js / C PUSH→PULL + append:   ${ratio(median(rawVsC))} (per round: ${rawVsC.map(ratio).join(", ")})`,
  );
} else console.log(`C libzmq PUSH → PULL + append: missing: ${c.missing}`);
console.log(
  `zmqc with CURVE / plain:                ${ratio(median(curve))} (per round: ${curve.map(ratio).join(", ")})`,
);
console.log(
  `zmqc logger fed pre-encoded batches / raw: ${ratio(median(loggerOnly))} (per round: ${loggerOnly.map(ratio).join(", ")})`,
);
console.log(
  `zmqc logger / Zeek logger, a Zeek worker's batches: ${ratio(median(againstZeek))} (per round: ${againstZeek.map(ratio).join(", ")}; target ≥ 1)`,
);
// The machine's share of the target: the raw path's rate halved, times what the zmqc stack costs per record.
const coreMicros = (kind: Kind) => median(byKind(kind).map((r) => r.coreMicrosPerRecord));
const rawRate = median(byKind("raw").map((r) => r.recordsPerSecond));
const coresForTarget = (coreMicros("zmqc") * 0.5 * rawRate) / 1e6;
const budget = {
  coresForTarget,
  cores: availableParallelism(),
  rawCoreMicrosPerRecord: coreMicros("raw"),
  zmqcCoreMicrosPerRecord: coreMicros("zmqc"),
};
if (Number.isFinite(coresForTarget))
  console.log(
    `CPU budget: the zmqc path costs ${budget.zmqcCoreMicrosPerRecord.toFixed(2)} µs of CPU per record (both processes; raw ${budget.rawCoreMicrosPerRecord.toFixed(2)}); at 0.5× raw's rate (${k(rawRate / 2)}) that is ${coresForTarget.toFixed(1)} cores busy, this machine has ${budget.cores}`,
  );
if (jsonFile) {
  writeFileSync(
    jsonFile,
    `${JSON.stringify({ records, rounds, runs, summary, budget, missing: "missing" in c ? { c: c.missing } : {}, ratios: { logPathVsRaw: logPath, logPathVsC, rawVsC, curveVsPlain: curve, loggerVsRaw: loggerOnly, zmqcVsZeekLogger: againstZeek } }, null, 2)}\n`,
  );
}
