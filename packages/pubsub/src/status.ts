/** The counters that warn once when they first move (Zeek prints each once per process). */
export type DropCounter =
  | "xpubDrops"
  | "onloopDrops"
  | "publishQueueDrops"
  | "reconnectDrops"
  | "msgErrors"
  | "formatErrors"
  | "decodeErrors"
  | "typeErrors";

/** What happens to a node, as a discriminated union on `type` (nats.js style). */
export type NodeStatus =
  | { readonly type: "connected"; readonly socket: "xpub" | "xsub"; readonly endpoint: string }
  | { readonly type: "disconnected"; readonly socket: "xpub" | "xsub"; readonly endpoint: string }
  | {
      readonly type: "reconnecting";
      readonly socket: "xpub" | "xsub";
      readonly endpoint: string;
      readonly intervalMs: number;
    }
  /** Some node subscribed to a prefix nobody had (raised once per prefix, as Zeek's `subscription` event). */
  | { readonly type: "subscription"; readonly topic: string }
  /** Some node unsubscribed, or left (raised every time, as Zeek's `unsubscription` event). */
  | { readonly type: "unsubscription"; readonly topic: string }
  /** A drop counter moved for the first time; later drops are only counted. */
  | { readonly type: "dropWarning"; readonly counter: DropCounter; readonly message: string }
  /**
   * The XPUB lost the broker, `reconnectHoldMs` is on and some prefix was subscribed: events are kept back from now
   * on, until their subscribers are back at the broker (once per outage; a connection that drops again during the
   * hold does not repeat it).
   */
  | { readonly type: "reconnectHold"; readonly phase: "started" }
  /**
   * The hold is over. `"complete"`: every subscriber known before the outage is back, and everything kept went.
   * `"timeout"`: `reconnectHoldMs` ran out (after a reconnect, or while the connection was down again) with
   * `missingPrefixes` prefixes none of whose subscribers had come back; the events kept for them were dropped
   * (counted as `reconnectDrops`), the rest went. `"closed"`: the node closed during the hold; what it still kept
   * is counted as `closeDrops`, and `missingPrefixes` counts the prefixes not back by then. `heldMs` runs from the
   * disconnect. An outage while no prefix is subscribed holds nothing, and reports nothing.
   */
  | {
      readonly type: "reconnectHold";
      readonly phase: "ended";
      readonly reason: "complete" | "timeout" | "closed";
      readonly heldMs: number;
      readonly missingPrefixes: number;
    }
  | { readonly type: "error"; readonly error: Error }
  | { readonly type: "closed"; readonly error: Error | undefined };
