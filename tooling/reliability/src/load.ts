// The test's side of the load nodes (src/children/load-node.ts): start one, send it commands, read its counters;
// and the overload ledger, in deliveries: each event counts once for every node subscribed to its topic.
import { TYPE_TOPICS } from "@zmqc/pubsub";
import type { Cleanup } from "@zmqc/zeek-harness";
import type { Command, FloodFigures, LoadNodeConfig, ReceivedFigures } from "./children/load-node.js";
import { type JsonChild, startJsonChild } from "./children.js";

export { PING_EVENT, PROBE_EVENT, PROBE_REPLY_EVENT } from "./load-events.js";
export type { FloodFigures, LoadNodeConfig, ReceivedFigures };

export type NodeType = "manager" | "logger" | "proxy" | "worker";

/** What a load node reports on `stats`. */
export interface LoadStats {
  readonly stats: Record<string, number>;
  /** Per `sender topic`. */
  readonly received: Record<string, ReceivedFigures>;
  readonly resources: { rss: number; heapUsed: number; handles: number; fds: number };
  readonly logs?: { written: number; sent: number; dropped: number };
}

/** A load node in its own process, as the test drives it. */
export interface LoadNode {
  readonly name: string;
  readonly type: NodeType;
  readonly json: JsonChild;
  readonly id: string;
  /** Floods (see the child's Command) and resolves with what it did on each topic, once it is done. */
  flood(
    topics: readonly string[],
    count: number,
    options?: { batch?: number; blocking?: boolean },
  ): Promise<Record<string, FloodFigures>>;
  /** Sends a command without waiting for its answer. */
  send(command: Command): void;
  stats(): Promise<LoadStats>;
  /** Probes `to` and waits (bounded) for its answer: the two nodes still talk. */
  probe(to: string, n: number, ms?: number): Promise<void>;
}

/** Starts a load node of `nodes` and waits until it has joined; cleaned up with the test. */
export async function startLoadNode(
  cleanup: Cleanup,
  config: LoadNodeConfig,
  options: { hardTimeoutMs?: number } = {},
): Promise<LoadNode> {
  const json = cleanup.add(startJsonChild(`zmqc ${config.name}`, "load-node", config, options), (c) =>
    c.child.dispose(),
  );
  const joined = await json.waitFor({ event: "joined" }, 20_000);
  const send = (command: Command) => json.child.writeLine(JSON.stringify(command));
  return {
    name: config.name,
    type: config.nodes[config.name] as NodeType,
    json,
    id: String(joined.id),
    send,
    async flood(topics, count, { batch = 500, blocking = false } = {}) {
      send({ cmd: "flood", topics, count, batch, blocking });
      const done = await json.waitFor({ event: "flooded" }, 60_000);
      return done.topics as Record<string, FloodFigures>;
    },
    async stats() {
      send({ cmd: "stats" });
      return (await json.waitFor({ event: "stats" })) as unknown as LoadStats;
    },
    async probe(to, n, ms = 10_000) {
      send({ cmd: "probe", to, n });
      await json.waitFor({ event: "probe_reply", from: to, n }, ms);
    },
  };
}

/** Waits until every node of `nodes` is up on every node of `names` (printed node_up lines). */
export async function fullMesh(nodes: readonly LoadNode[], ms = 20_000): Promise<void> {
  await Promise.all(
    nodes.flatMap((node) =>
      nodes
        .filter((other) => other !== node)
        .map((other) => node.json.waitFor({ event: "node_up", name: other.name, id: other.id }, ms)),
    ),
  );
}

/** A node as the ledger sees it: its name and type, what it flooded, and its counters at the end. */
export interface LedgerNode {
  readonly name: string;
  readonly type: NodeType;
  readonly flooded: Readonly<Record<string, FloodFigures>>;
  readonly xpubDrops: number;
  readonly onloopDrops: number;
  /** What it consumed, per `sender topic`. */
  readonly received: Readonly<Record<string, ReceivedFigures>>;
}

/** The overload ledger in deliveries (event × node subscribed to its topic, not counting the sender itself). */
export interface OverloadLedger {
  readonly sent: number;
  readonly received: number;
  readonly publishQueueDrops: number;
  readonly xpubDrops: number;
  readonly onloopDrops: number;
  /** Sequence numbers skipped, over every (sender, topic, receiver). */
  readonly gaps: number;
  /** Sequence numbers that came twice or out of order (must be 0). */
  readonly disorder: number;
  /** sent = received + the drops. */
  readonly balanced: boolean;
}

/** The nodes of `nodes` that receive what is published to `topic` (its type topic), but not the sender. */
export function receiversOf(
  nodes: readonly { name: string; type: NodeType }[],
  topic: string,
  sender: string,
) {
  return nodes.filter((node) => TYPE_TOPICS[node.type] === topic && node.name !== sender);
}

/**
 * Works out the ledger: every ping published on a topic is owed to each other node subscribed to it; it is
 * consumed there, refused by publish() (publishQueueDrops) or at the sender's XPUB (xpubDrops) — owed to all of
 * them at once — or dropped at that receiver's full queue (onloopDrops).
 */
export function overloadLedger(nodes: readonly LedgerNode[]): OverloadLedger {
  let sent = 0;
  let publishQueueDrops = 0;
  let xpubDrops = 0;
  for (const node of nodes)
    for (const [topic, f] of Object.entries(node.flooded)) {
      const fanout = receiversOf(nodes, topic, node.name).length;
      sent += f.attempts * fanout;
      publishQueueDrops += f.refused * fanout;
      xpubDrops += f.xpubDrops * fanout;
    }
  let received = 0;
  let gaps = 0;
  let disorder = 0;
  let onloopDrops = 0;
  for (const node of nodes) {
    onloopDrops += node.onloopDrops;
    for (const r of Object.values(node.received)) {
      received += r.consumed;
      gaps += r.gaps;
      disorder += r.disorder;
    }
  }
  return {
    sent,
    received,
    publishQueueDrops,
    xpubDrops,
    onloopDrops,
    gaps,
    disorder,
    balanced: sent === received + publishQueueDrops + xpubDrops + onloopDrops,
  };
}
