// Discovery at scale, from @zmqc/pubsub's own benchmark (bench/discovery-scale.ts, run here with --json): N nodes
// of one layout join in one process through one broker; the time until every node has node_up for every other.
// Issue #7's target: ≤ 2 s for 50 nodes on this 2-core machine.
import { resolve } from "node:path";
import { runJsonBench } from "../node.js";
import { median, spreadPercent } from "../stats.js";
import type { CaseResult, RunOptions } from "../types.js";

const SCRIPT = resolve(import.meta.dirname, "../../../../packages/pubsub/bench/discovery-scale.ts");

export async function discoveryCase(options: RunOptions): Promise<CaseResult> {
  const sizes = options.mode === "smoke" ? [10, 25] : [10, 25, 50, 75, 100];
  const rounds = options.mode === "full" ? 5 : options.mode === "smoke" ? 1 : 3;
  options.log(
    `discovery: ${sizes.join(", ")} nodes × ${rounds} rounds (packages/pubsub/bench/discovery-scale.ts)`,
  );
  const report = await runJsonBench<{ sizes: { size: number; ms: number[]; complete: boolean }[] }>(
    "discovery bench",
    SCRIPT,
    [sizes.join(","), String(rounds)],
  );
  // How it grows: each step's time ratio against its size ratio, and the exponent k of time ∝ nodes^k overall.
  const medians = report.sizes.map((row) => ({ size: row.size, ms: median(row.ms) }));
  const steps = medians.slice(1).map((row, i) => {
    const previous = medians[i] as { size: number; ms: number };
    return `${previous.size} → ${row.size} nodes: ×${(row.ms / previous.ms).toFixed(1)} time for ×${(row.size / previous.size).toFixed(1)} nodes`;
  });
  const first = medians[0];
  const last = medians.at(-1);
  const exponent =
    first && last && last.size > first.size
      ? Math.log(last.ms / first.ms) / Math.log(last.size / first.size)
      : Number.NaN;
  const notes = [
    `Growth: ${steps.join("; ")}.`,
    ...(Number.isFinite(exponent)
      ? [
          "",
          `Overall time ∝ nodes^${exponent.toFixed(2)} from ${first?.size} to ${last?.size} nodes (every node_up everywhere is N·(N−1) events, so 2 is quadratic in N; each node's hello reaches every other through one broker).`,
        ]
      : []),
  ];
  return {
    id: "discovery",
    notes,
    title: "Discovery: N nodes in one process, one broker, time until every node_up everywhere",
    unit: "ms",
    count: Math.max(...sizes),
    countUnit: "nodes at most",
    method: "each size's rounds back to back, in one process (packages/pubsub/bench/discovery-scale.ts)",
    rounds,
    stacks: report.sizes.map((row) => ({
      id: `n${row.size}`,
      label: `${row.size} nodes${row.size === 50 ? " (target ≤ 2000 ms)" : ""}`,
      missing: undefined,
      median: median(row.ms),
      spreadPercent: spreadPercent(row.ms),
      perRound: row.ms,
      lost: !row.complete,
      processes: [],
      limiter: undefined,
    })),
    subject: "n50",
    ratios: [],
  };
}
