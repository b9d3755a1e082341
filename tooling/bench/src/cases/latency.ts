// Latency: a ping-pong of 4-frame broker-bin-v1 events through a forwarder, one round trip at a time, each end its
// own process: C libzmq ends through a C zmq_proxy (the floor), raw zeromq.js ends and zmqc nodes through the same
// zmqc broker (issue #6: zmqc ≤ 1.3× the raw loop's latency over the same broker), and Zeek → Zeek through Zeek's
// proxy thread. p50/p99/p99.9 of the round-trip time per round; the stacks run round by round, interleaved.
import { fileURLToPath } from "node:url";
import { defineEvent } from "@zmqc/pubsub";
import { encodeBrokerBinEvent, Value } from "@zmqc/wire-format";
import { type Availability, cBinary, cPubSubBinary, zeek } from "../baselines.js";
import { scriptArgs } from "../node.js";
import {
  boundEndpoints,
  CpuSampler,
  type Measured,
  type ProcessCost,
  startMeasured,
  stopAndCost,
} from "../process.js";
import { median, percentile } from "../stats.js";
import { summarise } from "../summary.js";
import type { CaseResult, Ratio, RunOptions, StackRound, StackSummary } from "../types.js";
import { startZeekPair } from "./zeek-pair.js";

const ZEEK_SCRIPT = fileURLToPath(new URL("../../zeek/bench-latency.zeek", import.meta.url));
const ping = defineEvent("Bench::ping", ["string", "count"]);
const PAYLOAD_HEX = Buffer.from(
  encodeBrokerBinEvent(ping.make(Value.string("worker-1"), Value.count(42))),
).toString("hex");
const PERCENTILES = { p50: 50, p99: 99, "p99.9": 99.9 } as const;
const LINE_MS = 30_000;

/** A round's round-trip times (µs, sorted) and what each process cost. */
interface LatencyRound {
  readonly rtts: readonly number[];
  readonly processes: readonly ProcessCost[];
}

function parseRtts(line: string): number[] {
  return line
    .slice("rtt-us ".length)
    .split(",")
    .map(Number)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
}

/** The span of the measured round trips, ending now: from their total time back. */
function pingSpan(rtts: readonly number[]): { from: number; to: number } {
  const to = performance.now();
  return { from: to - rtts.reduce((sum, us) => sum + us, 0) / 1000, to };
}

/** Forwarder, echo, pinger; the pinger's round trips, and every process's CPU while they ran. */
async function round(
  forwarder: Measured,
  echo: (xsub: string, xpub: string) => Measured,
  pinger: (xsub: string, xpub: string) => Measured,
  timeoutMs: number,
): Promise<LatencyRound> {
  const started = performance.now();
  const all: Measured[] = [forwarder];
  const sampler = new CpuSampler();
  try {
    sampler.add(forwarder);
    const { xpubEndpoint: xpub, xsubEndpoint: xsub } = await boundEndpoints(forwarder, LINE_MS);
    const ends = [echo(xsub, xpub), pinger(xsub, xpub)] as const;
    for (const process of ends) {
      all.push(process);
      sampler.add(process);
    }
    const rtts = parseRtts(await ends[1].line((text) => text.startsWith("rtt-us "), timeoutMs));
    const processes = await stopAndCost(all, sampler, started, pingSpan(rtts));
    return { rtts, processes };
  } catch (error) {
    sampler.stop();
    await Promise.all(all.map((process) => process.stop()));
    throw error;
  }
}

