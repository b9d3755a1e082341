/**
 * @zmqc/pubsub — a member of a Zeek-compatible ZeroMQ cluster: publish and receive events through the broker, see
 * every node's subscriptions, and count every drop.
 *
 * @packageDocumentation
 */
export { Channel } from "./channel.js";
export { type ClientOptions, type ClusterClient, joinAsClient } from "./cluster/client.js";
export {
  FNV1A32_OFFSET_BASIS,
  FNV1A32_PRIME,
  fnv1a32,
  HASHABLE_KEY_TYPES,
  type HrwKey,
  hrwKeyBytes,
  hrwKeyDigest,
  UnsupportedKeyError,
} from "./cluster/hash.js";
export { assignSiteId, type HrwSite, hrwWeight, hrwWinner, type SiteAssignment } from "./cluster/hrw.js";
export {
  type Cluster,
  type DiscoveryOptionsInput,
  type JoinOptions,
  joinCluster,
  joinOptionsOf,
  startClusterNode,
} from "./cluster/join.js";
export { heartbeatOptions, type LivenessOptions } from "./cluster/liveness.js";
export {
  type BuildPoolsOptions,
  buildPools,
  type ClusterPools,
  LOGGER_POOL_SPEC,
  Pool,
  type PoolLayout,
  type PoolNode,
  type PoolNodeType,
  type PoolOptions,
  type PoolSpec,
  PROXY_POOL_SPEC,
  publishHrw,
  publishRr,
  WORKER_POOL_SPEC,
  zeromqNodeTopic,
} from "./cluster/pools.js";
export { readyToPublish } from "./cluster/ready.js";
export {
  CLUSTER_STARTED_TOPIC,
  nodeIdOfTopic,
  nodeidTopic,
  nodeTopic,
  startupTopics,
  TYPE_TOPICS,
} from "./cluster/topics.js";
export type {
  ClusterEvent,
  ClusterEventType,
  ClusterMember,
  NodeDownReason,
  PendingHandshakes,
} from "./cluster/types.js";
export { clusterHello, clusterStarted, nodeFullyConnected, zeromqHello } from "./cluster/zeek-events.js";
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
