/**
 * The topics of node discovery under Zeek's ZeroMQ backend (zeek/zeek
 * `scripts/policy/frameworks/cluster/backend/zeromq/main.zeek` and `base/frameworks/cluster/setup-subscriptions.zeek`,
 * v8.2.2).
 */
import { DEFAULT_BACKEND_OPTIONS, type NodeType } from "@zmqc/config";

/** `Cluster::manager_topic`, `logger_topic`, `proxy_topic` and `worker_topic` as the ZeroMQ backend redefines them. */
export const TYPE_TOPICS: Readonly<Record<NodeType, string>> = Object.freeze({
  manager: "zeek.cluster.manager",
  logger: "zeek.cluster.logger",
  proxy: "zeek.cluster.proxy",
  worker: "zeek.cluster.worker",
});

/** `Cluster::Experimental::cluster_started_topic` (not redefined for ZeroMQ, hence the slashes). */
export const CLUSTER_STARTED_TOPIC = "zeek/cluster/experimental/started";

/**
 * `Cluster::node_topic(name)`: `<prefix>.<name>.`. The trailing dot keeps `worker-1`'s topic from being a prefix
 * of `worker-10`'s (Zeek ≥ 7.2).
 */
export function nodeTopic(name: string, prefix: string = DEFAULT_BACKEND_OPTIONS.nodeTopicPrefix): string {
  return `${prefix}.${name}.`;
}

/** `Cluster::nodeid_topic(id)`: `<prefix>.<id>.`, the topic one incarnation of a node is reached on. */
export function nodeidTopic(id: string, prefix: string = DEFAULT_BACKEND_OPTIONS.nodeidTopicPrefix): string {
  return `${prefix}.${id}.`;
}

/**
 * The node id in a node-id topic, as Zeek takes it (`topic[|prefix + "."|:][:-1]`: the last character is dropped
 * whatever it is), or undefined when the topic does not start with `<prefix>.`.
 */
export function nodeIdOfTopic(
  topic: string,
  prefix: string = DEFAULT_BACKEND_OPTIONS.nodeidTopicPrefix,
): string | undefined {
  const head = `${prefix}.`;
  if (!topic.startsWith(head)) return undefined;
  return topic.slice(head.length, -1);
}

/**
 * The topics a cluster node subscribes to at start, in Zeek's order (setup-subscriptions.zeek): each pool it is in
 * (pools sorted by topic), its type topic, its node-id topic, its node topic.
 */
export function startupTopics(options: {
  readonly poolTopics: readonly string[];
  readonly type: NodeType;
  readonly nodeId: string;
  readonly name: string;
  readonly nodeTopicPrefix: string;
  readonly nodeidTopicPrefix: string;
}): string[] {
  return [
    ...options.poolTopics,
    TYPE_TOPICS[options.type],
    nodeidTopic(options.nodeId, options.nodeidTopicPrefix),
    nodeTopic(options.name, options.nodeTopicPrefix),
  ];
}