/** Zeek → Zeek through Zeek's proxy thread, or through zmqc's broker (its own process) when `viaZmqcBroker`. */
async function zeekRound(
  zeekBinary: string,
  count: number,
  warmup: number,
  timeoutMs: number,
  viaZmqcBroker = false,
): Promise<LatencyRound> {
  const started = performance.now();
  const sampler = new CpuSampler();
  const broker = viaZmqcBroker
    ? startMeasured("broker (zmqc native)", process.execPath, scriptArgs("broker-peer", ["native"]))
    : undefined;
  try {
    let forwarder: { xpubEndpoint: string; xsubEndpoint: string } | undefined;
    if (broker) {
      sampler.add(broker);
      forwarder = await boundEndpoints(broker, LINE_MS);
    }
    const pair = await startZeekPair(zeekBinary, {
      count,
      script: ZEEK_SCRIPT,
      env: { BENCH_WARMUP: String(warmup) },
      names: {
        manager: broker ? "manager (Zeek, echo)" : "manager (Zeek, echo, proxy thread)",
        worker: "worker (Zeek, ping)",
      },
      ...(forwarder ? { forwarder } : {}),
    });
    try {
      sampler.add(pair.manager);
      sampler.add(pair.worker);
      const rtts = parseRtts(await pair.worker.line((text) => text.startsWith("rtt-us "), timeoutMs));
      const all = broker ? [pair.manager, pair.worker, broker] : [pair.manager, pair.worker];
      return { rtts, processes: await stopAndCost(all, sampler, started, pingSpan(rtts)) };
    } finally {
      await pair.stop();
    }
  } finally {
    sampler.stop();
    await broker?.stop();
  }
}

interface Stack {
  readonly id: string;
  readonly label: string;
  readonly available: Availability<unknown>;
  run(count: number, warmup: number, timeoutMs: number): Promise<LatencyRound>;
}

function stacks(): Stack[] {
  const c = cBinary("latency");
  const cFwd = cPubSubBinary();
  const zeekBinary = zeek();
  const node = (name: string, script: string, args: readonly string[]) =>
    startMeasured(name, process.execPath, scriptArgs(script, args));
  const zmqcBroker = () => node("broker (zmqc native)", "broker-peer", ["native"]);
  const nodeStack = (id: string, label: string, kind: "raw" | "zmqc", who: string): Stack => ({
    id,
    label,
    available: { ok: true, value: undefined },
    run: (count, warmup, timeoutMs) =>
      round(
        zmqcBroker(),
        (xsub, xpub) => node(`echo (${who})`, "latency-peer", [`${kind}-echo`, xsub, xpub]),
        (xsub, xpub) =>
          node(`ping (${who})`, "latency-peer", [`${kind}-ping`, xsub, xpub, String(count), String(warmup)]),
        timeoutMs,
      ),
  });
  return [
    {
      id: "c",
      label: "C libzmq ends, C zmq_proxy",
      available: c.ok ? cFwd : c,
      run: (count, warmup, timeoutMs) =>
        round(
          startMeasured("forwarder (C zmq_proxy)", cFwd.ok ? cFwd.value : "false", ["fwd"]),
          (xsub, xpub) => startMeasured("echo (C)", c.ok ? c.value : "false", ["echo", xsub, xpub]),
          (xsub, xpub) =>
            startMeasured("ping (C)", c.ok ? c.value : "false", [
              "ping",
              xsub,
              xpub,
              String(count),
              String(warmup),
              PAYLOAD_HEX,
            ]),
          timeoutMs,
        ),
    },
    nodeStack("zeromq.js", "raw zeromq.js ends, zmqc broker (native)", "raw", "zeromq.js"),
    nodeStack("zmqc", "zmqc nodes, zmqc broker (native)", "zmqc", "zmqc"),
    {
      id: "zeek",
      label: "Zeek → Zeek, Zeek's proxy thread",
      available: zeekBinary,
      run: (count, warmup, timeoutMs) =>
        zeekRound(zeekBinary.ok ? zeekBinary.value : "", count, warmup, timeoutMs),
    },
    {
      id: "zeek-zmqc-broker",
      label: "Zeek → Zeek through zmqc's broker (native; no Zeek proxy thread)",
      available: zeekBinary,
      run: (count, warmup, timeoutMs) =>
        zeekRound(zeekBinary.ok ? zeekBinary.value : "", count, warmup, timeoutMs, true),
    },
  ];
}

