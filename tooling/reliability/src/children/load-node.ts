// A zmqc cluster node in its own process that puts load on the cluster and reports what it sent, received and
// dropped, for the overload and soak scenarios:
//   node --conditions=@zmqc/source --import tsx src/children/load-node.ts '<json>'
// <json> is a LoadNodeConfig. Prints {"event": "joined", "id"} once it has joined, {"event": "node_up", …} per
// discovery event, then answers one JSON command per stdin line (see Command) with one JSON line each. Every node
// consumes Reliability::ping slowly (one event per turn of the event loop, from an `events()` queue bounded by
// onloopQueueHwm: Zeek's busy main loop behind its I/O thread) and answers Reliability::probe from anyone.
// Closes and exits 0 when its stdin ends or on SIGTERM.

import { setImmediate as nextTurn } from "node:timers/promises";
import { resolveCluster } from "@zmqc/config";
import { createLogStream, type LogSender, startLogSender } from "@zmqc/log-pipeline";
import { defineEvent, type JoinOptions, joinCluster } from "@zmqc/pubsub";
import { Value } from "@zmqc/wire-format";
import { PING_EVENT, PROBE_EVENT, PROBE_REPLY_EVENT } from "../load-events.js";
import { resourcesOf } from "../resources.js";

/** What the test starts a load node with. */
export interface LoadNodeConfig {
  readonly broker: { readonly xpubEndpoint: string; readonly xsubEndpoint: string };
  readonly nodes: Record<string, "manager" | "logger" | "proxy" | "worker">;
  readonly name: string;
  /** Socket and queue options (Zeek's names): the HWMs, buffers, onloopQueueHwm… */
  readonly options?: Pick<
    JoinOptions,
    "xpubSndhwm" | "xsubRcvhwm" | "onloopQueueHwm" | "xpubSndbuf" | "xsubRcvbuf" | "publishQueueSize"
  >;
  /** Loggers to send log records to (for the soak). */
  readonly logEndpoints?: readonly string[];
}

/** The commands a load node answers, one JSON object per stdin line. */
export type Command =
  /**
   * Publishes `count` pings to each topic, `batch` per turn of the event loop (Zeek's overload tests: 500 per tick).
   * Drop mode (`blocking` false) uses publish() and, after each batch, waits until the node has handed it to
   * ZeroMQ, so each XPUB drop is charged to its topic. Blocking mode uses publishWhenReady() (Zeek's
   * Cluster::publish blocks at its inproc queue). Answers {"event": "flooded", "topics": {topic: FloodFigures}}.
   */
  | {
      readonly cmd: "flood";
      readonly topics: readonly string[];
      readonly count: number;
      readonly batch: number;
      readonly blocking?: boolean;
    }
  /**
   * Publishes `perTick` pings to `topic` and writes `logsPerTick` log records every `tickMs`, for `durationMs`: a
   * steady load, bounded in time (and so in count). Answers {"event": "steady-done", "published", "refused",
   * "logRecords"}.
   */
  | {
      readonly cmd: "steady";
      readonly topic: string;
      readonly perTick: number;
      readonly logsPerTick: number;
      readonly tickMs: number;
      readonly durationMs: number;
    }
  /** Answers {"event": "stats", "stats": NodeStats, "received": {…}, "resources": {…}, "logs"?: {…}}. */
  | { readonly cmd: "stats" }
  /** Sends Reliability::probe to `to`'s node topic; prints {"event": "probe_reply", "from"} when it answers. */
  | { readonly cmd: "probe"; readonly to: string; readonly n: number };

/** What a flood did on one topic. */
export interface FloodFigures {
  readonly attempts: number;
  /** publish() said no: the publish queue was full (publishQueueDrops). */
  readonly refused: number;
  /** Refused at the XPUB's HWM (the node's xpubDrops during this topic's batches). */
  readonly xpubDrops: number;
}

/** What a node consumed from one sender on one topic (key `sender topic`). */
export interface ReceivedFigures {
  readonly consumed: number;
  /** Sequence numbers skipped (dropped somewhere before this node consumed them). */
  readonly gaps: number;
  /** Sequence numbers that came again or out of order (must stay 0). */
  readonly disorder: number;
}

const config = JSON.parse(process.argv[2] ?? "{}") as LoadNodeConfig;
const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
const ping = defineEvent(PING_EVENT, ["string", "count"]);
const probe = defineEvent(PROBE_EVENT, ["string", "count"]);
const probeReply = defineEvent(PROBE_REPLY_EVENT, ["string", "count"]);
const logStream = createLogStream({
  id: "Reliability::SOAK",
  path: "soak",
  columns: { sender: "string", seq: "count" },
});

const layout = resolveCluster({
  nodes: Object.fromEntries(
    Object.entries(config.nodes).map(([name, type]) => [name, { type, ip: "127.0.0.1" }]),
  ),
});
const cluster = await joinCluster({
  layout,
  name: config.name,
  connectXpubEndpoint: config.broker.xsubEndpoint,
  connectXsubEndpoint: config.broker.xpubEndpoint,
  lingerMs: 0,
  log: (line) => process.stderr.write(`${line}\n`),
  ...config.options,
});
const node = cluster.node;
const logSender: LogSender | undefined =
  config.logEndpoints && config.logEndpoints.length > 0
    ? await startLogSender({
        nodeId: cluster.nodeId,
        connectLogEndpoints: [...config.logEndpoints],
        lingerMs: 0,
        log: (line) => process.stderr.write(`${line}\n`),
      })
    : undefined;

