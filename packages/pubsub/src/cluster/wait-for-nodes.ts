import { ConfigError, ZmqcError } from "@zmqc/config";
import { hasTimer } from "../writer.js";
import type { ClusterEvent, ClusterMember } from "./types.js";

/** What {@link waitForNodes} needs of a cluster node. */
export interface NodesSource {
  readonly name: string;
  members(): readonly ClusterMember[];
  member(name: string): ClusterMember | undefined;
  on(listener: (event: ClusterEvent) => void): () => void;
  readonly closed: Promise<unknown>;
}

/**
 * Resolves once every named node (default: every other node of the layout) is up as `cluster` sees it. Rejects
 * with CONFIG for a name not in the layout, TIMEOUT after `timeoutMs` (a negative, non-finite or larger than
 * 2^31-1 value sets no timer), CLOSED when the node closes first.
 */
export function waitForNodes(
  cluster: NodesSource,
  names: readonly string[] | undefined,
  timeoutMs: number,
): Promise<void> {
  const wanted = names ?? cluster.members().flatMap((member) => (member.self ? [] : [member.name]));
  const unknown = wanted.filter((name) => cluster.member(name) === undefined);
  if (unknown.length > 0)
    return Promise.reject(
      new ConfigError(
        unknown.map((name) => ({
          path: "names",
          code: "unknown_node" as const,
          message: `'${name}' is not a valid node in the Cluster::nodes configuration`,
        })),
      ),
    );
  const missing = () => wanted.filter((name) => !cluster.member(name)?.up);
  if (missing().length === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      off();
      if (error) reject(error);
      else resolve();
    };
    // A node that goes down again before the others are up is waited for again: only "all up at once" counts.
    const off = cluster.on((event) => {
      if (event.type === "node_up" && missing().length === 0) finish();
    });
    const timer = hasTimer(timeoutMs)
      ? setTimeout(
          () =>
            finish(
              new ZmqcError(
                "TIMEOUT",
                `${cluster.name}: not up within ${timeoutMs} ms: ${missing().join(", ")}`,
                { retriable: true },
              ),
            ),
          timeoutMs,
        )
      : undefined;
    void cluster.closed.then(() => finish(new ZmqcError("CLOSED", `${cluster.name} closed`)));
  });
}