/** Runs the latency case: every available stack, `rounds` times, interleaved. */
export async function latencyCase(options: RunOptions): Promise<CaseResult> {
  const count = options.mode === "full" ? 20_000 : options.mode === "smoke" ? 300 : 3_000;
  // Steady state, as a long-running cluster sees it: with 500 unmeasured round trips V8 was still optimising the
  // zmqc path (dozens of background compiles of 0.3–10 ms each on a 2-core box) and p99 measured the JIT, not the
  // path (pubsub's own latency bench: p99 2.5× raw after 200 round trips, 1.08× after 6 000).
  const warmup = options.mode === "smoke" ? 50 : 6_000;
  const rounds = options.mode === "full" ? 5 : options.mode === "smoke" ? 1 : 3;
  // A round trip takes well under a millisecond; allow 10 ms each (and start-up) before calling a round stuck.
  const timeoutMs = 30_000 + (count + warmup) * 10;
  const all = stacks();
  const results = new Map<string, LatencyRound[]>();
  for (let i = 0; i < rounds; i++) {
    const order = i % 2 === 0 ? all : [...all].reverse();
    for (const stack of order) {
      if (!stack.available.ok) continue;
      options.log(`latency: ${stack.label}, round ${i + 1}/${rounds}`);
      const outcome = await stack.run(count, warmup, timeoutMs);
      results.set(stack.id, [...(results.get(stack.id) ?? []), outcome]);
    }
  }
  const asRound = (latency: LatencyRound): StackRound => ({
    received: latency.rtts.length,
    eventsPerSecond: percentile(latency.rtts, 50),
    processes: latency.processes,
  });
  const summary = summarise({
    id: "latency",
    title: "Latency: ping-pong of 4-frame broker-bin-v1 events through a forwarder, one round trip at a time",
    unit: "µs p50 round trip",
    count,
    rounds,
    stacks: all.map((stack) => ({
      id: stack.id,
      label: stack.label,
      missing: stack.available.ok ? undefined : stack.available.reason,
      rounds: (results.get(stack.id) ?? []).map(asRound),
    })),
    subject: "zmqc",
    baselines: ["zeromq.js", "c", "zeek"],
  });
  const stacksWithPercentiles: StackSummary[] = summary.stacks.map((stack) => ({
    ...stack,
    percentiles: Object.fromEntries(
      Object.entries(PERCENTILES).map(([name, p]) => [
        name,
        (results.get(stack.id) ?? []).map((latency) => percentile(latency.rtts, p)),
      ]),
    ),
  }));
  // Latency ratios at each percentile, round by round (the rate ratios of summarise() are p50's).
  const ratios: Ratio[] = [];
  const pairs = [
    ["zmqc", "zeromq.js"],
    ["zmqc", "c"],
    ["zmqc", "zeek"],
    // Zeek's own nodes with zmqc's broker in place of Zeek's proxy thread.
    ["zeek-zmqc-broker", "zeek"],
  ] as const;
  for (const [subject, baseline] of pairs) {
    const mine = stacksWithPercentiles.find((stack) => stack.id === subject);
    const theirs = stacksWithPercentiles.find((stack) => stack.id === baseline);
    if (
      !mine?.percentiles ||
      !theirs?.percentiles ||
      mine.perRound.length === 0 ||
      theirs.perRound.length === 0
    )
      continue;
    for (const name of Object.keys(PERCENTILES)) {
      const a = mine.percentiles[name] ?? [];
      const b = theirs.percentiles[name] ?? [];
      const perRound = a.map((value, i) => value / (b[i] ?? Number.NaN));
      ratios.push({ subject, baseline, metric: name, median: median(perRound), perRound });
    }
  }
  return {
    ...summary,
    countUnit: `round trips (after ${warmup} unmeasured)`,
    cpuSpan:
      "while the measured round trips ran (from /proc every 50 ms; the whole round where that was under 0.2 s)",
    stacks: stacksWithPercentiles,
    ratios,
    notes: [
      "Lower is better. Ratios are a stack's round-trip time ÷ the baseline's at the same percentile (issue #6: zmqc ≤ 1.3× raw zeromq.js).",
    ],
  };
}
