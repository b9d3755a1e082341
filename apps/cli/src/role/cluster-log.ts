import { createLogStream, type LogSender } from "@zmqc/log-pipeline";
import type { Cluster } from "@zmqc/pubsub";

/** Zeek's `Cluster::LOG` (`cluster.log`): what each node says about the others coming and going. */
export const clusterLog = createLogStream({
  id: "Cluster::LOG",
  path: "cluster",
  columns: { ts: "time", node: "string", message: "string" },
});

/** The cluster.log lines of one node, kept until a sender is attached. */
export interface ClusterLogWriter {
  /** From now on lines go to `sender`; the ones kept so far go first. */
  attach(sender: LogSender): void;
  /** Stops listening; lines kept without a sender are let go. */
  stop(): void;
}

/**
 * Writes Zeek's cluster.log lines for discovery: `got hello from <name> (<id>)` when a peer is up (Zeek writes it
 * in its `Cluster::hello` handler) and `node down: <name>` when it leaves. Listens from the moment it is called —
 * a peer can be up before the log sender exists — and keeps the lines until {@link ClusterLogWriter.attach}.
 */
export function writeClusterLog(cluster: Cluster): ClusterLogWriter {
  let sender: LogSender | undefined;
  const kept: { ts: number; node: string; message: string }[] = [];
  const write = (record: { ts: number; node: string; message: string }) => {
    if (sender === undefined) {
      kept.push(record);
      return;
    }
    try {
      sender.write(clusterLog, record);
    } catch {
      // The sender is closing (shutdown): the line has nowhere to go, and discovery must not be disturbed.
    }
  };
  const line = (message: string) => write({ ts: Date.now() / 1000, node: cluster.name, message });
  const off = cluster.on((event) => {
    if (event.type === "node_up") line(`got hello from ${event.name} (${event.id})`);
    else if (event.type === "node_down") line(`node down: ${event.name}`);
  });
  return {
    attach(next) {
      sender = next;
      for (const record of kept.splice(0)) write(record);
    },
    stop() {
      off();
      kept.length = 0;
    },
  };
}
