// Discovery at scale, from @zmqc/pubsub's own benchmark (bench/discovery-scale.ts, run here with --json): N nodes
// of one layout join in one process through one broker; the time until every node has node_up for every other.
// Issue #7's target: ≤ 2 s for 50 nodes on this 2-core machine.
import { resolve } from "node:path";
import { runJsonBench } from "../node.js";
import { median, spreadPercent } from "../stats.js";
import type { CaseResult, RunOptions } from "../types.js";

const SCRIPT = resolve(import.meta.dirname, "../../../../packages/pubsub/bench/discovery-scale.ts");

export async function discoveryCase(options: RunOptions): Promise<CaseResult> {
  const sizes = options.mode === "full" ? [10, 25, 50, 100] : options.mode === "smoke" ? [10] : [10, 50, 100];
  const rounds = options.mode === "full" ? 5 : options.mode === "smoke" ? 1 : 3;
  options.log(
    `discovery: ${sizes.join(", ")} nodes × ${rounds} rounds (packages/pubsub/bench/discovery-scale.ts)`,
  );
  const report = await runJsonBench<{ sizes: { size: number; ms: number[]; complete: boolean }[] }>(
    "discovery bench",
    SCRIPT,
    [sizes.join(","), String(rounds)],
  );
  return {
    id: "discovery",
    title: "Discovery: N nodes in one process, one broker, time until every node_up everywhere",
    unit: "ms",
    count: Math.max(...sizes),
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
