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
   * The XPUB lost the broker and `reconnectHoldMs` is on: events are kept back from now on, until their subscribers
   * are back at the broker (once per outage; a connection that drops again during the hold does not repeat it).
   */
  | { readonly type: "reconnectHold"; readonly phase: "started" }
  /**
   * The hold is over and what it kept has been released. `"complete"`: every subscriber known before the outage is
   * back. `"timeout"`: `reconnectHoldMs` after the reconnect, `missingPrefixes` prefixes had none of their
   * subscribers back, and the events kept for them were dropped (counted as `reconnectDrops`). `heldMs` runs from
   * the disconnect.
   */
  | {
      readonly type: "reconnectHold";
      readonly phase: "ended";
      readonly reason: "complete" | "timeout";
      readonly heldMs: number;
      readonly missingPrefixes: number;
    }
  | { readonly type: "error"; readonly error: Error }
  | { readonly type: "closed"; readonly error: Error | undefined };
