import { Counter, register as defaultRegistry, type Registry } from "prom-client";
import type { ClusterNode } from "./node.js";
import type { NodeStats } from "./stats.js";

/** Zeek's metric names for a node's drop counters, and ours for the rest. */
const NODE_METRICS: readonly (readonly [keyof NodeStats, string, string])[] = [
  ["xpubDrops", "zeek_cluster_zeromq_xpub_drops_total", "Events dropped at the XPUB's HWM"],
  [
    "onloopDrops",
    "zeek_cluster_zeromq_onloop_drops_total",
    "Received events dropped because handler queues were full",
  ],
  ["msgErrors", "zeek_cluster_zeromq_msg_errors_total", "Messages with the wrong number of frames"],
  [
    "publishQueueDrops",
    "zmqc_pubsub_publish_queue_drops_total",
    "Events refused because the publish queue was full",
  ],
  ["closeDrops", "zmqc_pubsub_close_drops_total", "Events still queued when the node closed"],
  [
    "reconnectDrops",
    "zmqc_pubsub_reconnect_drops_total",
    "Events held across a broker reconnection whose subscriber did not come back in time",
  ],
  ["formatErrors", "zmqc_pubsub_format_errors_total", "Events in another format than this node's"],
  ["decodeErrors", "zmqc_pubsub_decode_errors_total", "Event payloads that did not decode"],
  ["typeErrors", "zmqc_pubsub_type_errors_total", "Events whose arguments did not match their handler"],
  ["unhandledEvents", "zmqc_pubsub_unhandled_events_total", "Events no handler took"],
  [
    "handlerQueueDrops",
    "zmqc_pubsub_handler_queue_drops_total",
    "Events a full handler queue refused (one per queue)",
  ],
  ["statusDrops", "zmqc_pubsub_status_drops_total", "Status updates a full status stream could not take"],
  [
    "internalErrors",
    "zmqc_pubsub_internal_errors_total",
    "Unexpected errors caught in the receive and send loops",
  ],
  ["eventsPublished", "zmqc_pubsub_events_published_total", "Events handed to ZeroMQ"],
  ["eventsReceived", "zmqc_pubsub_events_received_total", "Events received and decoded"],
];

/**
 * Registers the node's counters (Zeek's `zeek_cluster_zeromq_{xpub,onloop}_drops_total` and
 * `…_msg_errors_total`, plus zmqc's own) in a prom-client registry; values are read from `stats()` at scrape time.
 * Returns a function that removes them again.
 */
export function registerNodeMetrics(node: ClusterNode, registry: Registry = defaultRegistry): () => void {
  const names: string[] = [];
  for (const [key, name, help] of NODE_METRICS) {
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(node.stats()[key]);
      },
    });
    names.push(name);
  }
  return () => {
    for (const name of names) registry.removeSingleMetric(name);
  };
}
