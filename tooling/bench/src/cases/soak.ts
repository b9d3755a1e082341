// Soak: a long run of events through a zmqc cluster — publisher node → zmqc broker (native) → subscriber node, each
// its own process, one event per message — with every process's RSS (from /proc) and V8 heap (each reports its own)
// sampled as the events go by. Memory should be flat: the figure is the growth from the first third of the run to
// the last, in MB per million events (start-up growth — JIT, buffers, pools — lands in the first third).
import { scriptArgs } from "../node.js";
import { boundEndpoints, type Measured, type ProcessCost, rssMbNow, startMeasured } from "../process.js";
import { human } from "../stats.js";
import type { CaseResult, RunOptions, StackSummary } from "../types.js";

const TOPIC = "zeek.soak";
const ROLES = ["broker", "publisher", "subscriber"] as const;
type Role = (typeof ROLES)[number];

interface Sample {
  readonly events: number;
  readonly seconds: number;
  readonly rss: Record<Role, number>;
  readonly heap: Record<Role, number>;
}

/** The last "heap <progress> <MB>" line a process printed: [progress, MB]. */
function lastHeap(process: Measured): [number, number] {
  const lines = process.lines();
  for (let i = lines.length - 1; i >= 0; i--) {
    const [word, progress, mb] = (lines[i] as string).split(" ");
    if (word === "heap") return [Number(progress), Number(mb)];
  }
  return [0, Number.NaN];
}

function mean(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite);
  return finite.length > 0 ? finite.reduce((a, b) => a + b, 0) / finite.length : Number.NaN;
}

/** MB per million events between the first third of the run (by events) and the last. */
function growth(samples: readonly Sample[], count: number, value: (sample: Sample) => number) {
  const first = samples.filter((sample) => sample.events > 0 && sample.events <= count / 3);
  const last = samples.filter((sample) => sample.events >= (2 * count) / 3);
  const firstMb = mean(first.map(value));
  const lastMb = mean(last.map(value));
  // Events at the samples that have this figure (a publisher that has finished has no RSS any more).
  const at = (samples: readonly Sample[]) =>
    mean(samples.filter((s) => Number.isFinite(value(s))).map((s) => s.events));
  const millions = (at(last) - at(first)) / 1e6;
  return { firstMb, lastMb, perMillion: (lastMb - firstMb) / millions };
}

export async function soakCase(options: RunOptions): Promise<CaseResult> {
  const count = options.mode === "full" ? 10_000_000 : options.mode === "smoke" ? 60_000 : 1_000_000;
  const sampleMs = options.mode === "smoke" ? 100 : 500;
  options.log(`soak: ${count.toLocaleString("en")} events, publisher → zmqc broker → subscriber`);
  const node = (name: string, args: readonly string[]) =>
    startMeasured(name, process.execPath, scriptArgs("soak-peer", args));
  const broker = startMeasured(
    "broker (zmqc native)",
    process.execPath,
    scriptArgs("broker-peer", ["native", "heap"]),
  );
  const all: Measured[] = [broker];
  const samples: Sample[] = [];
  let costs: ProcessCost[] = [];
  let rate = Number.NaN;
  let received = 0;
  try {
    const { xpubEndpoint: xpub, xsubEndpoint: xsub } = await boundEndpoints(broker, 30_000);
    const subscriber = node("subscriber (zmqc)", ["sub", xsub, xpub, String(count), TOPIC]);
    const publisher = node("publisher (zmqc)", ["pub", xsub, xpub, String(count), TOPIC]);
    all.push(publisher, subscriber);
    const byRole: Record<Role, Measured> = { broker, publisher, subscriber };
    const started = performance.now();
    const done = subscriber.line((line) => line.startsWith("done "), 60_000 + count / 10);
    let finished = false;
    void done.then(
      () => (finished = true),
      () => (finished = true),
    );
    while (!finished) {
      await new Promise((resolve) => setTimeout(resolve, sampleMs));
      const rss = Object.fromEntries(ROLES.map((role) => [role, rssMbNow(byRole[role])])) as Record<
        Role,
        number
      >;
      const heap = Object.fromEntries(ROLES.map((role) => [role, lastHeap(byRole[role])[1]])) as Record<
        Role,
        number
      >;
      samples.push({
        events: lastHeap(subscriber)[0],
        seconds: (performance.now() - started) / 1000,
        rss,
        heap,
      });
    }
    const [, got = "0", ms = "0"] = (await done).split(" ");
    received = Number(got);
    rate = (received / Number(ms)) * 1000;
    const wallSeconds = (performance.now() - started) / 1000;
    for (const process of all) costs.push(await process.stop());
    for (const cost of costs) cost.cpuPercent = (cost.cpuSeconds / wallSeconds) * 100;
  } finally {
    await Promise.all(all.map((process) => process.stop()));
  }
  costs = costs.length > 0 ? costs : [];
  const stacks: StackSummary[] = ROLES.flatMap((role) =>
    (["rss", "heap"] as const).map((kind) => {
      const figure = growth(samples, count, (sample) => sample[kind][role]);
      const cost = costs.find((process) => process.name.startsWith(role));
      return {
        id: `${role}-${kind}`,
        label: `${role} ${kind === "rss" ? "RSS" : "V8 heap used"}: ${figure.firstMb.toFixed(0)} → ${figure.lastMb.toFixed(0)} MB`,
        missing: undefined,
        median: figure.perMillion,
        spreadPercent: 0,
        perRound: [figure.perMillion],
        lost: received < count,
        processes:
          kind === "rss" && cost
            ? [{ name: cost.name, cpuPercent: cost.cpuPercent ?? Number.NaN, maxRssMb: cost.maxRssKb / 1024 }]
            : [],
        limiter: undefined,
      };
    }),
  );
  const busiest = [...costs].sort((a, b) => (b.cpuPercent ?? 0) - (a.cpuPercent ?? 0))[0];
  const every = Math.max(1, Math.ceil(samples.length / 10));
  const table = samples.filter((_sample, i) => i % every === 0 || i === samples.length - 1);
  return {
    id: "soak",
    title: "Soak: memory over a long run of events, publisher node → zmqc broker → subscriber node",
    unit: "MB per million events",
    count,
    countUnit: "events",
    rounds: 1,
    method: `one run, RSS and heap sampled every ${sampleMs} ms; growth = (last third's mean − first third's mean) ÷ millions of events between them`,
    stacks,
    subject: "broker-rss",
    ratios: [],
    notes: [
      `${received.toLocaleString("en")} of ${count.toLocaleString("en")} events arrived, at ${human(rate)} events/s. ${busiest ? `Busiest process: ${busiest.name} at ${(busiest.cpuPercent ?? 0).toFixed(0)} % CPU over the run.` : ""}`,
      "",
      "| events received | s | RSS broker / publisher / subscriber (MB) | heap used broker / publisher / subscriber (MB) |",
      "| --- | --- | --- | --- |",
      ...table.map(
        (sample) =>
          `| ${sample.events.toLocaleString("en")} | ${sample.seconds.toFixed(1)} | ${ROLES.map((role) => sample.rss[role].toFixed(0)).join(" / ")} | ${ROLES.map((role) => sample.heap[role].toFixed(1)).join(" / ")} |`,
      ),
    ],
    series: {
      x: "events received",
      y: "RSS (MB)",
      lines: ROLES.map((role) => ({
        label: `${role} RSS`,
        points: samples
          .filter((sample) => Number.isFinite(sample.rss[role]))
          .map((sample) => [sample.events, sample.rss[role]] as const),
      })),
    },
  };
}
