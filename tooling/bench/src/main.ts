// The benchmark harness: `pnpm bench` (quick, a few minutes on 2 cores), `pnpm bench --full`, `pnpm bench --smoke`
// (CI: proves every case runs and writes its JSON; no timing is asserted anywhere). Results go to bench-results/
// (JSON, SVG charts, report.md); `--report` also rewrites BENCHMARKS.md and its charts in docs/benchmarks/.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { codecCase } from "./cases/codec.js";
import { discoveryCase } from "./cases/discovery.js";
import { eventsCase } from "./cases/events.js";
import { forwarderCase } from "./cases/forwarder.js";
import { idleRssCase } from "./cases/idle-rss.js";
import { latencyCase } from "./cases/latency.js";
import { logsCase } from "./cases/logs.js";
import { soakCase } from "./cases/soak.js";
import { chartSvg, markdownSection } from "./report.js";
import { targetsMarkdown } from "./targets.js";
import type { CaseResult, RunMode, RunOptions } from "./types.js";

const CASES: Record<string, (options: RunOptions) => Promise<CaseResult>> = {
  codec: codecCase,
  events: eventsCase,
  latency: latencyCase,
  forwarder: forwarderCase,
  logs: logsCase,
  discovery: discoveryCase,
  "idle-rss": idleRssCase,
  soak: soakCase,
};

const ROOT = resolve(import.meta.dirname, "../../..");
const args = process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === "--"));
const { values } = parseArgs({
  args,
  options: {
    full: { type: "boolean", default: false },
    smoke: { type: "boolean", default: false },
    only: { type: "string" },
    out: { type: "string", default: join(ROOT, "bench-results") },
    report: { type: "boolean", default: false },
  },
});
const mode: RunMode = values.smoke ? "smoke" : values.full ? "full" : "quick";
const selected = values.only ? values.only.split(",") : Object.keys(CASES);
const unknown = selected.filter((id) => !(id in CASES));
if (unknown.length > 0) {
  console.error(`unknown case(s): ${unknown.join(", ")}; cases: ${Object.keys(CASES).join(", ")}`);
  process.exit(2);
}

const machine = {
  cpus: `${cpus().length} × ${cpus()[0]?.model ?? "?"}`,
  memoryGb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  date: new Date().toISOString(),
  mode,
  /** 1-minute load average before and after the run: how busy the shared box was. */
  load: { before: loadavg()[0] ?? Number.NaN, after: Number.NaN },
};
const out = resolve(values.out);
mkdirSync(out, { recursive: true });
const results: CaseResult[] = [];
for (const id of selected) {
  const run = CASES[id] as (options: RunOptions) => Promise<CaseResult>;
  const caseStarted = performance.now();
  const result = await run({ mode, log: (line) => console.log(`  ${line}`) });
  console.log(`  ${id}: ${((performance.now() - caseStarted) / 1000).toFixed(0)} s`);
  results.push(result);
  writeFileSync(join(out, `${id}.svg`), chartSvg(result));
  console.log(`\n${markdownSection(result, undefined)}`);
}
machine.load.after = loadavg()[0] ?? Number.NaN;
const targets = targetsMarkdown(results);
console.log(`\n${targets}`);
writeFileSync(join(out, "results.json"), `${JSON.stringify({ machine, results }, null, 2)}\n`);
const report = [targets, ...results.map((result) => markdownSection(result, `${result.id}.svg`))].join("\n");
writeFileSync(join(out, "report.md"), report);
console.log(`results: ${join(out, "results.json")}, charts and report.md beside it`);

if (values.report) {
  const charts = join(ROOT, "docs", "benchmarks");
  mkdirSync(charts, { recursive: true });
  for (const result of results) writeFileSync(join(charts, `${result.id}.svg`), chartSvg(result));
  const file = join(ROOT, "BENCHMARKS.md");
  const template = readFileSync(join(import.meta.dirname, "../BENCHMARKS.template.md"), "utf8");
  const sections = results
    .map((result) => markdownSection(result, `docs/benchmarks/${result.id}.svg`))
    .join("\n");
  const machineLine = `${machine.cpus}, ${machine.memoryGb} GB, Node ${machine.node}, ${machine.date.slice(0, 10)}, \`pnpm bench${mode === "quick" ? "" : ` --${mode}`}\`, load average ${machine.load.before.toFixed(1)} before the run and ${machine.load.after.toFixed(1)} after (2 cores)`;
  writeFileSync(
    file,
    template
      .replace("{{machine}}", machineLine)
      .replace("{{targets}}", targets)
      .replace("{{results}}", sections),
  );
  console.log(`wrote ${file}`);
}
