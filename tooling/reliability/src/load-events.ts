// The events of the load scenarios (overload, soak), shared by the test, the load node and the Zeek scripts.

/** The flood event, `Reliability::ping(sender: string, seq: count)`, as test/zeek/load-node.zeek declares it too. */
export const PING_EVENT = "Reliability::ping";
/** A probe and its answer, `(from: string, n: count)`: after a flood, the nodes still talk (nothing locked up). */
export const PROBE_EVENT = "Reliability::probe";
export const PROBE_REPLY_EVENT = "Reliability::probe_reply";
