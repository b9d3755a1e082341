/**
 * The hello handshake of Zeek's ZeroMQ backend, exactly as Zeek 8.2.2 runs it (policy/frameworks/cluster/backend/
 * zeromq/main.zeek for the subscription, unsubscription and `ZeroMQ::hello` handlers; base/frameworks/cluster/
 * main.zeek for `Cluster::hello` and the base `node_down` handler). No sockets here: the caller feeds it what its
 * node sees and gives it a way to publish.
 */
import type { NodeType } from "@zmqc/config";
import { Value, type ZeekEvent } from "@zmqc/wire-format";
import { nodeIdOfTopic, nodeidTopic } from "./topics.js";
import type { ClusterEvent, PendingHandshakes } from "./types.js";
import { clusterHello, zeromqHello } from "./zeek-events.js";

/** What the handshake needs from the node it runs on. */
export interface HandshakeHost {
  /** This node's name (`Cluster::node`). */
  readonly name: string;
  /** This node's id (`Cluster::node_id()`). */
  readonly nodeId: string;
  /** The layout's nodes by name (`Cluster::nodes`). */
  readonly nodes: Readonly<Record<string, { readonly type: NodeType }>>;
  readonly nodeidTopicPrefix: string;
  /**
   * How long half a handshake waits for its other half, in ms. An entry expires exactly this long after it was
   * made; Zeek's `&create_expire` fires on its table-expiry sweep instead, up to `table_expire_interval` later.
   */
  readonly helloExpirationMs: number;
  publish(topic: string, event: ZeekEvent): void;
  /** Called synchronously for each node_up, node_down, warning and error, in Zeek's order. */
  emit(event: ClusterEvent): void;
}

/** One peer incarnation that is up. */
export interface UpPeer {
  readonly id: string;
  readonly since: Date;
}

