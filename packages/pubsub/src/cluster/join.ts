/**
 * A cluster node with Zeek's node discovery: the startup subscriptions, the hello handshake, node_up / node_down,
 * pools kept alive from them, cluster_started, and a view of who is up.
 */
import {
  type BackendOptions,
  type BackendOptionsInput,
  ConfigError,
  type NodeType,
  type ResolvedCluster,
  type ResolvedConfig,
  resolveOptions,
  ZmqcError,
} from "@zmqc/config";
import type { ZeekEvent } from "@zmqc/wire-format";
import { Channel } from "../channel.js";
import { type ClusterNode, connect } from "../node.js";
import { makeNodeId } from "../node-id.js";
import type { ConnectOptions } from "../options.js";
import type { NodeStatus } from "../status.js";
import { Handshake } from "./handshake.js";
import { heartbeatOptions, type LivenessOptions } from "./liveness.js";
import { buildPools, type ClusterPools } from "./pools.js";
import { readyToPublish } from "./ready.js";
import { StartedTracker } from "./started.js";
import { CLUSTER_STARTED_TOPIC, nodeidTopic, nodeTopic, startupTopics } from "./topics.js";
import type { ClusterEvent, ClusterMember, PendingHandshakes } from "./types.js";
import { waitForNodes } from "./wait-for-nodes.js";
import { clusterHello, clusterStarted, nodeFullyConnected, text, zeromqHello } from "./zeek-events.js";

/** The discovery options (Zeek's names and defaults; `helloExpiration` in ms or as `"10s"`). */
export type DiscoveryOptionsInput = Pick<
  BackendOptionsInput,
  "nodeTopicPrefix" | "nodeidTopicPrefix" | "helloExpiration" | "internalTopicPrefix"
>;

/** Options of {@link joinCluster}: where the node is in the layout, and its connection. */
export interface JoinOptions extends Omit<ConnectOptions, "name">, DiscoveryOptionsInput {
  /** The cluster layout (`loadConfig(…).cluster`, or `resolveCluster(layout)`). */
  readonly layout: ResolvedCluster;
  /** This node's name in the layout (Zeek's `Cluster::node`). */
  readonly name: string;
  /**
   * Take part in Zeek's experimental `cluster_started` (what `@load policy/frameworks/cluster/experimental` does
   * in Zeek): subscribe to `zeek/cluster/experimental/started`, report `node_fully_connected` to the manager,
   * and on the manager announce `cluster_started`. Every node of the cluster must agree: a Zeek manager without
   * that script answers each report with "Failed to lookup handler" errors. Default false, as in Zeek.
   */
  readonly clusterStarted?: boolean;
  /** The opt-in liveness check (ZMTP heartbeats); off by default, as in Zeek. */
  readonly liveness?: LivenessOptions;
}

/** A member of a cluster layout, with discovery running. */
export interface Cluster extends AsyncDisposable {
  /** The node underneath: publish, subscribe, handlers, stats. */
  readonly node: ClusterNode;
  /** This node's name in the layout. */
  readonly name: string;
  /** This node's type. */
  readonly type: NodeType;
  /** This incarnation's id, `zeromq_<name>_<hostname>_<pid>_N<unique>`. */
  readonly nodeId: string;
  readonly layout: ResolvedCluster;
  /** The topics subscribed at start, in the order they were subscribed. */
  readonly subscriptions: readonly string[];
  /** The pools, with peers marked alive on node_up and dead on node_down (Zeek's pools.zeek). */
  readonly pools: ClusterPools;
  /** `Cluster::node_topic(name)` with this cluster's prefix. */
  nodeTopic(name: string): string;
  /** `Cluster::nodeid_topic(id)` with this cluster's prefix. */
  nodeidTopic(id: string): string;
  /** Every node of the layout, in name order, as this node sees it now. */
  members(): readonly ClusterMember[];
  /** One node of the layout, or undefined for a name not in it. */
  member(name: string): ClusterMember | undefined;
  /** The name of the node whose incarnation is up with that id (Zeek's `Cluster::nodeid_to_node`). */
  nodeidToNode(id: string): string | undefined;
  /** Halves of handshakes waiting for the other half; each expires with a warning after `helloExpiration`. */
  pendingHandshakes(): PendingHandshakes;
  /** Calls back synchronously for every discovery event; returns a function that removes the callback. */
  on(listener: (event: ClusterEvent) => void): () => void;
  /** Every discovery event from now on, as an async iterator. */
  events(): AsyncIterableIterator<ClusterEvent>;
  /** Whether `cluster_started` has been seen. */
  isClusterStarted(): boolean;
  /**
   * Resolves true when `cluster_started` is seen (needs `clusterStarted: true`), false if the cluster closes
   * first. Never rejects.
   */
  readonly clusterStarted: Promise<boolean>;
  /**
   * Zeek's ready-to-publish check: resolves once this node's XPUB has every subscription the broker had when this
   * was called, so a publish is not filtered out. Rejects with code TIMEOUT after `timeoutMs`.
   */
  ready(timeoutMs?: number): Promise<void>;
  /**
   * Resolves once every named node (default: every other node of the layout) is up as this node sees it, all at
   * the same time. Rejects with code CONFIG for a name not in the layout, TIMEOUT after `timeoutMs` (default
   * 10 000; a negative, non-finite or larger than 2^31-1 value sets no timer), CLOSED when this node closes first.
   *
   * @example
   * ```ts
   * await cluster.waitForNodes(["manager", "logger-1"]);
   * ```
   */
  waitForNodes(names?: readonly string[], timeoutMs?: number): Promise<void>;
  /** Sends what is queued (up to `lingerMs`), then closes. */
  drain(): Promise<void>;
  /** Closes the node at once; its peers see node_down. Idempotent. */
  close(): Promise<void>;
  /** Resolves (never rejects) when the node has closed. */
  readonly closed: Promise<Error | undefined>;
}

