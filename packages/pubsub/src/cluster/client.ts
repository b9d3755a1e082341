/**
 * A process outside the cluster layout that publishes to and hears from the cluster without taking part in
 * discovery (Zeek's supervisor-runs-zmq-proxy-and-connects test is the model): it never subscribes to a node-id
 * topic, so no node sends it hellos or warns about expired ones, and it publishes only after Zeek's
 * ready-to-publish check.
 */
import { type BackendOptionsInput, ConfigError, resolveOptions } from "@zmqc/config";
import { type ClusterNode, connect } from "../node.js";
import { makeNodeId } from "../node-id.js";
import type { ConnectOptions } from "../options.js";
import { heartbeatOptions, type LivenessOptions } from "./liveness.js";
import { readyToPublish } from "./ready.js";

/** Options of {@link joinAsClient}. */
export interface ClientOptions
  extends ConnectOptions,
    Pick<BackendOptionsInput, "internalTopicPrefix" | "nodeidTopicPrefix"> {
  /**
   * Topic prefixes to subscribe to before the ready check (the client's own topics). Never a node-id topic: that
   * would make every node send hellos and then warn "Expired subscription".
   */
  readonly topics?: readonly string[];
  /** How long to wait for the broker to confirm the subscriptions and the ready check. Default 10 s. */
  readonly readyTimeoutMs?: number;
  /** The opt-in liveness check (ZMTP heartbeats); off by default, as in Zeek. */
  readonly liveness?: LivenessOptions;
}

/** A process connected to the cluster outside its layout. */
export interface ClusterClient extends AsyncDisposable {
  /** The node underneath: publish, subscribe, handlers, stats. */
  readonly node: ClusterNode;
  /** Its id: `zeromq_<name>_<hostname>_<pid>_N…`, the name part empty unless `name` was given (as Zeek's supervisor). */
  readonly nodeId: string;
  /** The topics subscribed before the first ready check. */
  readonly subscriptions: readonly string[];
  /**
   * Runs Zeek's ready-to-publish check again (e.g. after subscribing to more or after a reconnect): resolves once
   * this client's XPUB has every subscription the broker had when this was called.
   */
  readyToPublish(timeoutMs?: number): Promise<void>;
  /** Sends what is queued (up to `lingerMs`), then closes. */
  drain(): Promise<void>;
  /** Closes at once. Idempotent. */
  close(): Promise<void>;
  /** Resolves (never rejects) when the client has closed. */
  readonly closed: Promise<Error | undefined>;
}

/**
 * Connects a process that is not in the cluster layout: subscribes to its own `topics` only and resolves once
 * the ready-to-publish check passed (its own subscription came back from the broker), so what it publishes from
 * then on reaches every node subscribed at that time.
 *
 * @throws ZmqcError code TIMEOUT when the broker does not confirm within `readyTimeoutMs` (the node is closed).
 *
 * @example
 * ```ts
 * await using client = await joinAsClient({ topics: ["zeek.supervisor.test"] });
 * client.node.publish("zeek.cluster.worker", ping.make(Value.string("from a client")));
 * ```
 */
export async function joinAsClient(options: ClientOptions = {}): Promise<ClusterClient> {
  const {
    topics = [],
    readyTimeoutMs = 10_000,
    liveness,
    internalTopicPrefix,
    nodeidTopicPrefix,
    ...connectOptions
  } = options;
  const discovery = resolveOptions({
    ...(internalTopicPrefix === undefined ? {} : { internalTopicPrefix }),
    ...(nodeidTopicPrefix === undefined ? {} : { nodeidTopicPrefix }),
  });
  const nodeidTopics = topics.filter((topic) => topic.startsWith(`${discovery.nodeidTopicPrefix}.`));
  if (nodeidTopics.length > 0) {
    throw new ConfigError(
      nodeidTopics.map((topic) => ({
        path: "topics",
        code: "invalid_value" as const,
        message: `a client must not subscribe to a node-id topic (${topic}): every node would send it hellos and then warn "Expired subscription"`,
      })),
    );
  }
  const node = await connect({
    ...heartbeatOptions(liveness),
    ...connectOptions,
    nodeId: connectOptions.nodeId ?? makeNodeId(connectOptions.name ?? ""),
  });
  let counter = 0;
  const client: ClusterClient = {
    node,
    nodeId: node.nodeId,
    subscriptions: [...topics],
    readyToPublish: (timeoutMs = readyTimeoutMs) =>
      readyToPublish(node, discovery.internalTopicPrefix, ++counter, timeoutMs),
    drain: () => node.drain(),
    close: () => node.close(),
    closed: node.closed,
    [Symbol.asyncDispose]: () => node.close(),
  };
  try {
    await Promise.all(topics.map((topic) => node.subscribe(topic, { timeoutMs: readyTimeoutMs })));
    await client.readyToPublish();
  } catch (error) {
    await node.close();
    throw error;
  }
  return client;
}
