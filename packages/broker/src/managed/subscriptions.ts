const UNSUBSCRIBE = 0;
const SUBSCRIBE = 1;

/**
 * The live subscription table, prefix → number of subscribers, kept from the frames the XPUB reads. With
 * `ZMQ_XPUB_VERBOSER` libzmq passes on every subscribe and unsubscribe of every subscriber (one frame each, and an
 * unsubscribe per prefix when a subscriber disconnects), so counting them gives the number of subscribers.
 */
export class SubscriptionTable {
  readonly #counts = new Map<string, number>();

  /** Applies one message read from the XPUB; anything but a single `0x00`/`0x01` frame is not a subscription. */
  apply(frames: readonly Buffer[]): void {
    const frame = frames[0];
    if (frames.length !== 1 || frame === undefined || frame.length === 0) return;
    const kind = frame[0];
    if (kind !== SUBSCRIBE && kind !== UNSUBSCRIBE) return;
    const prefix = frame.toString("utf8", 1);
    const count = (this.#counts.get(prefix) ?? 0) + (kind === SUBSCRIBE ? 1 : -1);
    // An unsubscribe without a subscribe (one from before a restart) must not leave a negative count behind.
    if (count > 0) this.#counts.set(prefix, count);
    else this.#counts.delete(prefix);
  }

  snapshot(): Map<string, number> {
    return new Map(this.#counts);
  }
}
