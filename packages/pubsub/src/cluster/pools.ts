/**
 * Zeek's cluster pools (zeek/zeek `scripts/base/frameworks/cluster/pools.zeek`, v8.2.2): which nodes belong to
 * which pool, which of them are alive, and the topic `Cluster::hrw_topic` / `Cluster::rr_topic` pick for a key,
 * so that a TS node sends a keyed event to the same Zeek node a Zeek node of the cluster would.
 */
import { type ClusterNode as LayoutNode, type NodeType, ZmqcError } from "@zmqc/config";
import type { ZeekEvent } from "@zmqc/wire-format";
import type { ClusterNode } from "../node.js";
import { type HrwKey, hrwKeyDigest } from "./hash.js";
import { assignSiteId, hrwWinner } from "./hrw.js";

/** The node types a pool can hold: Zeek keeps pool eligibility for WORKER, PROXY and LOGGER only. */
export type PoolNodeType = Exclude<NodeType, "manager">;

/** A pool specification (Zeek's `Cluster::PoolSpec`). */
export interface PoolSpec {
  /** A topic that reaches every node of the pool (each member subscribes to it). */
  readonly topic: string;
  /** The type of the nodes in the pool. A logger pool also holds the manager when it is the logger. */
  readonly nodeType: PoolNodeType;
  /** At most this many nodes; all eligible nodes when unset. */
  readonly maxNodes?: number;
  /** Whether the pool's `maxNodes` nodes are kept out of every other pool; needs `maxNodes`. Default false. */
  readonly exclusive?: boolean;
}

/** `Cluster::worker_pool_spec` under the ZeroMQ backend (policy/frameworks/cluster/backend/zeromq/main.zeek). */
export const WORKER_POOL_SPEC: PoolSpec = Object.freeze({
  topic: "zeek.cluster.pool.worker",
  nodeType: "worker",
});
/** `Cluster::proxy_pool_spec` under the ZeroMQ backend. */
export const PROXY_POOL_SPEC: PoolSpec = Object.freeze({
  topic: "zeek.cluster.pool.proxy",
  nodeType: "proxy",
});
/** `Cluster::logger_pool_spec` under the ZeroMQ backend. */
export const LOGGER_POOL_SPEC: PoolSpec = Object.freeze({
  topic: "zeek.cluster.pool.logger",
  nodeType: "logger",
});

/** Zeek's node topic under the ZeroMQ backend: `zeek.cluster.node.<name>.` (`Cluster::node_topic`). */
export function zeromqNodeTopic(name: string): string {
  return `zeek.cluster.node.${name}.`;
}

/** A node of a pool (Zeek's `Cluster::PoolNode`). A live view: `alive` follows markAlive / markDead. */
export interface PoolNode {
  /** The node's name. */
  readonly name: string;
  /** `<name>.<n>`, the string its site id is the FNV-1a hash of; `.0` unless that id was taken. */
  readonly alias: string;
  /** `fnv1a32(alias)`, its id for rendezvous hashing. */
  readonly siteId: number;
  /** Whether it is alive: true from the start for this node itself, otherwise once markAlive is called. */
  readonly alive: boolean;
  /** Its node topic, where events for it go. */
  readonly topic: string;
}

interface MutablePoolNode extends PoolNode {
  alive: boolean;
}

/** How a {@link Pool} names topics and which node it runs on. */
export interface PoolOptions {
  /** The name of the node this process is (Zeek's `Cluster::node`): alive from the start, never in HRW. */
  readonly self?: string | undefined;
  /** The node topic of a node name. Default {@link zeromqNodeTopic}. */
  readonly nodeTopic?: ((name: string) => string) | undefined;
}

/**
 * A pool of cluster nodes (Zeek's `Cluster::Pool`): its nodes in a fixed order, which of them are alive, the
 * rendezvous-hashing sites, and the round-robin position per key.
 *
 * Zeek's rule for this node itself: it is alive from the start (`$alive = Cluster::node == name`), so
 * {@link rrTopic} can pick it, but only {@link markAlive} adds a node to the HRW sites and Zeek calls that on
 * `Cluster::node_up`, which never fires for the node itself, so {@link hrwTopic} never picks it.
 */
