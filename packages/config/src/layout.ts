import { z } from "zod";
import { ipSchema, portSchema } from "./options/field-schemas.js";

/** The node types of a ZeroMQ cluster (Zeek's `Cluster::NodeType`, without CONTROL). */
export const NODE_TYPES = ["manager", "logger", "proxy", "worker"] as const;
/** A node's role in the cluster. */
export type NodeType = (typeof NODE_TYPES)[number];

// A "." in a name would make `zeek.cluster.node.a.` a prefix of `zeek.cluster.node.a.b.`, which is the
// collision Zeek's trailing dot exists to prevent; whitespace would not survive topics and file names.
const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** A node name such as `manager`, `logger-1` or `worker-10`. */
export const nodeNameSchema = z.string().regex(NODE_NAME, {
  message: "a node name is letters, digits, '-' and '_', starting with a letter or digit",
});

/** One node of the cluster layout (Zeek's `Cluster::Node`). */
export const clusterNodeSchema = z.strictObject({
  /** The node's role. Zeek: `node_type`. */
  type: z.enum(NODE_TYPES).meta({ description: "The node's role. Zeek: node_type." }),
  /** The address the node runs at; IPv6 without or with brackets. Zeek: `ip`. */
  ip: ipSchema.meta({ description: "The node's address (IPv4 or IPv6). Zeek: ip." }),
  /** IPv6 zone of `ip`, if any. Zeek: `zone_id`. */
  zoneId: z.string().optional().meta({ description: "IPv6 zone of ip. Zeek: zone_id." }),
  /** The port a logger (or a manager that is the logger) binds its log PULL socket on. Zeek: `p`. */
  logPort: portSchema.optional().meta({ description: "A logger's PULL port. Zeek: p." }),
  /** The manager this node reports to. Zeek: `manager`. */
  manager: z.string().optional().meta({ description: "Name of this node's manager. Zeek: manager." }),
  /** The port the node serves Prometheus metrics on. Zeek: `metrics_port`. */
  metricsPort: portSchema.optional().meta({ description: "Prometheus metrics port. Zeek: metrics_port." }),
});

/** The cluster layout (Zeek's `Cluster::nodes` and `Cluster::manager_is_logger`). */
export const clusterLayoutSchema = z.strictObject({
  /** The manager receives the logs; default: true unless the layout has a logger (as zeekctl does). */
  managerIsLogger: z
    .boolean()
    .optional()
    .meta({ description: "Whether the manager is the logger. Zeek: Cluster::manager_is_logger." }),
  /** The nodes, by name. */
  nodes: z
    .record(nodeNameSchema, clusterNodeSchema)
    .refine((nodes) => Object.keys(nodes).length > 0, { message: "a cluster layout needs at least one node" })
    .meta({ description: "The cluster's nodes by name. Zeek: Cluster::nodes." }),
});

/** One node of a layout, as validated. */
export type ClusterNode = z.output<typeof clusterNodeSchema>;
/** A cluster layout as a user writes it. */
export type ClusterLayoutInput = z.input<typeof clusterLayoutSchema>;
/** A cluster layout as validated. */
export type ClusterLayout = z.output<typeof clusterLayoutSchema>;