/**
 * Joins a cluster as the layout's node `name`: connects, subscribes in Zeek's order (the pools it is in, its type
 * topic, its node-id topic, its node topic) and runs the hello handshake, so every other node gets node_up for
 * it and it gets node_up for every other node. Resolves at once, as `connect()` does; wait for `node_up` events,
 * `ready()` or `clusterStarted`.
 *
 * @throws ConfigError (code CONFIG) when `name` is not in the layout, or an option is invalid.
 *
 * @example
 * ```ts
 * const config = loadConfig({ file: "zmqc.yaml", node: "worker-1" });
 * await using cluster = await startClusterNode(config);
 * cluster.on((event) => {
 *   if (event.type === "node_up") console.log(`${event.name} is up as ${event.id}`);
 * });
 * ```
 */
export async function joinCluster(options: JoinOptions): Promise<Cluster> {
  const {
    layout,
    name,
    clusterStarted = false,
    liveness,
    nodeTopicPrefix,
    nodeidTopicPrefix,
    helloExpiration,
    internalTopicPrefix,
    ...connectOptions
  } = options;
  const spec = Object.hasOwn(layout.nodes, name) ? layout.nodes[name] : undefined;
  if (spec === undefined) {
    throw new ConfigError([
      {
        path: "node",
        code: "unknown_node",
        message: `'${name}' is not a valid node in the Cluster::nodes configuration`,
      },
    ]);
  }
  const discovery = resolveOptions(
    definedOnly({ nodeTopicPrefix, nodeidTopicPrefix, helloExpiration, internalTopicPrefix }),
  );
  const node = await connect({
    ...heartbeatOptions(liveness),
    ...connectOptions,
    name,
    nodeId: connectOptions.nodeId ?? makeNodeId(name),
  });
  try {
    return new ClusterImpl(node, {
      layout,
      name,
      type: spec.type,
      clusterStarted,
      discovery,
      log: connectOptions.log ?? ((line) => process.stderr.write(`${line}\n`)),
    });
  } catch (error) {
    await node.close();
    throw error;
  }
}

/**
 * Joins the cluster of a loaded configuration as its node (`config.node`), with its options.
 *
 * @throws ConfigError (code CONFIG) when the configuration has no layout or no node name.
 */
export async function startClusterNode(
  config: Pick<ResolvedConfig, "options" | "cluster" | "node">,
  extra: Omit<Partial<JoinOptions>, "layout" | "name"> = {},
): Promise<Cluster> {
  const { cluster, node, options } = config;
  if (cluster === undefined || node === undefined) {
    throw new ConfigError([
      {
        path: cluster === undefined ? "cluster" : "node",
        code: "layout",
        message:
          cluster === undefined
            ? "a cluster node needs a cluster layout (for a process outside the layout, use joinAsClient)"
            : "a cluster node needs its node name (node, ZMQC_NODE or CLUSTER_NODE)",
      },
    ]);
  }
  return joinCluster({ ...joinOptionsOf(options), ...extra, layout: cluster, name: node.name });
}

