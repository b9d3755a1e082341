/**
 * Zeek's eight proxy counters. Frontend is the XSUB side (what nodes publish), backend the XPUB side (what goes
 * out to subscribers, and the subscriptions that come back). libzmq ≥ 4.3.5 counts every frame as a message, so
 * one 4-frame event adds 4 to the message counters.
 */
export interface ProxyStatistics {
  readonly frontendMessagesReceived: bigint;
  readonly frontendBytesReceived: bigint;
  readonly frontendMessagesSent: bigint;
  readonly frontendBytesSent: bigint;
  readonly backendMessagesReceived: bigint;
  readonly backendBytesReceived: bigint;
  readonly backendMessagesSent: bigint;
  readonly backendBytesSent: bigint;
}

/** The counters in Zeek's order, with their Prometheus names. */
export const PROXY_STATISTICS = [
  ["frontendMessagesReceived", "zeek_cluster_zeromq_proxy_frontend_messages_received_total"],
  ["frontendBytesReceived", "zeek_cluster_zeromq_proxy_frontend_bytes_received_total"],
  ["frontendMessagesSent", "zeek_cluster_zeromq_proxy_frontend_messages_sent_total"],
  ["frontendBytesSent", "zeek_cluster_zeromq_proxy_frontend_bytes_sent_total"],
  ["backendMessagesReceived", "zeek_cluster_zeromq_proxy_backend_messages_received_total"],
  ["backendBytesReceived", "zeek_cluster_zeromq_proxy_backend_bytes_received_total"],
  ["backendMessagesSent", "zeek_cluster_zeromq_proxy_backend_messages_sent_total"],
  ["backendBytesSent", "zeek_cluster_zeromq_proxy_backend_bytes_sent_total"],
] as const satisfies readonly (readonly [keyof ProxyStatistics, string])[];

/** A snapshot of what the broker has done. */
export interface BrokerStats {
  readonly mode: "native" | "managed";
  /** True while forwarding is paused. */
  readonly paused: boolean;
  /** Zeek's proxy counters; undefined in native mode, which cannot read them from zeromq.js's proxy. */
  readonly proxy: ProxyStatistics | undefined;
  /** Messages dropped because a subscriber stayed at its HWM longer than the stuck-subscriber wait (managed mode). */
  readonly droppedStuckSubscriber: bigint;
  /** Clients the CURVE ZAP handler refused (an unknown public key, or no CURVE); 0 without CURVE. */
  readonly authRefused: number;
}
