/** The Zeek events of node discovery, with the names and parameter types Zeek 8.2.2 declares them with. */
import type { StringValue } from "@zmqc/wire-format";
import { defineEvent } from "../events.js";

/**
 * `Cluster::Backend::ZeroMQ::hello(name: string, id: string)`: sent to a peer's node-id topic on seeing that
 * topic subscribed (policy/frameworks/cluster/backend/zeromq/main.zeek).
 */
export const zeromqHello = defineEvent("Cluster::Backend::ZeroMQ::hello", ["string", "string"]);

/**
 * `Cluster::hello(name: string, id: string)`: sent to a peer's node-id topic once both halves of the handshake are
 * in; its receipt raises `Cluster::node_up` (base/frameworks/cluster/main.zeek).
 */
export const clusterHello = defineEvent("Cluster::hello", ["string", "string"]);

/**
 * `Cluster::Experimental::node_fully_connected(name: string, id: string, resending: bool)`: published to the
 * manager topic by a node that has seen `node_up` from every other node (policy/frameworks/cluster/experimental.zeek).
 */
export const nodeFullyConnected = defineEvent("Cluster::Experimental::node_fully_connected", [
  "string",
  "string",
  "boolean",
]);

/** `Cluster::Experimental::cluster_started()`: published by the manager once every node is fully connected. */
export const clusterStarted = defineEvent("Cluster::Experimental::cluster_started", []);

/** A Zeek string as text (names and ids are ASCII; anything else is read as UTF-8). */
export function text(value: StringValue): string {
  return typeof value.value === "string" ? value.value : Buffer.from(value.value).toString("utf8");
}
