// Layouts, cluster nodes on a test broker, and a recording of every discovery event with bounded waits.
import {
  type ClusterNode as LayoutNode,
  type NodeType,
  type ResolvedCluster,
  resolveCluster,
} from "@zmqc/config";
import { type Cluster, type ClusterEvent, type JoinOptions, joinCluster } from "@zmqc/pubsub";

/** The broker's endpoints, as startTestBroker() and a broker process report them. */
export type Endpoints = { readonly xpubEndpoint: string; readonly xsubEndpoint: string };

/** A layout of nodes on 127.0.0.1, by name and type (the manager gets a logPort when given one). */
export function layoutOf(
  nodes: Readonly<Record<string, NodeType>>,
  options: { managerIsLogger?: boolean; logPort?: number } = {},
): ResolvedCluster {
  const entries = Object.entries(nodes).map(([name, type]): [string, LayoutNode] => [
    name,
    type === "manager" && options.logPort !== undefined
      ? { type, ip: "127.0.0.1", logPort: options.logPort }
      : { type, ip: "127.0.0.1" },
  ]);
  return resolveCluster({
    nodes: Object.fromEntries(entries),
    ...(options.managerIsLogger === undefined ? {} : { managerIsLogger: options.managerIsLogger }),
  });
}

/** Joins `layout` as `name` through the broker (linger 0, quiet log unless one is given). */
export function joinOn(
  broker: Endpoints,
  layout: ResolvedCluster,
  name: string,
  options: Omit<Partial<JoinOptions>, "layout" | "name"> = {},
): Promise<Cluster> {
  return joinCluster({
    connectXpubEndpoint: broker.xsubEndpoint,
    connectXsubEndpoint: broker.xpubEndpoint,
    lingerMs: 0,
    log: () => {},
    ...options,
    layout,
    name,
  });
}

/** An event in one line, for comparisons and failure messages. */
export function eventText(event: ClusterEvent): string {
  switch (event.type) {
    case "node_up":
      return `node_up ${event.name} ${event.id}`;
    case "node_down":
      return `node_down ${event.name} ${event.id} (${event.reason})`;
    case "node_fully_connected":
      return `node_fully_connected ${event.name}${event.local ? " (local)" : ""}${event.resending ? " resending" : ""}`;
    case "cluster_started":
      return "cluster_started";
    case "warning":
    case "error":
      return `${event.type}: ${event.message}`;
  }
}

/** Every discovery event of one node, with the time (performance.now()) each came. */
export interface EventLog {
  readonly entries: readonly { readonly event: ClusterEvent; readonly at: number }[];
  /** The events as text, from index `from` on. */
  texts(from?: number): string[];
  /** The events of one type. */
  ofType<T extends ClusterEvent["type"]>(type: T): Extract<ClusterEvent, { type: T }>[];
  /** Warnings and errors. */
  problems(): string[];
  /**
   * Waits for an event that satisfies `match` (at index ≥ `from`; earlier ones count) and returns its index; the
   * error names what was expected and lists what came.
   */
  waitFor(
    what: string,
    match: (event: ClusterEvent) => boolean,
    options?: { from?: number; ms?: number },
  ): Promise<number>;
  /** Stops recording. */
  stop(): void;
}

/** Records a cluster's events from now on (a synchronous listener: nothing is missed or reordered). */
export function recordEvents(cluster: Cluster, label = cluster.name): EventLog {
  const entries: { event: ClusterEvent; at: number }[] = [];
  const waiters = new Set<() => void>();
  const stop = cluster.on((event) => {
    entries.push({ event, at: performance.now() });
    for (const waiter of [...waiters]) waiter();
  });
  const texts = (from = 0) => entries.slice(from).map(({ event }) => eventText(event));
  return {
    entries,
    texts,
    ofType: <T extends ClusterEvent["type"]>(type: T) =>
      entries
        .map(({ event }) => event)
        .filter((event): event is Extract<ClusterEvent, { type: T }> => event.type === type),
    problems: () => texts().filter((text) => text.startsWith("warning:") || text.startsWith("error:")),
    waitFor(what, match, { from = 0, ms = 5000 } = {}) {
      const find = () => entries.findIndex((entry, i) => i >= from && match(entry.event));
      const found = find();
      if (found >= 0) return Promise.resolve(found);
      return new Promise<number>((resolve, reject) => {
        const check = () => {
          const index = find();
          if (index < 0) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(index);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `${label}: timed out after ${ms} ms waiting for ${what}; got ${JSON.stringify(texts())}`,
            ),
          );
        }, ms);
        waiters.add(check);
      });
    },
    stop,
  };
}

/** Waits until `log` has node_up for each of `names` (any id). */
export async function waitForUp(log: EventLog, names: readonly string[], ms = 5000): Promise<void> {
  await Promise.all(
    names.map((name) =>
      log.waitFor(`node_up ${name}`, (event) => event.type === "node_up" && event.name === name, { ms }),
    ),
  );
}
