// The event path: one publisher → one forwarder → one subscriber, 4-frame broker-bin-v1 events, lossless, each end
// its own process, the stacks run round by round side by side: C libzmq (the ceiling), pyzmq, raw zeromq.js (what a
// user writes without zmqc), zmqc nodes through zmqc's broker, and Zeek → Zeek through Zeek's own proxy thread.
import { fileURLToPath } from "node:url";
import { defineEvent } from "@zmqc/pubsub";
import { encodeBrokerBinEvent, Value } from "@zmqc/wire-format";
import { type Availability, cPubSubBinary, pyzmq, zeek } from "../baselines.js";
import { peerArgs, scriptArgs } from "../node.js";
import { boundEndpoints, CpuSampler, type Measured, PYTHON, startMeasured, stopAndCost } from "../process.js";
import { summarise } from "../summary.js";
import type { CaseResult, RunOptions, StackRound } from "../types.js";
import { runZeekEvents } from "./events-zeek.js";

const TOPIC = "zeek.bench.events";
const PY_PEER = fileURLToPath(new URL("../../py/pubsub.py", import.meta.url));
const ping = defineEvent("Bench::ping", ["string", "count"]);
/** What every non-zmqc publisher sends: the broker-bin-v1 bytes of Bench::ping("worker-1", 42). */
const PAYLOAD_HEX = Buffer.from(
  encodeBrokerBinEvent(ping.make(Value.string("worker-1"), Value.count(42))),
).toString("hex");
const LINE_MS = 30_000;

function parseResult(line: string): { received: number; ms: number } {
  const [received = "0", ms = "0"] = line.trim().split(/\s+/);
  return { received: Number(received), ms: Number(ms) };
}

/** One round: forwarder, subscriber, publisher; events/s at the subscriber, and each process's cost. */
async function round(
  forwarder: Measured,
  subscriber: (xpub: string, xsub: string) => Measured,
  publisher: (xpub: string, xsub: string) => Measured,
): Promise<StackRound> {
  const started = performance.now();
  const all: Measured[] = [forwarder];
  const sampler = new CpuSampler();
  try {
    sampler.add(forwarder);
    const { xpubEndpoint: xpub, xsubEndpoint: xsub } = await boundEndpoints(forwarder, LINE_MS);
    const sub = subscriber(xpub, xsub);
    const pub = publisher(xpub, xsub);
    for (const process of [sub, pub]) {
      all.push(process);
      sampler.add(process);
    }
    const { received, ms } = parseResult(await sub.line((line) => /^\d+ /.test(line), 120_000));
    // CPU while the events flowed: from the subscriber's first event to its last.
    const to = performance.now();
    const costs = await stopAndCost(all, sampler, started, { from: to - ms, to });
    return { received, eventsPerSecond: (received / ms) * 1000, processes: costs };
  } catch (error) {
    sampler.stop();
    await Promise.all(all.map((process) => process.stop()));
    throw error;
  }
}

interface Stack {
  readonly id: string;
  readonly label: string;
  readonly available: Availability<unknown>;
  run(count: number): Promise<StackRound>;
}

/** zmqc's broker and subscriber node, with the publisher role given (one event per message, or batching). */
function zmqcStack(id: string, label: string, publisherRole: string, publisherName: string): Stack {
  return {
    id,
    label,
    available: { ok: true, value: undefined },
    run: (count) =>
      round(
        startMeasured("broker (zmqc native)", process.execPath, scriptArgs("broker-peer", ["native"])),
        (xpub, xsub) =>
          startMeasured(
            "subscriber (zmqc)",
            process.execPath,
            peerArgs(["zmqc-sub", xsub, xpub, String(count), TOPIC]),
          ),
        (xpub, xsub) =>
          startMeasured(
            publisherName,
            process.execPath,
            peerArgs([publisherRole, xsub, xpub, String(count), TOPIC]),
          ),
      ),
  };
}