/** The node's and discovery's part of a resolved configuration. */
export function joinOptionsOf(options: BackendOptions): Omit<JoinOptions, "layout" | "name"> {
  return {
    connectXpubEndpoint: options.connectXpubEndpoint,
    connectXsubEndpoint: options.connectXsubEndpoint,
    connectXpubNodrop: options.connectXpubNodrop,
    xpubSndhwm: options.xpubSndhwm,
    xpubSndbuf: options.xpubSndbuf,
    xsubRcvhwm: options.xsubRcvhwm,
    xsubRcvbuf: options.xsubRcvbuf,
    lingerMs: options.lingerMs,
    ipv6: options.ipv6,
    onloopQueueHwm: options.onloopQueueHwm,
    pollMaxMessages: options.pollMaxMessages,
    debugFlags: options.debugFlags,
    eventSerializer: options.eventSerializer,
    nodeTopicPrefix: options.nodeTopicPrefix,
    nodeidTopicPrefix: options.nodeidTopicPrefix,
    helloExpiration: options.helloExpiration,
    internalTopicPrefix: options.internalTopicPrefix,
    curveServerPublicKey: options.curveServerPublicKey,
    curveClientPublicKey: options.curveClientPublicKey,
    curveClientSecretKey: options.curveClientSecretKey,
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

interface ClusterSettings {
  readonly layout: ResolvedCluster;
  readonly name: string;
  readonly type: NodeType;
  readonly clusterStarted: boolean;
  readonly discovery: BackendOptions;
  readonly log: (line: string) => void;
}

class ClusterImpl implements Cluster {
  readonly name: string;
  readonly type: NodeType;
  readonly nodeId: string;
  readonly layout: ResolvedCluster;
  readonly subscriptions: readonly string[];
  readonly pools: ClusterPools;
  readonly clusterStarted: Promise<boolean>;
  readonly closed: Promise<Error | undefined>;
  private readonly handshake: Handshake;
  private readonly started: StartedTracker | undefined;
  private readonly listeners = new Set<(event: ClusterEvent) => void>();
  private readonly channels = new Set<Channel<ClusterEvent>>();
  private readonly joinedAt = new Date();
  private readonly log: (line: string) => void;
  private readyCounter = 0;
  private isClosed = false;
  private resolveStarted!: (started: boolean) => void;

  constructor(
    readonly node: ClusterNode,
    private readonly settings: ClusterSettings,
  ) {
    const { layout, name, type, discovery } = settings;
    this.name = name;
    this.type = type;
    this.nodeId = node.nodeId;
    this.layout = layout;
    this.log = settings.log;
    this.closed = node.closed;
    this.clusterStarted = new Promise((resolve) => {
      this.resolveStarted = resolve;
    });
    this.pools = buildPools(layout, { self: name, nodeTopic: (peer) => this.nodeTopic(peer) });
    const publish = (topic: string, event: ZeekEvent) => this.send(topic, event);
    const emit = (event: ClusterEvent) => this.dispatch(event);
    this.handshake = new Handshake({
      name,
      nodeId: node.nodeId,
      nodes: layout.nodes,
      nodeidTopicPrefix: discovery.nodeidTopicPrefix,
      helloExpirationMs: discovery.helloExpiration,
      publish,
      emit,
    });
    this.started = settings.clusterStarted
      ? new StartedTracker({
          name,
          nodeId: node.nodeId,
          names: Object.keys(layout.nodes),
          isManager: type === "manager",
          publish,
          emit,
        })
      : undefined;

    // Everything that reacts to what the node sees is in place before the first subscription goes out.
    void this.watchSubscriptions(node.status());
    node.on(zeromqHello, ([peer, id]) => this.handshake.onZeromqHello(text(peer), text(id)));
    node.on(clusterHello, ([peer, id]) => this.handshake.onClusterHello(text(peer), text(id)));
    const { started } = this;
    if (started) {
      node.on(nodeFullyConnected, ([peer, id, resending]) =>
        started.onFullyConnected(text(peer), text(id), resending.value, false),
      );
      node.on(clusterStarted, () => started.onClusterStarted());
    }

    this.subscriptions = [
      // experimental.zeek subscribes in a zeek_init of priority 0, setup-subscriptions.zeek at -5.
      ...(started ? [CLUSTER_STARTED_TOPIC] : []),
      ...startupTopics({
        poolTopics: this.pools.all.filter((pool) => pool.has(name)).map((pool) => pool.spec.topic),
        type,
        nodeId: node.nodeId,
        name,
        nodeTopicPrefix: discovery.nodeTopicPrefix,
        nodeidTopicPrefix: discovery.nodeidTopicPrefix,
      }),
    ];
    // Zeek does not wait for them either; ready() confirms them.
    for (const topic of this.subscriptions) void node.subscribe(topic, { confirm: false });
    void node.closed.then(() => this.shutDown());
  }

  nodeTopic(name: string): string {
    return nodeTopic(name, this.settings.discovery.nodeTopicPrefix);
  }

  nodeidTopic(id: string): string {
    return nodeidTopic(id, this.settings.discovery.nodeidTopicPrefix);
  }

  members(): readonly ClusterMember[] {
    return Object.keys(this.layout.nodes).flatMap((name) => {
      const member = this.member(name);
      return member ? [member] : [];
    });
  }

  member(name: string): ClusterMember | undefined {
    const spec = Object.hasOwn(this.layout.nodes, name) ? this.layout.nodes[name] : undefined;
    if (spec === undefined) return undefined;
    if (name === this.name) {
      return { name, type: spec.type, self: true, up: true, id: this.nodeId, since: this.joinedAt };
    }
    const peer = this.handshake.peer(name);
    return peer
      ? { name, type: spec.type, self: false, up: true, id: peer.id, since: peer.since }
      : {
          name,
          type: spec.type,
          self: false,
          up: false,
          id: undefined,
          since: this.handshake.downSince(name),
        };
  }

  nodeidToNode(id: string): string | undefined {
    return id === this.nodeId ? this.name : this.handshake.nameOf(id);
  }

  pendingHandshakes(): PendingHandshakes {
    return this.handshake.pending();
  }

  on(listener: (event: ClusterEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  events(): AsyncIterableIterator<ClusterEvent> {
    const channel = new Channel<ClusterEvent>();
    if (this.isClosed) channel.close();
    else this.channels.add(channel);
    return channel;
  }

  isClusterStarted(): boolean {
    return this.started?.isStarted ?? false;
  }

  async ready(timeoutMs = 10_000): Promise<void> {
    await readyToPublish(
      this.node,
      this.settings.discovery.internalTopicPrefix,
      ++this.readyCounter,
      timeoutMs,
    );
  }

  waitForNodes(names?: readonly string[], timeoutMs = 10_000): Promise<void> {
    return waitForNodes(this, names, timeoutMs);
  }

  async drain(): Promise<void> {
    await this.node.drain();
    this.shutDown();
  }

  async close(): Promise<void> {
    await this.node.close();
    this.shutDown();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private async watchSubscriptions(status: AsyncIterableIterator<NodeStatus>) {
    for await (const event of status) {
      if (event.type === "subscription") this.handshake.onSubscription(event.topic);
      else if (event.type === "unsubscription") this.handshake.onUnsubscription(event.topic);
    }
  }

  private send(topic: string, event: ZeekEvent): void {
    try {
      if (!this.node.publish(topic, event)) {
        this.dispatch({
          type: "error",
          message: `dropped ${event.name} to ${topic}: the publish queue is full`,
        });
      }
    } catch (error) {
      // Closing: the handshake is over. Anything else is reported, never thrown into the receive loops.
      if (ZmqcError.is(error, "CLOSED")) return;
      this.dispatch({
        type: "error",
        message: `could not publish ${event.name} to ${topic}: ${String(error)}`,
      });
    }
  }

  private dispatch(event: ClusterEvent): void {
    if (event.type === "node_up") this.pools.nodeUp(event.name);
    else if (event.type === "node_down") this.pools.nodeDown(event.name);
    else if (event.type === "warning") this.log(`warning: ${event.message}`);
    else if (event.type === "error") this.log(`error: ${event.message}`);
    if (event.type === "cluster_started") this.resolveStarted(true);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.log(`error: a cluster event listener threw: ${String(error)}`);
      }
    }
    for (const channel of this.channels) channel.push(event);
    // After the node_up handlers, as experimental.zeek's node_up handler runs after the base one.
    if (event.type === "node_up") this.started?.onNodeUp(event.name);
  }

  private shutDown(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.handshake.close();
    this.resolveStarted(false);
    for (const channel of this.channels) channel.close();
    this.channels.clear();
  }
}