// The slow consumer: one ping per turn of the event loop, while the receive loop reads a round of messages per
// turn; what does not fit in the queue is dropped and counted (onloopDrops), as in Zeek.
const received = new Map<string, { consumed: number; last: number; gaps: number; disorder: number }>();
void (async () => {
  for await (const event of node.events(ping)) {
    const key = `${text(event.args[0].value)} ${event.topic}`;
    const seq = Number(event.args[1].value);
    const entry = received.get(key) ?? { consumed: 0, last: -1, gaps: 0, disorder: 0 };
    if (seq <= entry.last) entry.disorder++;
    else entry.gaps += seq - entry.last - 1;
    entry.last = Math.max(entry.last, seq);
    entry.consumed++;
    received.set(key, entry);
    await nextTurn();
  }
})();
node.on(probe, ([from, n]) => {
  node.publish(cluster.nodeTopic(text(from.value)), probeReply.make(Value.string(config.name), n));
});
node.on(probeReply, ([from, n]) =>
  print({ event: "probe_reply", from: text(from.value), n: Number(n.value) }),
);
cluster.on((event) => print({ ...event, event: event.type }));

/** A Zeek string value as text (the decoder gives bytes for strings that are not UTF-8). */
function text(value: string | Uint8Array): string {
  return typeof value === "string" ? value : Buffer.from(value).toString("utf8");
}

const seqs = new Map<string, number>();
const nextSeq = (topic: string) => {
  const seq = seqs.get(topic) ?? 0;
  seqs.set(topic, seq + 1);
  return seq;
};

/** Until the node has handed everything queued to ZeroMQ (an XPUB send never waits: a few turns at most). */
async function handedOver(): Promise<void> {
  while (node.stats().pendingPublishes > 0) await nextTurn();
}

async function flood(command: Extract<Command, { cmd: "flood" }>): Promise<void> {
  const figures = new Map<string, { attempts: number; refused: number; xpubDrops: number }>(
    command.topics.map((topic) => [topic, { attempts: 0, refused: 0, xpubDrops: 0 }]),
  );
  for (let done = 0; done < command.count; done += command.batch) {
    const size = Math.min(command.batch, command.count - done);
    for (const topic of command.topics) {
      const f = figures.get(topic) as { attempts: number; refused: number; xpubDrops: number };
      const dropsBefore = node.stats().xpubDrops;
      if (command.blocking) {
        const batch: Promise<void>[] = [];
        for (let i = 0; i < size; i++)
          batch.push(
            node.publishWhenReady(topic, ping.make(Value.string(config.name), Value.count(nextSeq(topic))), {
              timeoutMs: 30_000,
            }),
          );
        f.attempts += size;
        await Promise.all(batch);
      } else {
        for (let i = 0; i < size; i++) {
          if (!node.publish(topic, ping.make(Value.string(config.name), Value.count(nextSeq(topic)))))
            f.refused++;
          f.attempts++;
        }
      }
      await handedOver();
      f.xpubDrops += node.stats().xpubDrops - dropsBefore;
    }
    await nextTurn();
  }
  print({ event: "flooded", topics: Object.fromEntries(figures) });
}

async function steady(command: Extract<Command, { cmd: "steady" }>): Promise<void> {
  let published = 0;
  let refused = 0;
  let logRecords = 0;
  const end = performance.now() + command.durationMs;
  while (performance.now() < end) {
    for (let i = 0; i < command.perTick; i++) {
      if (
        !node.publish(
          command.topic,
          ping.make(Value.string(config.name), Value.count(nextSeq(command.topic))),
        )
      )
        refused++;
      published++;
    }
    for (let i = 0; i < command.logsPerTick && logSender; i++)
      logSender.write(logStream, { sender: config.name, seq: logRecords++ });
    await new Promise((resolve) => setTimeout(resolve, command.tickMs));
  }
  print({ event: "steady-done", published, refused, logRecords });
}

function stats(): void {
  const logs = logSender?.stats();
  print({
    event: "stats",
    stats: node.stats(),
    received: Object.fromEntries(
      [...received].map(([key, { consumed, gaps, disorder }]) => [key, { consumed, gaps, disorder }]),
    ),
    resources: resourcesOf(),
    ...(logs
      ? { logs: { written: logs.recordsWritten, sent: logs.recordsSent, dropped: logs.recordsDropped } }
      : {}),
  });
}

function run(command: Command): void {
  const failed = (error: unknown) => print({ event: "error", cmd: command.cmd, message: String(error) });
  switch (command.cmd) {
    case "flood":
      void flood(command).catch(failed);
      break;
    case "steady":
      void steady(command).catch(failed);
      break;
    case "stats":
      stats();
      break;
    case "probe":
      node.publish(
        cluster.nodeTopic(command.to),
        probe.make(Value.string(config.name), Value.count(command.n)),
      );
      break;
  }
}

let pending = "";
process.stdin.on("data", (chunk: Buffer) => {
  pending += chunk.toString("utf8");
  const lines = pending.split("\n");
  pending = lines.pop() ?? "";
  for (const line of lines) if (line.trim() !== "") run(JSON.parse(line) as Command);
});
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void Promise.resolve(logSender?.close())
    .then(() => cluster.close())
    .then(() => process.exit(0));
};
process.stdin.on("end", stop);
process.stdin.on("error", stop);
process.on("SIGTERM", stop);
print({ event: "joined", id: cluster.nodeId });
