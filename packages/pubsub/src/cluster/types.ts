import type { NodeType } from "@zmqc/config";

/** Why a peer went down. */
export type NodeDownReason =
  /** Its node-id topic was unsubscribed: it exited, crashed, lost its connection, or missed its heartbeats. */
  | "unsubscribed"
  /** A new incarnation said hello first ("never said goodbye"). */
  | "replaced";

/**
 * What discovery reports, as a discriminated union on `type`. Warnings and errors carry Zeek's exact texts
 * (see the README for the list).
 */
export type ClusterEvent =
  /** `Cluster::node_up`: a peer's `Cluster::hello` arrived; once per peer incarnation. */
  | { readonly type: "node_up"; readonly name: string; readonly id: string; readonly at: Date }
  /** `Cluster::node_down`: a peer incarnation is gone. */
  | {
      readonly type: "node_down";
      readonly name: string;
      readonly id: string;
      readonly at: Date;
      readonly reason: NodeDownReason;
    }
  /**
   * `Cluster::Experimental::node_fully_connected`: `local` when this node has seen node_up from every other node;
   * on the manager also each other node's report.
   */
  | {
      readonly type: "node_fully_connected";
      readonly name: string;
      readonly id: string;
      readonly resending: boolean;
      readonly local: boolean;
    }
  /** `Cluster::Experimental::cluster_started`: the manager has every node's report. */
  | { readonly type: "cluster_started"; readonly at: Date }
  /** What Zeek reports with `Reporter::warning`, in Zeek's words. */
  | { readonly type: "warning"; readonly message: string }
  /** What Zeek reports with `Reporter::error`, in Zeek's words. */
  | { readonly type: "error"; readonly message: string };

/** The type of a {@link ClusterEvent}. */
export type ClusterEventType = ClusterEvent["type"];

/** One node of the layout as this node sees it. */
export interface ClusterMember {
  readonly name: string;
  readonly type: NodeType;
  /** This process. */
  readonly self: boolean;
  /** Up: its `node_up` came and no `node_down` since (this node itself is always up). */
  readonly up: boolean;
  /** The id of the incarnation that is up (this node's own id for itself). */
  readonly id: string | undefined;
  /** Since when it is in its current state: its node_up or node_down, or when this node joined for itself. */
  readonly since: Date | undefined;
}

/** The halves of handshakes waiting for their other half, by peer node id. */
export interface PendingHandshakes {
  /** Node-id topics seen subscribed whose `ZeroMQ::hello` has not come (Zeek's `nodeid_subscriptions`). */
  readonly subscriptions: readonly string[];
  /** `ZeroMQ::hello`s whose node-id subscription has not been seen (Zeek's `nodeid_hellos`). */
  readonly hellos: readonly string[];
}
