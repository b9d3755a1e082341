import { createLogStream, type LogSender } from "@zmqc/log-pipeline";
import type { Cluster } from "@zmqc/pubsub";

/** Zeek's `Cluster::LOG` (`cluster.log`): what each node says about the others coming and going. */
export const clusterLog = createLogStream({
  id: "Cluster::LOG",
  path: "cluster",
  columns: { ts: "time", node: "string", message: "string" },
});

/**
 * Writes Zeek's cluster.log lines for discovery: `got hello from <name> (<id>)` when a peer is up (Zeek writes it
 * in its `Cluster::hello` handler) and `node down: <name>` when it leaves. Returns a function that stops it.
 */
export function writeClusterLog(cluster: Cluster, sender: LogSender): () => void {
  const write = (message: string) => {
    try {
      sender.write(clusterLog, { ts: Date.now() / 1000, node: cluster.name, message });
    } catch {
      // The sender is closing (shutdown): the line has nowhere to go, and discovery must not be disturbed.
    }
  };
  return cluster.on((event) => {
    if (event.type === "node_up") write(`got hello from ${event.name} (${event.id})`);
    else if (event.type === "node_down") write(`node down: ${event.name}`);
  });
}
