/** A node's counters: everything it sent, received and dropped, by cause. */
export interface NodeStats {
  /** Events handed to ZeroMQ. */
  readonly eventsPublished: number;
  /**
   * Events received from other nodes and decoded. Each ends in exactly one outcome: delivered to at least one
   * handler, or counted once in `onloopDrops`, `typeErrors` or `unhandledEvents`.
   */
  readonly eventsReceived: number;
  /** Zeek's `xpub_drops`: events ZeroMQ refused at the XPUB's HWM (NODROP). */
  readonly xpubDrops: number;
  /** Events publish() could not queue because the publish queue was full (Zeek blocks here instead). */
  readonly publishQueueDrops: number;
  /** Events still queued when the node was closed without draining. */
  readonly closeDrops: number;
  /**
   * Events kept back across a broker reconnection (`reconnectHoldMs`) for a subscription known before the outage
   * that did not come back within the hold, dropped then.
   */
  readonly reconnectDrops: number;
  /**
   * Zeek's `onloop_drops`: received events dropped because every queue that would have taken them (`events()`
   * streams) held `onloopQueueHwm` events. Counted once per event, however many queues refused it.
   */
  readonly onloopDrops: number;
  /**
   * Per-queue refusals: one for each `events()` queue that was full when an event for it arrived. An event that
   * another handler still took counts here but not in `onloopDrops`.
   */
  readonly handlerQueueDrops: number;
  /** Zeek's `msg_errors`: messages with the wrong number of frames. */
  readonly msgErrors: number;
  /** Events in a format other than this node's (Zeek: "Wrong format"). */
  readonly formatErrors: number;
  /** Payloads that did not decode. */
  readonly decodeErrors: number;
  /** Events that no handler took because their arguments did not fit the handlers' definitions (once per event). */
  readonly typeErrors: number;
  /** Events no handler was registered for (Zeek: "Failed to lookup handler"). */
  readonly unhandledEvents: number;
  /**
   * Unexpected errors caught inside the node's loops (a `log` callback that throws, say); each is also emitted as an
   * `error` status, and the loop goes on.
   */
  readonly internalErrors: number;
  /** Our own events echoed back by the broker and dropped, as Zeek drops them. */
  readonly selfEchoes: number;
  /** Status updates a full status() stream (10 000 unread) could not take. */
  readonly statusDrops: number;
  /** Events waiting in handler queues now. */
  readonly pendingEvents: number;
  /**
   * Messages waiting in the publish queue now (events, or batches with batching), those kept back across a broker
   * reconnection included.
   */
  readonly pendingPublishes: number;
}

/** The mutable counters behind {@link NodeStats}. */
export function emptyCounters() {
  return {
    eventsPublished: 0,
    eventsReceived: 0,
    xpubDrops: 0,
    publishQueueDrops: 0,
    closeDrops: 0,
    reconnectDrops: 0,
    onloopDrops: 0,
    handlerQueueDrops: 0,
    msgErrors: 0,
    formatErrors: 0,
    decodeErrors: 0,
    typeErrors: 0,
    unhandledEvents: 0,
    internalErrors: 0,
    selfEchoes: 0,
    statusDrops: 0,
  };
}

/** The counters of {@link emptyCounters}. */
export type Counters = ReturnType<typeof emptyCounters>;