/** The handshake state of one node: Zeek's `nodeid_subscriptions`, `nodeid_hellos` and each node's `$id`. */
export class Handshake {
  // Cluster::nodes[name]$id: set by Cluster::hello, deleted by node_down.
  private readonly ids = new Map<string, UpPeer>();
  private readonly downs = new Map<string, Date>();
  // The two halves, each with its expiry timer (&create_expire: a second `add` keeps the first timer).
  private readonly subscriptions = new Map<string, NodeJS.Timeout>();
  private readonly hellos = new Map<string, NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly host: HandshakeHost) {}

  /** The peer of that name that is up (Zeek: `Cluster::nodes[name]$id`). */
  peer(name: string): UpPeer | undefined {
    return this.ids.get(name);
  }

  /** When the peer of that name last went down. */
  downSince(name: string): Date | undefined {
    return this.downs.get(name);
  }

  /** The name of the node whose incarnation that is (Zeek's `Cluster::nodeid_to_node`). */
  nameOf(id: string): string | undefined {
    for (const [name, peer] of this.ids) if (peer.id === id) return name;
    return undefined;
  }

  pending(): PendingHandshakes {
    return { subscriptions: [...this.subscriptions.keys()], hellos: [...this.hellos.keys()] };
  }

  /** `Cluster::Backend::ZeroMQ::subscription(topic)`: raised once per topic, however many nodes subscribe it. */
  onSubscription(topic: string): void {
    if (this.closed) return;
    const nodeid = nodeIdOfTopic(topic, this.host.nodeidTopicPrefix);
    // Do not say hello to ourselves - we won't see it anyhow.
    if (nodeid === undefined || nodeid === this.host.nodeId) return;
    this.host.publish(topic, zeromqHello.make(Value.string(this.host.name), Value.string(this.host.nodeId)));
    if (this.hellos.has(nodeid)) {
      this.sendClusterHello(nodeid);
      this.forget(this.hellos, nodeid);
    } else {
      this.remember(this.subscriptions, nodeid, "subscription");
    }
  }

  /** `Cluster::Backend::ZeroMQ::hello(name, id)` from a peer. */
  onZeromqHello(name: string, id: string): void {
    if (this.closed) return;
    if (Object.hasOwn(this.host.nodes, name)) {
      const known = this.ids.get(name);
      if (known !== undefined) {
        if (known.id === id) {
          this.warn(`node '${name}' sends ZeroMQ::hello twice (id:${id})`);
          // A peer says hello again only after it lost us (it saw our node-id subscription anew): we were cut off
          // (liveness, a frozen process) while we still hold it up. Zeek stops at the warning, and the peer then
          // never sees us up again; answering as to a new peer completes its handshake.
          this.host.publish(
            nodeidTopic(id, this.host.nodeidTopicPrefix),
            zeromqHello.make(Value.string(this.host.name), Value.string(this.host.nodeId)),
          );
          this.sendClusterHello(id);
          return;
        }
        // Zeek's text, without the closing parenthesis.
        this.warn(`node '${name}' never said goodbye (old id:${known.id} new id:${id}`);
        this.nodeDown(name, known.id, "replaced");
      }
    }
    if (this.subscriptions.has(id)) {
      this.sendClusterHello(id);
      this.forget(this.subscriptions, id);
    } else {
      this.remember(this.hellos, id, "hello");
    }
  }

  /** `Cluster::hello(name, id)` from a peer: node_up the first time for an incarnation. */
  onClusterHello(name: string, id: string): void {
    if (this.closed) return;
    if (!Object.hasOwn(this.host.nodes, name)) {
      this.host.emit({ type: "error", message: `Got Cluster::hello msg from unexpected node: ${name}` });
      return;
    }
    const known = this.ids.get(name);
    if (known === undefined) {
      const since = new Date();
      this.ids.set(name, { id, since });
      this.downs.delete(name);
      this.host.emit({ type: "node_up", name, id, at: since });
      return;
    }
    if (known.id !== id) {
      this.host.emit({ type: "error", message: `Got Cluster::hello msg from duplicate node:${name}` });
      // Zeek takes the new id all the same (without a node_up).
      this.ids.set(name, { id, since: known.since });
    }
  }

  /** `Cluster::Backend::ZeroMQ::unsubscription(topic)`: raised every time. */
  onUnsubscription(topic: string): void {
    if (this.closed) return;
    const gone = nodeIdOfTopic(topic, this.host.nodeidTopicPrefix);
    if (gone === undefined) return;
    const name = this.nameOf(gone);
    if (name === undefined) this.warn(`unsubscription of unknown node with id '${gone}'`);
    else this.nodeDown(name, gone, "unsubscribed");
  }

  /** Stops the expiry timers; the handshake does nothing more. */
  close(): void {
    this.closed = true;
    for (const timer of this.subscriptions.values()) clearTimeout(timer);
    for (const timer of this.hellos.values()) clearTimeout(timer);
    this.subscriptions.clear();
    this.hellos.clear();
  }

  // The base node_down handler runs at once here (Zeek queues the event): the peer's id is gone before the next
  // message is handled, so a restarted node's Cluster::hello raises node_up instead of "duplicate node".
  private nodeDown(name: string, id: string, reason: "replaced" | "unsubscribed"): void {
    const at = new Date();
    this.ids.delete(name);
    this.downs.set(name, at);
    this.host.emit({ type: "node_down", name, id, at, reason });
  }

  private sendClusterHello(nodeid: string): void {
    this.host.publish(
      nodeidTopic(nodeid, this.host.nodeidTopicPrefix),
      clusterHello.make(Value.string(this.host.name), Value.string(this.host.nodeId)),
    );
  }

  private remember(set: Map<string, NodeJS.Timeout>, nodeid: string, what: "subscription" | "hello"): void {
    if (set.has(nodeid)) return;
    const timer = setTimeout(() => {
      if (set.get(nodeid) !== timer) return;
      set.delete(nodeid);
      this.warn(`Expired ${what} from nodeid ${nodeid}`);
    }, this.host.helloExpirationMs);
    timer.unref();
    set.set(nodeid, timer);
  }

  private forget(set: Map<string, NodeJS.Timeout>, nodeid: string): void {
    clearTimeout(set.get(nodeid));
    set.delete(nodeid);
  }

  private warn(message: string): void {
    this.host.emit({ type: "warning", message });
  }
}
