/**
 * @zmqc/broker — the central XSUB/XPUB forwarder of a Zeek-compatible ZeroMQ cluster.
 *
 * @packageDocumentation
 */
export { BindError } from "./bind.js";
export type { Broker } from "./broker.js";
export { watchHandshakes } from "./handshake.js";
export type { ManagedBrokerStats } from "./managed/start.js";
export { MAX_TOPICS, OTHER_TOPICS } from "./managed/topics.js";
export { AUTH_REFUSED_METRIC, registerBrokerMetrics, STUCK_SUBSCRIBER_DROPS_METRIC } from "./metrics.js";
export { type NodeEndpoints, nodeEndpoints } from "./node-endpoints.js";
export type { BrokerMode, BrokerOptions, ResolvedBrokerOptions, StuckSubscriberPolicy } from "./options.js";
export { resolveBrokerOptions } from "./options.js";
export { startBroker } from "./start.js";
export { type BrokerStats, PROXY_STATISTICS, type ProxyStatistics } from "./stats.js";
export {
  type CurveKeypair,
  generateKeypair,
  refusalLine,
  startZapHandler,
  ZAP_ENDPOINT,
  type ZapHandler,
  type ZapRefusal,
  type ZapStats,
} from "./zap.js";