export class Pool {
  /** The specification the pool was made from. */
  readonly spec: PoolSpec;
  private readonly self: string | undefined;
  private readonly nodeTopic: (name: string) => string;
  private readonly byName = new Map<string, MutablePoolNode>();
  private readonly list: MutablePoolNode[] = [];
  private readonly sites = new Map<number, MutablePoolNode>();
  private readonly rrKeySeq = new Map<string, number>();
  private alive = 0;

  constructor(spec: PoolSpec, options: PoolOptions = {}) {
    this.spec = spec;
    this.self = options.self;
    this.nodeTopic = options.nodeTopic ?? zeromqNodeTopic;
  }

  /** The pool's nodes in Zeek's `node_list` order (the order they joined). */
  get nodes(): readonly PoolNode[] {
    return this.list;
  }

  /** How many nodes are alive (Zeek's `alive_count`; this node itself counts from the start). */
  get aliveCount(): number {
    return this.alive;
  }

  /** Whether a node of that name is in the pool. */
  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The pool's node of that name. */
  node(name: string): PoolNode | undefined {
    return this.byName.get(name);
  }

  /**
   * Adds a node (Zeek's `init_pool_node`): site id `fnv1a32(name + ".0")`, or `.1`, `.2`, … when that id is
   * already in the pool; alive at once only when it is this node itself.
   *
   * @returns false when the pool already has a node of that name.
   */
  addNode(name: string): boolean {
    if (this.byName.has(name)) return false;
    const taken = new Set(this.list.map((node) => node.siteId));
    const { alias, siteId } = assignSiteId(name, taken);
    const node: MutablePoolNode = {
      name,
      alias,
      siteId,
      alive: name === this.self,
      topic: this.nodeTopic(name),
    };
    this.byName.set(name, node);
    this.list.push(node);
    if (node.alive) this.alive++;
    return true;
  }

  /**
   * Marks a node alive and adds it to the HRW sites (Zeek's `mark_pool_node_alive`). Zeek calls it for every
   * pool holding the node on `Cluster::node_up`; see {@link ClusterPools.nodeUp}.
   *
   * @returns false when the node is not in the pool.
   */
  markAlive(name: string): boolean {
    const node = this.byName.get(name);
    if (!node) return false;
    if (!node.alive) {
      node.alive = true;
      this.alive++;
    }
    if (!this.sites.has(node.siteId)) this.sites.set(node.siteId, node);
    return true;
  }

  /**
   * Marks a node dead and removes it from the HRW sites (Zeek's `mark_pool_node_dead`).
   *
   * @returns false when the node is not in the pool.
   */
  markDead(name: string): boolean {
    const node = this.byName.get(name);
    if (!node) return false;
    if (node.alive) {
      node.alive = false;
      this.alive--;
    }
    this.sites.delete(node.siteId);
    return true;
  }

  /**
   * The node a key maps to by rendezvous hashing (Zeek's `HashHRW::get_site` over the pool's sites): of the
   * nodes marked alive, the one with the highest `hrw_weight(fnv1a32(key), site_id)`, a tie to the larger id.
   *
   * @returns the node, or `undefined` when no node has been marked alive.
   * @throws {UnsupportedKeyError} for a key Zeek's hashing is not reproduced for (see `hrwKeyBytes`), even
   *   when no node is alive.
   */
  hrwNode(key: HrwKey): PoolNode | undefined {
    const digest = hrwKeyDigest(key);
    return hrwWinner(digest, this.sites.values());
  }

  /**
   * Zeek's `Cluster::hrw_topic(pool, key)`: the node topic of {@link hrwNode}, or `""` when no node is alive.
   *
   * @throws {UnsupportedKeyError} as {@link hrwNode}.
   */
  hrwTopic(key: HrwKey): string {
    return this.hrwNode(key)?.topic ?? "";
  }

  /**
   * Zeek's `Cluster::rr_topic(pool, key)`: from this key's position in the node list, the next alive node's
   * topic; the position moves past it. Each key has its own position, starting at the first node.
   *
   * @param key - what the round robin is for (Zeek's default is `""`).
   * @returns the topic, or `""` when no node is alive (the position then stays where it was).
   */
  rrTopic(key = ""): string {
    const length = this.list.length;
    let next = this.rrKeySeq.get(key) ?? 0;
    this.rrKeySeq.set(key, next);
    const start = next;
    if (next >= length) return "";
    let topic = "";
    for (;;) {
      const node = this.list[next] as MutablePoolNode;
      next++;
      if (next === length) next = 0;
      if (node.alive) {
        topic = node.topic;
        break;
      }
      if (next === start) break;
    }
    this.rrKeySeq.set(key, next);
    return topic;
  }
}

