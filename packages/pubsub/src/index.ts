/**
 * @zmqc/pubsub — a member of a Zeek-compatible ZeroMQ cluster: publish and receive events through the broker, see
 * every node's subscriptions, and count every drop.
 *
 * @packageDocumentation
 */
export { Channel } from "./channel.js";
export {
  type ArgsOf,
  defineEvent,
  type EventDefinition,
  type ParamType,
  type ValueByType,
} from "./events.js";
export { registerNodeMetrics } from "./metrics.js";
export { type ClusterNode, connect, type EventCallback, type ReceivedEvent } from "./node.js";
export { makeNodeId } from "./node-id.js";
export {
  type ConnectOptions,
  type NodeSettings,
  type OverflowPolicy,
  resolveNodeSettings,
} from "./options.js";
export type { NodeStats } from "./stats.js";
export type { DropCounter, NodeStatus } from "./status.js";
