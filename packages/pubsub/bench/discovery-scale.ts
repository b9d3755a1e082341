// Discovery at scale: N nodes of one layout join in one process through one broker; the time from the first join to
// "every node has node_up for every other node" (N·(N-1) node_up events), for several N. Target (issue #7): ≤ 2 s for
// 50 nodes on this 2-core machine.
//
//   node --conditions=@zmqc/source --import tsx packages/pubsub/bench/discovery-scale.ts [sizes] [rounds]
//   e.g. … discovery-scale.ts 10,25,50,100 3 [--json out.json]
import { writeFileSync } from "node:fs";
import { startBroker } from "@zmqc/broker";
import { type ClusterNode as LayoutNode, resolveCluster } from "@zmqc/config";
import { type Cluster, joinCluster } from "../src/index.js";

const TIME_LIMIT_MS = 60_000;
const CLOSE_LIMIT_MS = 30_000;

function layoutOf(size: number) {
  const nodes: Record<string, LayoutNode> = { manager: { type: "manager", ip: "127.0.0.1" } };
  for (let i = 1; i < size; i++)
    nodes[`worker-${i}`] = { type: "worker", ip: "127.0.0.1", manager: "manager" };
  return resolveCluster({ nodes });
}

interface Result {
  readonly ms: number;
  readonly nodeUps: number;
  readonly expected: number;
  readonly warnings: number;
}

async function round(size: number): Promise<Result> {
  const broker = await startBroker({
    listenXpubEndpoint: "tcp://127.0.0.1:*",
    listenXsubEndpoint: "tcp://127.0.0.1:*",
  });
  const layout = resolveCluster(layoutOf(size));
  const expected = size * (size - 1);
  let nodeUps = 0;
  let warnings = 0;
  let done: () => void = () => {};
  const all = new Promise<void>((resolve) => {
    done = resolve;
  });
  const clusters: Cluster[] = [];
  const started = performance.now();
  try {
    for (const name of Object.keys(layout.nodes)) {
      const cluster = await joinCluster({
        layout,
        name,
        connectXpubEndpoint: broker.xsubEndpoint,
        connectXsubEndpoint: broker.xpubEndpoint,
        lingerMs: 0,
        log: () => {
          warnings++;
        },
      });
      cluster.on((event) => {
        if (event.type === "node_up" && ++nodeUps === expected) done();
        if (event.type === "warning" || event.type === "error") warnings++;
      });
      clusters.push(cluster);
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise((resolve) => (timer = setTimeout(resolve, TIME_LIMIT_MS)))]);
    clearTimeout(timer);
    return { ms: performance.now() - started, nodeUps, expected, warnings };
  } finally {
    // Bounded: a close that never resolves must show up as a failure naming what hung, not as a stuck benchmark
    // (the harness once waited 10 minutes here, under load from other benchmarks; not reproduced since).
    let pendingNodes = clusters.length;
    let brokerClosed = false;
    const closing = (async () => {
      await Promise.all(clusters.map((cluster) => cluster.close().finally(() => pendingNodes--)));
      await broker.close();
      brokerClosed = true;
    })();
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `closing a ${size}-node round did not finish within ${CLOSE_LIMIT_MS} ms: ${pendingNodes} node(s) still closing, broker ${brokerClosed ? "closed" : "not closed"}`,
            ),
          ),
        CLOSE_LIMIT_MS,
      );
    });
    try {
      await Promise.race([closing, hung]);
    } finally {
      clearTimeout(timer);
    }
  }
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

const jsonAt = process.argv.indexOf("--json");
const jsonFile = jsonAt > 0 ? process.argv[jsonAt + 1] : undefined;
const positional = process.argv
  .slice(2)
  .filter((_, i, all) => all[i] !== "--json" && all[i - 1] !== "--json");
const sizes = (positional[0] ?? "10,25,50,100").split(",").map(Number);
const rounds = Number(positional[1] ?? 3);
const report: { size: number; ms: number[]; complete: boolean }[] = [];
console.log(
  `discovery: time to every node_up everywhere, ${rounds} rounds per size, one process, one native broker`,
);
let previous: { size: number; ms: number } | undefined;
for (const size of sizes) {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const result = await round(size);
    const note =
      result.nodeUps < result.expected
        ? ` (only ${result.nodeUps}/${result.expected} node_up in ${TIME_LIMIT_MS} ms)`
        : "";
    const warned = result.warnings > 0 ? `, ${result.warnings} warnings` : "";
    console.log(
      `  ${String(size).padStart(4)} nodes: ${result.ms.toFixed(0).padStart(6)} ms${note}${warned}`,
    );
    times.push(result.ms);
    const entry = report.find((row) => row.size === size) ?? { size, ms: [], complete: true };
    if (!report.includes(entry)) report.push(entry);
    entry.ms.push(result.ms);
    if (result.nodeUps < result.expected) entry.complete = false;
  }
  const ms = median(times);
  const growth = previous
    ? `, ×${(ms / previous.ms).toFixed(1)} for ×${(size / previous.size).toFixed(1)} nodes`
    : "";
  const target = size === 50 ? ` (target ≤ 2000 ms: ${ms <= 2000 ? "met" : "NOT met"})` : "";
  console.log(`median ${size} nodes: ${ms.toFixed(0)} ms${growth}${target}`);
  previous = { size, ms };
}
if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify({ rounds, sizes: report }, null, 2)}\n`);