/** How {@link buildPools} registers pools. */
export interface BuildPoolsOptions extends PoolOptions {
  /** `Cluster::worker_pool_spec`. Default {@link WORKER_POOL_SPEC}. */
  readonly workerPool?: PoolSpec | undefined;
  /** `Cluster::proxy_pool_spec`. Default {@link PROXY_POOL_SPEC}. */
  readonly proxyPool?: PoolSpec | undefined;
  /** `Cluster::logger_pool_spec`. Default {@link LOGGER_POOL_SPEC}. */
  readonly loggerPool?: PoolSpec | undefined;
  /** More pools, as `Cluster::register_pool` in a `zeek_init` handler would add them. */
  readonly pools?: readonly PoolSpec[] | undefined;
}

/** The layout facts pools are built from: the nodes and whether the manager is the logger. */
export interface PoolLayout {
  readonly nodes: Readonly<Record<string, Pick<LayoutNode, "type">>>;
  readonly managerIsLogger: boolean;
}

/** Every pool of a cluster, as one node sees them. */
export interface ClusterPools {
  /** `Cluster::worker_pool`. */
  readonly worker: Pool;
  /** `Cluster::proxy_pool`. */
  readonly proxy: Pool;
  /** `Cluster::logger_pool`. */
  readonly logger: Pool;
  /** The pools of {@link BuildPoolsOptions.pools}, in the same order. */
  readonly custom: readonly Pool[];
  /** Every pool, sorted by topic (the order Zeek fills them in). */
  readonly all: readonly Pool[];
  /**
   * A peer came up (Zeek's `Cluster::node_up` handler in pools.zeek): marks it alive in every pool holding it.
   * This node itself is ignored: Zeek never raises `node_up` for itself, which is why HRW never picks it.
   */
  nodeUp(name: string): void;
  /** A peer went down (`Cluster::node_down`): marks it dead in every pool holding it. Ignores this node. */
  nodeDown(name: string): void;
}

