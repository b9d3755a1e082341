/**
 * `cluster_started` for non-Broker backends, as Zeek 8.2.2 runs it (policy/frameworks/cluster/experimental.zeek and
 * nodes-experimental/manager.zeek): each node reports `node_fully_connected` to the manager once it has seen
 * `node_up` from every other node of the layout, again on every later node_up; the manager announces
 * `cluster_started` once every node (itself included) has reported.
 */
import { Value, type ZeekEvent } from "@zmqc/wire-format";
import { CLUSTER_STARTED_TOPIC, TYPE_TOPICS } from "./topics.js";
import type { ClusterEvent } from "./types.js";
import { clusterStarted, nodeFullyConnected } from "./zeek-events.js";

/** What the tracker needs from the node it runs on. */
export interface StartedHost {
  readonly name: string;
  readonly nodeId: string;
  /** Every node name of the layout. */
  readonly names: readonly string[];
  readonly isManager: boolean;
  publish(topic: string, event: ZeekEvent): void;
  emit(event: ClusterEvent): void;
}

/** One node's part in cluster_started. */
export class StartedTracker {
  // connectees_pending: every other node of the layout, until its node_up.
  private readonly connecteesPending: Set<string>;
  // fully_connected_nodes_pending (manager only): every node of the layout, itself included.
  private readonly fullyConnectedPending: Set<string>;
  private started = false;

  constructor(private readonly host: StartedHost) {
    this.connecteesPending = new Set(host.names.filter((name) => name !== host.name));
    this.fullyConnectedPending = new Set(host.isManager ? host.names : []);
  }

  /** Whether `cluster_started` has been seen (Zeek's `is_cluster_started`). */
  get isStarted(): boolean {
    return this.started;
  }

  /** `Cluster::node_up` (the non-Broker handler of experimental.zeek). */
  onNodeUp(name: string): void {
    this.connecteesPending.delete(name);
    if (this.connecteesPending.size > 0) return;
    const { name: self, nodeId } = this.host;
    const resending = this.started;
    this.onFullyConnected(self, nodeId, resending, true);
    this.host.publish(
      TYPE_TOPICS.manager,
      nodeFullyConnected.make(Value.string(self), Value.string(nodeId), Value.boolean(resending)),
    );
  }

  /** `Cluster::Experimental::node_fully_connected`, raised here or received (on the manager topic). */
  onFullyConnected(name: string, id: string, resending: boolean, local: boolean): void {
    this.host.emit({ type: "node_fully_connected", name, id, resending, local });
    if (!this.host.isManager) return;
    // A node that resends has seen the cluster started: the manager most likely restarted; adopt their view.
    this.started = this.started || resending;
    this.fullyConnectedPending.delete(name);
    if (!this.started && this.fullyConnectedPending.size === 0) {
      this.onClusterStarted();
      this.host.publish(CLUSTER_STARTED_TOPIC, clusterStarted.make());
    }
  }

  /** `Cluster::Experimental::cluster_started`, raised here (manager) or received (everyone else). */
  onClusterStarted(): void {
    this.started = true;
    this.host.emit({ type: "cluster_started", at: new Date() });
  }
}
