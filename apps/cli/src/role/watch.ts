import type { Cluster, NodeStatus } from "@zmqc/pubsub";
import type { RoleLog } from "./log.js";

/**
 * One log line per cluster event: node_up, node_down, subscriptions, the first drop of each kind, the start and end
 * of a hold across a broker restart, and discovery's warnings and errors in Zeek's own words.
 */
export function watchCluster(cluster: Cluster, log: RoleLog, internalTopicPrefix: string): void {
  cluster.on((event) => {
    switch (event.type) {
      case "node_up":
        log.info({ event: "node_up", peer: event.name, peerId: event.id }, `node_up: ${event.name}`);
        return;
      case "node_down":
        log.info(
          { event: "node_down", peer: event.name, peerId: event.id, reason: event.reason },
          `node_down: ${event.name}`,
        );
        return;
      case "cluster_started":
        log.info({ event: "cluster_started" }, "cluster_started");
        return;
      case "warning":
        log.warn({ event: "warning" }, event.message);
        return;
      case "error":
        log.error({ event: "error" }, event.message);
        return;
      case "node_fully_connected":
        return;
    }
  });
  void (async () => {
    for await (const status of cluster.node.status()) {
      switch (status.type) {
        case "subscription":
        case "unsubscription":
          // The internal topics are the ready-to-publish probes: worth a line only when debugging.
          (status.topic.startsWith(internalTopicPrefix) ? log.debug : log.info).call(
            log,
            { event: status.type, topic: status.topic },
            `${status.type}: ${status.topic}`,
          );
          break;
        case "dropWarning":
          log.warn({ event: "drop", counter: status.counter }, status.message);
          break;
        case "reconnectHold":
          logReconnectHold(status, log);
          break;
        case "connected":
        case "disconnected":
          log.info({ event: status.type, socket: status.socket, endpoint: status.endpoint }, status.type);
          break;
        case "error":
          log.error({ err: status.error }, "node error");
          break;
        default:
          break;
      }
    }
  })();
}

/** A reconnect hold's start (a warning: publishing waits) and end (info when nothing was lost, else a warning). */
function logReconnectHold(status: Extract<NodeStatus, { type: "reconnectHold" }>, log: RoleLog): void {
  if (status.phase === "started") {
    log.warn(
      { event: "reconnect_hold", phase: "started" },
      "lost the broker: publishing held until the subscribers are back",
    );
    return;
  }
  const fields = {
    event: "reconnect_hold",
    phase: "ended",
    reason: status.reason,
    heldMs: status.heldMs,
    missingPrefixes: status.missingPrefixes,
  };
  if (status.reason === "complete")
    log.info(fields, `publishing resumed after ${status.heldMs} ms: every subscriber is back`);
  else if (status.reason === "timeout")
    log.warn(
      fields,
      `publishing resumed after ${status.heldMs} ms; ${status.missingPrefixes} subscribed prefixes did not come back, their held events were dropped (reconnectDrops)`,
    );
  else log.warn(fields, `closed during a hold of ${status.heldMs} ms: what it held is counted as closeDrops`);
}
