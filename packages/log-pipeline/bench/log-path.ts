// Log path benchmark: records/s from `sender.write()` of conn-like records to lines in files by `startLogger`,
// against a raw zeromq.js PUSH → PULL loop that sends the same pre-encoded zeek-bin-serializer batches and appends
// their payloads to a file (what a user would write without zmqc), and the zmqc path with CURVE against the same
// path in plain. Sender and receiver are two long-lived child processes; each run starts a fresh logger (or raw
// PULL) and a fresh sender in them. A warm-up round, then rounds that interleave the cases (the order rotates);
// medians and the per-round ratios are printed. Only ratios mean anything on a shared, noisy machine.
//
//
// With a Zeek on the machine (and without --no-zeek) two more stacks run (zeek-loggers.ts): a real Zeek worker
// logging the same kind of records to a zmqc logger, and to a real Zeek logger; the logger alone is timed.
//
//   pnpm --filter @zmqc/log-pipeline bench                 # quick: 100 k records, 5 rounds (under a minute)
//   pnpm --filter @zmqc/log-pipeline bench --full          # 500 k records, 9 rounds
//   ... bench --records 200000 --rounds 7 --json out.json --cases raw,logger,zeek-zmqc,zeek-zeek
import { type ChildProcess, fork } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateKeypair } from "@zmqc/broker";
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
const KINDS: readonly Kind[] = (option("--cases")?.split(",") as Kind[] | undefined) ?? [
  "raw",
  "zmqc",
  "zmqc-curve",
  "logger",
  // zeek-zmqc before zeek-zeek: the first zmqc run tells how many bytes the whole conn.log has.
  ...(zeek === undefined ? [] : (["zeek-zmqc", "zeek-zeek"] as const)),
];
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
    };
  } finally {
    await worker.stop();
  }
}

async function run(sink: Peer, source: Peer, kind: Kind, count: number, round: number): Promise<Run> {
  if (kind === "zeek-zmqc" || kind === "zeek-zeek") return zeekRun(sink, kind, count, round);
  sink.send({ op: "sink", kind, records: count, keys });
  const { endpoint } = await sink.next("ready");
  source.send({ op: "source", kind, records: count, endpoint, keys });
  const [written, sent] = await Promise.all([sink.next("written"), source.next("sent")]);
  const expected = kind === "raw" ? written.check : count;
  if (written.check !== expected || written.errors > 0 || sent.dropped > 0)
    throw new Error(`${kind}: ${written.check} lines, ${written.errors} errors, ${sent.dropped} dropped`);
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
      `round ${round}: ${line.join(", ")}; zmqc/raw ${ratio(of("zmqc") / of("raw"))}, curve/plain ${ratio(of("zmqc-curve") / of("zmqc"))}, logger/raw ${ratio(of("logger") / of("raw"))}, zmqc logger/Zeek logger ${ratio(of("zeek-zmqc") / of("zeek-zeek"))}`,
    );
  }
} finally {
  sink.stop();
  source.stop();
}

const byKind = (kind: Kind) => runs.filter((r) => r.kind === kind);
const perRound = (a: Kind, b: Kind) =>
  Array.from({ length: rounds }, (_unused, i) => {
    const x = runs.find((r) => r.round === i + 1 && r.kind === a);
    const y = runs.find((r) => r.round === i + 1 && r.kind === b);
    return (x?.recordsPerSecond ?? Number.NaN) / (y?.recordsPerSecond ?? Number.NaN);
  });
console.log("\ncase         records/s median (min–max)   sender µs/rec (cpu)   sender cpu   sink cpu");
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
  };
  console.log(
    `${kind.padEnd(12)} ${k(median(rates)).padStart(9)} (${k(Math.min(...rates))}–${k(Math.max(...rates))})`.padEnd(
      42,
    ) +
      `${med((r) => r.senderMicrosPerRecord).toFixed(2)} (${med((r) => r.senderCpuMicrosPerRecord).toFixed(2)})`.padEnd(
        22,
      ) +
      `${(med((r) => r.senderCpu) * 100).toFixed(0)} %`.padEnd(13) +
      `${(med((r) => r.sinkCpu) * 100).toFixed(0)} %`,
  );
}
const logPath = perRound("zmqc", "raw");
const curve = perRound("zmqc-curve", "zmqc");
const loggerOnly = perRound("logger", "raw");
const againstZeek = perRound("zeek-zmqc", "zeek-zeek");
console.log(
  `\nzmqc log path / raw PUSH→PULL + append: ${ratio(median(logPath))} (per round: ${logPath.map(ratio).join(", ")}; target ≥ 0.5)`,
);
console.log(
  `zmqc with CURVE / plain:                ${ratio(median(curve))} (per round: ${curve.map(ratio).join(", ")})`,
);
console.log(
  `zmqc logger fed pre-encoded batches / raw: ${ratio(median(loggerOnly))} (per round: ${loggerOnly.map(ratio).join(", ")})`,
);
console.log(
  `zmqc logger / Zeek logger, a Zeek worker's batches: ${ratio(median(againstZeek))} (per round: ${againstZeek.map(ratio).join(", ")}; target ≥ 1)`,
);
if (jsonFile) {
  writeFileSync(
    jsonFile,
    `${JSON.stringify({ records, rounds, runs, summary, ratios: { logPathVsRaw: logPath, curveVsPlain: curve, loggerVsRaw: loggerOnly, zmqcVsZeekLogger: againstZeek } }, null, 2)}\n`,
  );
}
