/** A node's counters: everything it sent, received and dropped, by cause. */
export interface NodeStats {
  /** Events handed to ZeroMQ. */
  readonly eventsPublished: number;
  /** Events received from other nodes and decoded. */
  readonly eventsReceived: number;
  /** Zeek's `xpub_drops`: events ZeroMQ refused at the XPUB's HWM (NODROP). */
  readonly xpubDrops: number;
  /** Events publish() could not queue because the publish queue was full (Zeek blocks here instead). */
  readonly publishQueueDrops: number;
  /** Events still queued when the node was closed without draining. */
  readonly closeDrops: number;
  /** Zeek's `onloop_drops`: received events dropped because the handler queues held `onloopQueueHwm` events. */
  readonly onloopDrops: number;
  /** Zeek's `msg_errors`: messages with the wrong number of frames. */
  readonly msgErrors: number;
  /** Events in a format other than this node's (Zeek: "Wrong format"). */
  readonly formatErrors: number;
  /** Payloads that did not decode. */
  readonly decodeErrors: number;
  /** Events whose arguments did not fit the handler's definition. */
  readonly typeErrors: number;
  /** Events no handler took (Zeek: "Failed to lookup handler"). */
  readonly unhandledEvents: number;
  /** Our own events echoed back by the broker and dropped, as Zeek drops them. */
  readonly selfEchoes: number;
  /** Status updates a full status() stream (10 000 unread) could not take. */
  readonly statusDrops: number;
  /** Events waiting in handler queues now. */
  readonly pendingEvents: number;
  /** Events waiting in the publish queue now. */
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
    onloopDrops: 0,
    msgErrors: 0,
    formatErrors: 0,
    decodeErrors: 0,
    typeErrors: 0,
    unhandledEvents: 0,
    selfEchoes: 0,
    statusDrops: 0,
  };
}

/** The counters of {@link emptyCounters}. */
export type Counters = ReturnType<typeof emptyCounters>;