// Zeek compares with strcmp, i.e. by bytes; UTF-8 byte order is code point order.
function strcmp(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

const ZEEK_TYPE_NAME: Record<PoolNodeType, string> = {
  worker: "Cluster::WORKER",
  proxy: "Cluster::PROXY",
  logger: "Cluster::LOGGER",
};

/**
 * Registers the pools and fills them from the layout exactly as Zeek's `zeek_init &priority=-5` in pools.zeek:
 *
 * 1. The pools (worker, proxy, logger, then `options.pools`) are sorted by topic.
 * 2. The eligible nodes of each type are that type's nodes sorted by name; when the manager is the logger,
 *    the first manager (by name) is appended to the logger list.
 * 3. Each exclusive pool, in topic order, takes the first `maxNodes` eligible nodes of its type, which are
 *    then no longer eligible for any other pool.
 * 4. Each other pool, in topic order, takes `maxNodes` nodes (all eligible nodes if unset or larger),
 *    continuing round-robin where the previous pool of the same type stopped.
 *
 * Nodes are added not alive, except `options.self`; call {@link ClusterPools.nodeUp} as peers come up.
 *
 * @throws {ZmqcError} code `CONFIG` where Zeek stops with a fatal error: a pool of another node type, an
 *   exclusive pool without `maxNodes`, or not enough nodes of a type for the exclusive pools; also for a
 *   `maxNodes` that is not a non-negative integer.
 */
export function buildPools(layout: PoolLayout, options: BuildPoolsOptions = {}): ClusterPools {
  const poolOptions: PoolOptions = { self: options.self, nodeTopic: options.nodeTopic };
  const worker = new Pool(options.workerPool ?? WORKER_POOL_SPEC, poolOptions);
  const proxy = new Pool(options.proxyPool ?? PROXY_POOL_SPEC, poolOptions);
  const logger = new Pool(options.loggerPool ?? LOGGER_POOL_SPEC, poolOptions);
  const custom = (options.pools ?? []).map((spec) => new Pool(spec, poolOptions));
  // Array.prototype.sort is stable: pools with equal topics keep their registration order.
  const all = [worker, proxy, logger, ...custom].sort((a, b) => strcmp(a.spec.topic, b.spec.topic));
  fillPools(layout, all);
  const self = options.self;
  return {
    worker,
    proxy,
    logger,
    custom,
    all,
    nodeUp(name) {
      if (name === self) return;
      for (const pool of all) pool.markAlive(name);
    },
    nodeDown(name) {
      if (name === self) return;
      for (const pool of all) pool.markDead(name);
    },
  };
}

function fillPools(layout: PoolLayout, pools: readonly Pool[]): void {
  const names = Object.keys(layout.nodes).sort(strcmp);
  const ofType = (type: NodeType) => names.filter((name) => layout.nodes[name]?.type === type);
  const eligible: Record<PoolNodeType, { nodes: string[]; nextIdx: number; excluded: number }> = {
    worker: { nodes: ofType("worker"), nextIdx: 0, excluded: 0 },
    proxy: { nodes: ofType("proxy"), nextIdx: 0, excluded: 0 },
    logger: { nodes: ofType("logger"), nextIdx: 0, excluded: 0 },
  };
  const manager = ofType("manager")[0];
  if (layout.managerIsLogger && manager !== undefined) eligible.logger.nodes.push(manager);

  for (const { spec } of pools) {
    if (!Object.hasOwn(eligible, spec.nodeType)) {
      throw configError(`invalid pool node type: ${spec.nodeType} (pool ${spec.topic})`);
    }
    if (spec.maxNodes !== undefined && !(Number.isSafeInteger(spec.maxNodes) && spec.maxNodes >= 0)) {
      throw configError(`pool ${spec.topic}: maxNodes must be a non-negative integer, got ${spec.maxNodes}`);
    }
    if (spec.exclusive !== true) continue;
    if (spec.maxNodes === undefined) {
      throw configError(
        `pool ${spec.topic}: Cluster::PoolSpec 'max_nodes' field must be set when using the 'exclusive' flag`,
      );
    }
    eligible[spec.nodeType].excluded += spec.maxNodes;
  }
  for (const [type, pet] of Object.entries(eligible) as [PoolNodeType, (typeof eligible)[PoolNodeType]][]) {
    if (pet.excluded > pet.nodes.length) {
      throw configError(
        `not enough ${ZEEK_TYPE_NAME[type]} nodes to satisfy pool exclusivity requirements: need ${pet.excluded} nodes`,
      );
    }
  }

  for (const pool of pools) {
    const { spec } = pool;
    if (spec.exclusive !== true) continue;
    const pet = eligible[spec.nodeType];
    const take = spec.maxNodes ?? 0;
    for (const name of pet.nodes.slice(0, take)) pool.addNode(name);
    pet.nodes = pet.nodes.slice(take);
  }

  for (const pool of pools) {
    const { spec } = pool;
    if (spec.exclusive === true) continue;
    const pet = eligible[spec.nodeType];
    const count =
      spec.maxNodes !== undefined && spec.maxNodes < pet.nodes.length ? spec.maxNodes : pet.nodes.length;
    for (let added = 0; added < count; added++) {
      pool.addNode(pet.nodes[pet.nextIdx] as string);
      pet.nextIdx++;
      if (pet.nextIdx === pet.nodes.length) pet.nextIdx = 0;
    }
  }
}

function configError(message: string): ZmqcError {
  return new ZmqcError("CONFIG", message);
}

/**
 * Zeek's `Cluster::publish_hrw(pool, key, event)`: publishes the event to the node topic {@link Pool.hrwTopic}
 * picks for the key.
 *
 * @returns false without publishing when no node of the pool is alive; otherwise what `node.publish` returns
 *   (false when its publish queue is full).
 * @throws {UnsupportedKeyError} for a key type whose Zeek hashing is not reproduced.
 */
export function publishHrw(
  node: Pick<ClusterNode, "publish">,
  pool: Pool,
  key: HrwKey,
  event: ZeekEvent,
): boolean {
  const topic = pool.hrwTopic(key);
  return topic === "" ? false : node.publish(topic, event);
}

/**
 * Zeek's `Cluster::publish_rr(pool, key, event)`: publishes the event to the next alive node for the key
 * ({@link Pool.rrTopic}).
 *
 * @returns false without publishing when no node of the pool is alive; otherwise what `node.publish` returns.
 */
export function publishRr(
  node: Pick<ClusterNode, "publish">,
  pool: Pool,
  key: string,
  event: ZeekEvent,
): boolean {
  const topic = pool.rrTopic(key);
  return topic === "" ? false : node.publish(topic, event);
}
