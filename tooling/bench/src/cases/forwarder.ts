// Forwarder throughput: zmqc's broker (native: libzmq's proxy on a thread; managed: a forwarding loop in a worker
// thread that keeps Zeek's statistics) against a plain C zmq_proxy, with C publisher and subscriber (the broker
// package's own scripts/c/peer.c and forwarder.c), so the forwarder, not the ends, is what limits. Three shapes: one
// 64-byte frame, one 1 KiB frame, and Zeek's 4-frame event [topic, sender, format, 64-byte payload]. Issue #5's
// targets: native ≥ 0.9× C zmq_proxy, managed ≥ 0.6× native. A raw zeromq.js forwarding loop (what a user would
// write without us) shows the ceiling of anything that handles each message in JavaScript. CPU is measured over the forwarding span only (from
// the forwarder being up to the subscriber's last message), so a Node broker's start-up does not hide its load.
import { resolve } from "node:path";
import { DEFAULT_BACKEND_OPTIONS } from "@zmqc/config";
import { cBinary } from "../baselines.js";
import { scriptArgs } from "../node.js";
import { boundEndpoints, cpuSecondsNow, type Measured, type ProcessCost, startMeasured } from "../process.js";
import { summarise } from "../summary.js";
import type { CaseResult, RunOptions, StackRound } from "../types.js";

const SCRIPTS = resolve(import.meta.dirname, "../../../../packages/broker/scripts/c");
const SHAPES = [
  { id: "64B", label: "64 B", frames: 1, bytes: 64 },
  { id: "1KiB", label: "1 KiB", frames: 1, bytes: 1024 },
  { id: "event", label: "4-frame event", frames: 4, bytes: 64 },
] as const;
type Shape = (typeof SHAPES)[number];
const MODES = [
  { id: "c", label: "C zmq_proxy" },
  { id: "native", label: "zmqc broker, native" },
  { id: "managed", label: "zmqc broker, managed" },
  { id: "raw", label: "raw zeromq.js forwarding loop" },
] as const;
// Every forwarder gets the broker's I/O threads (proxyIoThreads, 2 as in Zeek): on 2 cores 1 vs 2 alone moves the
// 4-frame event by about 10 %, so the C baseline must not run with libzmq's default of 1.
const IO_THREADS = String(DEFAULT_BACKEND_OPTIONS.proxyIoThreads);
type Mode = (typeof MODES)[number];
const LINE_MS = 30_000;

async function round(
  forwarderBinary: string,
  peerBinary: string,
  mode: Mode,
  shape: Shape,
  count: number,
): Promise<StackRound> {
  const forwarder =
    mode.id === "c"
      ? startMeasured("forwarder (C zmq_proxy)", forwarderBinary, [IO_THREADS])
      : mode.id === "raw"
        ? startMeasured(
            "forwarder (raw zeromq.js)",
            process.execPath,
            scriptArgs("raw-forwarder", [IO_THREADS]),
          )
        : startMeasured(`broker (zmqc ${mode.id})`, process.execPath, scriptArgs("broker-peer", [mode.id]));
  const all: Measured[] = [forwarder];
  try {
    const { xpubEndpoint: xpub, xsubEndpoint: xsub } = await boundEndpoints(forwarder, LINE_MS);
    const startCpu = cpuSecondsNow(forwarder);
    const started = performance.now();
    const shapeArgs = [String(count), String(shape.frames), String(shape.bytes)];
    const sub = startMeasured("subscriber (C)", peerBinary, ["sub", xpub, ...shapeArgs]);
    all.push(sub);
    all.push(startMeasured("publisher (C)", peerBinary, ["pub", xsub, ...shapeArgs]));
    const result = JSON.parse(await sub.line((line) => line.startsWith("{"), 120_000)) as {
      received: number;
      ms: number;
    };
    const wallSeconds = (performance.now() - started) / 1000;
    const costs: ProcessCost[] = [];
    for (const process of all) costs.push(await process.stop());
    for (const [i, cost] of costs.entries()) {
      const spent = i === 0 ? cost.cpuSeconds - startCpu : cost.cpuSeconds;
      cost.cpuPercent = (spent / wallSeconds) * 100;
    }
    return {
      received: result.received,
      eventsPerSecond: (result.received / result.ms) * 1000,
      processes: costs,
    };
  } catch (error) {
    await Promise.all(all.map((process) => process.stop()));
    throw error;
  }
}

export async function forwarderCase(options: RunOptions): Promise<CaseResult> {
  const count = options.mode === "full" ? 1_000_000 : options.mode === "smoke" ? 20_000 : 100_000;
  const rounds = options.mode === "full" ? 5 : options.mode === "smoke" ? 1 : 3;
  const peer = cBinary("peer", `${SCRIPTS}/peer.c`);
  const forwarder = cBinary("forwarder", `${SCRIPTS}/forwarder.c`);
  const results = new Map<string, StackRound[]>();
  const id = (shape: Shape, mode: Mode) => `${shape.id}:${mode.id}`;
  for (let i = 0; i < rounds && peer.ok; i++) {
    for (const shape of SHAPES) {
      const modes = MODES.filter((mode) => mode.id !== "c" || forwarder.ok);
      for (const mode of i % 2 === 0 ? modes : [...modes].reverse()) {
        options.log(`forwarder: ${shape.label}, ${mode.label}, round ${i + 1}/${rounds}`);
        const outcome = await round(forwarder.ok ? forwarder.value : "", peer.value, mode, shape, count);
        results.set(id(shape, mode), [...(results.get(id(shape, mode)) ?? []), outcome]);
      }
    }
  }
  const missing = (mode: Mode) =>
    !peer.ok ? `C peers: ${peer.reason}` : mode.id === "c" && !forwarder.ok ? forwarder.reason : undefined;
  const result = summarise({
    id: "forwarder",
    title: "Forwarder throughput: C publisher → forwarder → C subscriber (the forwarder is what limits)",
    unit: "messages/s",
    count,
    rounds,
    cpuSpan: "from the forwarder being up to the last message",
    stacks: SHAPES.flatMap((shape) =>
      MODES.map((mode) => ({
        id: id(shape, mode),
        label: `${shape.label}: ${mode.label}`,
        missing: missing(mode),
        rounds: results.get(id(shape, mode)) ?? [],
      })),
    ),
    subject: "event:native",
    baselines: [],
    pairs: SHAPES.flatMap((shape) => [
      [id(shape, MODES[1]), id(shape, MODES[0])] as const,
      [id(shape, MODES[2]), id(shape, MODES[1])] as const,
      [id(shape, MODES[2]), id(shape, MODES[0])] as const,
      [id(shape, MODES[2]), id(shape, MODES[3])] as const,
    ]),
  });
  // Bytes through the forwarder: every frame's bytes (the 4-frame event also carries its topic, sender and format).
  const bytesPerMessage = (shape: Shape) =>
    shape.frames === 1 ? shape.bytes : shape.bytes + "zeek.cluster.bench".length + "node-1".length + 13;
  const megabytes = SHAPES.flatMap((shape) =>
    MODES.flatMap((mode) => {
      const stack = result.stacks.find((entry) => entry.id === id(shape, mode));
      return stack && stack.perRound.length > 0
        ? [`${shape.label} ${mode.label} ${((stack.median * bytesPerMessage(shape)) / 1e6).toFixed(0)}`]
        : [];
    }),
  );
  return {
    ...result,
    notes: [`MB/s of message bytes (medians): ${megabytes.join("; ")}.`],
  };
}