function stacks(): Stack[] {
  const c = cPubSubBinary();
  const py = pyzmq();
  const zeekBinary = zeek();
  const cFwd = () => startMeasured("forwarder (C zmq_proxy)", c.ok ? c.value : "false", ["fwd"]);
  return [
    {
      id: "c",
      label: "C libzmq peers, C zmq_proxy",
      available: c,
      run: (count) =>
        round(
          cFwd(),
          (xpub) => startMeasured("subscriber (C)", c.ok ? c.value : "", ["sub", xpub, String(count), TOPIC]),
          (_, xsub) =>
            startMeasured("publisher (C)", c.ok ? c.value : "", [
              "pub",
              xsub,
              String(count),
              PAYLOAD_HEX,
              TOPIC,
            ]),
        ),
    },
    {
      id: "pyzmq",
      label: "pyzmq peers, C zmq_proxy",
      available: c.ok ? py : c,
      run: (count) =>
        round(
          cFwd(),
          (xpub) => startMeasured("subscriber (pyzmq)", PYTHON, [PY_PEER, "sub", xpub, String(count), TOPIC]),
          (_, xsub) =>
            startMeasured("publisher (pyzmq)", PYTHON, [
              PY_PEER,
              "pub",
              xsub,
              String(count),
              PAYLOAD_HEX,
              TOPIC,
            ]),
        ),
    },
    {
      id: "zeromq.js",
      label: "raw zeromq.js peers, C zmq_proxy",
      available: c,
      run: (count) =>
        round(
          cFwd(),
          (xpub) =>
            startMeasured(
              "subscriber (zeromq.js)",
              process.execPath,
              peerArgs(["raw-sub", xpub, String(count), TOPIC]),
            ),
          (_, xsub) =>
            startMeasured(
              "publisher (zeromq.js)",
              process.execPath,
              peerArgs(["raw-pub", xsub, String(count), PAYLOAD_HEX, TOPIC]),
            ),
        ),
    },
    zmqcStack("zmqc", "zmqc nodes, zmqc broker (native)", "zmqc-pub", "publisher (zmqc)"),
    zmqcStack(
      "zmqc-batched",
      "zmqc nodes, batching on (zmqc-batch-v1, zmqc-only), zmqc broker",
      "zmqc-batch-pub",
      "publisher (zmqc, batching)",
    ),
    {
      id: "zeek",
      label: "Zeek → Zeek, Zeek's proxy thread",
      available: zeekBinary,
      run: (count) => runZeekEvents(zeekBinary.ok ? zeekBinary.value : "", count),
    },
    {
      id: "zeek-zmqc-broker",
      label: "Zeek → Zeek through zmqc's broker (native; no Zeek proxy thread)",
      available: zeekBinary,
      run: (count) => zeekThroughZmqcBroker(zeekBinary.ok ? zeekBinary.value : "", count),
    },
  ];
}

/** Zeek → Zeek with zmqc's broker (its own process) as the cluster's forwarder in place of Zeek's proxy thread. */
async function zeekThroughZmqcBroker(zeekBinary: string, count: number): Promise<StackRound> {
  const broker = startMeasured(
    "broker (zmqc native)",
    process.execPath,
    scriptArgs("broker-peer", ["native"]),
  );
  try {
    return await runZeekEvents(zeekBinary, count, await boundEndpoints(broker, LINE_MS), broker);
  } finally {
    await broker.stop();
  }
}

/** Runs the event-path case: every available stack, `rounds` times, interleaved. */
export async function eventsCase(options: RunOptions): Promise<CaseResult> {
  const count = options.mode === "full" ? 500_000 : options.mode === "smoke" ? 2_000 : 100_000;
  const rounds = options.mode === "full" ? 5 : options.mode === "smoke" ? 1 : 3;
  const all = stacks();
  const results = new Map<string, StackRound[]>();
  for (let i = 0; i < rounds; i++) {
    // Alternate the order, so drift on a noisy machine hits every stack alike.
    const order = i % 2 === 0 ? all : [...all].reverse();
    for (const stack of order) {
      if (!stack.available.ok) continue;
      options.log(`events: ${stack.label}, round ${i + 1}/${rounds}`);
      const outcome = await stack.run(count);
      results.set(stack.id, [...(results.get(stack.id) ?? []), outcome]);
    }
  }
  const result = summarise({
    id: "events",
    title:
      "Event path: publisher → forwarder → subscriber, 4-frame broker-bin-v1 events (one per message unless batching)",
    unit: "events/s",
    count,
    rounds,
    cpuSpan:
      "from the first event to the last (from /proc every 50 ms; the whole round where that was under 0.2 s)",
    stacks: all.map((stack) => ({
      id: stack.id,
      label: stack.label,
      missing: stack.available.ok ? undefined : stack.available.reason,
      rounds: results.get(stack.id) ?? [],
    })),
    subject: "zmqc",
    baselines: ["zeromq.js", "zeek", "c", "pyzmq"],
    // Issue #11: a zmqc-to-zmqc batched mode should reach twice Zeek → Zeek.
    pairs: [
      ["zmqc-batched", "zeek"],
      ["zmqc-batched", "zmqc"],
      // Zeek's own nodes with zmqc's broker in place of Zeek's proxy thread.
      ["zeek-zmqc-broker", "zeek"],
    ],
  });
  // Where the per-message cost is the ceiling: CPU time per event in each stack's busiest process.
  const perEvent = result.stacks
    .filter((stack) => stack.perRound.length > 0)
    .map((stack) => {
      const busiest = [...stack.processes].sort((a, b) => b.cpuPercent - a.cpuPercent)[0];
      if (!busiest || !Number.isFinite(busiest.cpuPercent)) return undefined;
      const us = (busiest.cpuPercent / 100 / stack.median) * 1e6;
      return `${stack.id}: ${busiest.name} ${us.toFixed(1)} µs`;
    })
    .filter((entry) => entry !== undefined);
  return {
    ...result,
    notes: [
      `CPU time per event in each stack's busiest process (its CPU % ÷ the stack's events/s; near 100 % CPU this cost is the ceiling): ${perEvent.join("; ")}.`,
    ],
  };
}
