// Codec micro benchmarks, from @zmqc/wire-format's own benchmark (bench/run.ts, tinybench, run here with --json):
// encode and decode of each format — the `hello` event in broker-bin-v1, broker-json-v1 and zmqc-cbor-v1, a
// zmqc-batch-v1 batch of 100 broker-bin-v1 events, and a 1000-record conn-log batch in zeek-bin-serializer and
// zmqc-cbor-v1 — against cbor-x and JSON of the same data, in the same process. The baselines decode the same values
// as plain data: cbor-x decodes the event as a plain CBOR map {name, args: [strings]} (no Zeek types), JSON.parse
// the same object as JSON text, and the log baselines JSON lines / a cbor-x array of the same rows.
import { resolve } from "node:path";
import { runJsonBench } from "../node.js";
import { human, median, spreadPercent } from "../stats.js";
import type { CaseResult, RunOptions, StackSummary } from "../types.js";

const SCRIPT = resolve(import.meta.dirname, "../../../../packages/wire-format/bench/run.ts");

interface CodecReport {
  readonly results: readonly { name: string; opsPerSecond: number; rme: number }[];
  readonly ratios: Readonly<Record<string, number>>;
}

/** The ratio the issues set a target on, by its name in the wire-format benchmark. */
export const CODEC_TARGETS = {
  brokerBinDecode: "broker-bin-v1 decode / cbor-x map decode (target ≥ 1.0)",
  zeekBinBatchDecode:
    "zeek-bin-serializer plain rows + read every field / JSON lines the same (target ≥ 2.0)",
} as const;

export async function codecCase(options: RunOptions): Promise<CaseResult> {
  const rounds = options.mode === "full" ? 3 : 1;
  const time = options.mode === "full" ? 1000 : options.mode === "smoke" ? 30 : 300;
  const reports: CodecReport[] = [];
  for (let i = 0; i < rounds; i++) {
    options.log(
      `codec: tinybench, ${time} ms per task, round ${i + 1}/${rounds} (packages/wire-format/bench)`,
    );
    reports.push(await runJsonBench<CodecReport>("codec bench", SCRIPT, ["--time", String(time)]));
  }
  const names = Object.keys(reports[0]?.ratios ?? {});
  const stacks: StackSummary[] = names.map((name, i) => {
    const perRound = reports.map((report) => report.ratios[name] ?? Number.NaN);
    return {
      id: `ratio-${i}`,
      label: name,
      missing: undefined,
      median: median(perRound),
      spreadPercent: spreadPercent(perRound),
      perRound,
      lost: false,
      processes: [],
      limiter: undefined,
    };
  });
  const tasks = (reports[0]?.results ?? []).map((task) => task.name);
  const opsTable = [
    "Operations per second of each task (median over the rounds; ±: tinybench's relative margin of error):",
    "",
    "| task | ops/s | ± |",
    "| --- | --- | --- |",
    ...tasks.map((task) => {
      const rows = reports.flatMap((report) => report.results.filter((row) => row.name === task));
      return `| ${task} | ${human(median(rows.map((row) => row.opsPerSecond)))} | ${median(rows.map((row) => row.rme)).toFixed(1)} % |`;
    }),
  ];
  return {
    id: "codec",
    title: "Codecs: each format's encode and decode against cbor-x and JSON of the same data (one process)",
    unit: "× baseline",
    count: tasks.length,
    countUnit: "tinybench tasks",
    rounds,
    method: "each round a fresh process running every task in turn (tinybench: warm-up, then samples)",
    stacks,
    subject: "ratio-0",
    ratios: [],
    notes: [
      "Each row is a ratio of two tasks' operations per second in the same run (above 1: the zmqc codec is faster). The cbor-x baseline decodes the same event as a plain CBOR map `{name, args}` of strings and numbers — what a codec without Zeek's types would do — so broker-bin-v1 decoding typed values at ≥ 1.0× is the target (issue #4).",
      "",
      ...opsTable,
    ],
  };
}
