// The log path, from @zmqc/log-pipeline's own benchmark (bench/log-path.ts, run here with --json): records/s from
// sender.write() of conn-like records to lines in a Zeek TSV file, against a raw zeromq.js PUSH → PULL of the same
// pre-encoded batches plus a plain file append, and against the C ceiling: a C libzmq PUSH of the same batches → a
// C PULL + append (the bench's c/pushpull.c, built here with cBinary; reported as missing, with the fix, without gcc
// or libzmq3-dev), run round by round side by side. With a Zeek on the machine, also a real Zeek worker's batches
// written by a zmqc logger and by a real Zeek logger (the loggers alone are timed).
import { resolve } from "node:path";
import { cBinary } from "../baselines.js";
import { runJsonBench } from "../node.js";
import { median, spreadPercent } from "../stats.js";
import type { CaseResult, RunOptions, StackSummary } from "../types.js";

const SCRIPT = resolve(import.meta.dirname, "../../../../packages/log-pipeline/bench/log-path.ts");
const C_SOURCE = resolve(import.meta.dirname, "../../../../packages/log-pipeline/bench/c/pushpull.c");

const LABELS: Record<string, string> = {
  raw: "raw zeromq.js PUSH → PULL + file append (pre-encoded batches)",
  c: "C libzmq PUSH → PULL + file append (pre-encoded batches)",
  zmqc: "zmqc sender → zmqc logger (TSV file)",
  "zmqc-curve": "zmqc sender → zmqc logger, CURVE",
  logger: "zmqc logger fed pre-encoded batches (as a Zeek worker sends them)",
  "zeek-zmqc": "Zeek 8.2.2 worker → zmqc logger (logger timed, first byte to last)",
  "zeek-zeek": "Zeek 8.2.2 worker → Zeek 8.2.2 logger (logger timed, first byte to last)",
};

interface Run {
  readonly kind: string;
  readonly round: number;
  readonly recordsPerSecond: number;
  /** null for the Zeek worker stacks (the worker is not what is timed). */
  readonly senderCpu: number | null;
  readonly sinkCpu: number | null;
}

/** log-path.ts's CPU budget: what the zmqc path costs per record, and the cores the 0.5× target would keep busy. */
interface Budget {
  readonly coresForTarget: number | null;
  readonly cores: number;
  readonly rawCoreMicrosPerRecord: number | null;
  readonly zmqcCoreMicrosPerRecord: number | null;
}

/** The budget as a line under the table, when both stacks ran (JSON turns a NaN into null). */
function budgetNote(budget: Budget | undefined): string[] {
  if (!budget || budget.coresForTarget === null || budget.zmqcCoreMicrosPerRecord === null) return [];
  const raw = budget.rawCoreMicrosPerRecord;
  return [
    `CPU budget: the zmqc path costs ${budget.zmqcCoreMicrosPerRecord.toFixed(2)} µs of CPU per record, sender and logger processes together (raw: ${raw === null ? "?" : raw.toFixed(2)}); running at 0.5× the raw path's rate would keep ${budget.coresForTarget.toFixed(1)} cores busy, and this machine has ${budget.cores}.`,
  ];
}

const cpuPercent = (value: number | null) => (value === null ? Number.NaN : value * 100);

export async function logsCase(options: RunOptions): Promise<CaseResult> {
  const records = options.mode === "full" ? 500_000 : options.mode === "smoke" ? 5_000 : 100_000;
  const rounds = options.mode === "full" ? 7 : options.mode === "smoke" ? 1 : 3;
  options.log(`logs: ${records} records × ${rounds} rounds (packages/log-pipeline/bench/log-path.ts)`);
  const c = cBinary("pushpull", C_SOURCE);
  const { runs, missing, budget } = await runJsonBench<{
    runs: Run[];
    missing?: Record<string, string>;
    budget?: Budget;
  }>("log-path bench", SCRIPT, [
    "--records",
    String(records),
    "--rounds",
    String(rounds),
    ...(c.ok ? ["--c-binary", c.value] : ["--no-c"]),
  ]);
  {
    const order = Object.keys(LABELS);
    const rank = (kind: string) => (order.includes(kind) ? order.indexOf(kind) : order.length);
    const kinds = [...new Set(runs.map((run) => run.kind))].sort((a, b) => rank(a) - rank(b));
    const cMissing = c.ok ? missing?.c : c.reason;
    const missingStacks: StackSummary[] =
      cMissing === undefined
        ? []
        : [
            {
              id: "c",
              label: LABELS.c as string,
              missing: cMissing,
              median: Number.NaN,
              spreadPercent: Number.NaN,
              perRound: [],
              lost: false,
              processes: [],
              limiter: undefined,
            },
          ];
    const stacks: StackSummary[] = kinds.map((kind) => {
      const mine = runs.filter((run) => run.kind === kind).sort((a, b) => a.round - b.round);
      const perRound = mine.map((run) => run.recordsPerSecond);
      const sender = median(mine.map((run) => cpuPercent(run.senderCpu)));
      const sink = median(mine.map((run) => cpuPercent(run.sinkCpu)));
      const zeekWorker = kind.startsWith("zeek-");
      return {
        id: kind,
        label: LABELS[kind] ?? kind,
        missing: undefined,
        median: median(perRound),
        spreadPercent: spreadPercent(perRound),
        perRound,
        lost: false,
        processes: zeekWorker
          ? [
              {
                name: kind === "zeek-zeek" ? "Zeek logger" : "zmqc logger",
                cpuPercent: sink,
                maxRssMb: Number.NaN,
              },
            ]
          : [
              { name: "sender", cpuPercent: sender, maxRssMb: Number.NaN },
              {
                name: kind === "c" || kind === "raw" ? "sink" : "logger",
                cpuPercent: sink,
                maxRssMb: Number.NaN,
              },
            ],
        limiter: zeekWorker
          ? `logger at ${sink.toFixed(0)} % CPU`
          : sender >= sink
            ? `sender at ${sender.toFixed(0)} % CPU`
            : `${kind === "c" || kind === "raw" ? "sink" : "logger"} at ${sink.toFixed(0)} % CPU`,
      };
    });
    // A missing C stack keeps its place after raw.
    if (missingStacks.length > 0)
      stacks.splice(kinds.includes("raw") ? kinds.indexOf("raw") + 1 : 0, 0, ...missingStacks);
    const ratio = (a: string, b: string) => {
      const x = stacks.find((stack) => stack.id === a);
      const y = stacks.find((stack) => stack.id === b);
      if (!x || !y || x.missing || y.missing) return [];
      const perRound = x.perRound.map((value, i) => value / (y.perRound[i] ?? Number.NaN));
      return [{ subject: a, baseline: b, median: median(perRound), perRound }];
    };
    return {
      id: "logs",
      title: "Log path: sender → PUSH → logger → Zeek TSV file, conn-like records",
      unit: "records/s",
      count: records,
      rounds,
      stacks,
      subject: "zmqc",
      ratios: [
        ...ratio("zmqc", "raw"),
        ...ratio("zmqc", "c"),
        ...ratio("raw", "c"),
        ...ratio("logger", "raw"),
        ...ratio("zeek-zmqc", "zeek-zeek"),
      ],
      notes: budgetNote(budget),
    };
  }
}
