import type { SendGate } from "./writer.js";

/**
 * What the publisher does after its XPUB lost the broker, so that events published across a broker restart are
 * delivered or counted instead of lost without a trace.
 *
 * Without it (Zeek's behaviour) the XPUB keeps queueing events while the broker is away and flushes them into the
 * new broker the moment it reconnects, before the subscribers have reconnected and re-sent their subscriptions
 * there: the broker's XPUB discards what nobody subscribes to yet, and nothing counts it.
 *
 * With it: from the XPUB's disconnect on, the pump keeps events back in the publish queue (bounded by
 * `publishQueueSize`, so a long outage costs counted `publishQueueDrops`, not memory). After the reconnect an event
 * goes as soon as this node sees a subscription matching its topic arrive again through the new broker — the
 * subscriber is back. The hold ends when every prefix known before the outage is back (what is still kept then
 * matches no subscriber, as before the outage, and is sent as any such event is), or `holdMs` after the reconnect:
 * then what is kept for a prefix that did not come back is dropped and counted (`reconnectDrops`), the rest sent.
 */
export class ReconnectHold implements SendGate {
  /** Read by the writer's pump for every message. */
  holding = false;
  private connected = false;
  /** Prefixes seen again since the reconnect: their events may go. */
  private claimed: Buffer[] = [];
  /** Prefixes known before the outage that have not been seen again. */
  private missing = new Map<string, Buffer>();
  private timer: NodeJS.Timeout | undefined;

  /**
   * @param holdMs - the longest hold after the reconnect; 0 turns the hold off.
   * @param release - called when the hold admits more: the writer's `releaseHeld()`.
   * @param expire - called when the hold ends at `holdMs`, with the test for what to drop: the writer's `dropHeld()`.
   */
  constructor(
    private readonly holdMs: number,
    private readonly release: () => void,
    private readonly expire: (unclaimed: (frames: readonly Uint8Array[]) => boolean) => void,
  ) {}

  /** The XPUB lost the broker; `known` is every prefix this node's XPUB has seen subscribed. */
  disconnected(known: Iterable<string>): void {
    if (this.holdMs <= 0) return;
    clearTimeout(this.timer);
    // A second outage during a hold: what was missing stays missing, and what came back must come back again.
    for (const prefix of known) if (!this.missing.has(prefix)) this.missing.set(prefix, Buffer.from(prefix));
    for (const prefix of this.claimed) this.missing.set(prefix.toString("utf8"), prefix);
    this.claimed = [];
    this.connected = false;
    this.holding = true;
  }

  /** The XPUB is connected to a broker again: the hold runs for at most `holdMs` from now. */
  reconnected(): void {
    if (!this.holding) return;
    this.connected = true;
    if (this.missing.size === 0) {
      this.end();
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const missing = [...this.missing.values()];
      this.holding = false;
      this.missing.clear();
      this.claimed = [];
      this.expire((frames) => matchesAny(frames[0], missing));
    }, this.holdMs);
    this.timer.unref();
  }

  /** A subscription arrived on the XPUB. */
  subscribed(prefix: string): void {
    if (!this.holding || !this.connected) return;
    this.claimed.push(Buffer.from(prefix));
    this.missing.delete(prefix);
    if (this.missing.size === 0) this.end();
    else this.release();
  }

  admits(frames: readonly Uint8Array[]): boolean {
    return matchesAny(frames[0], this.claimed);
  }

  /** Stops any timer (the node closes). */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.holding = false;
  }

  /** Every subscriber known before the outage is back: everything kept goes. */
  private end(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.holding = false;
    this.claimed = [];
    this.release();
  }
}

/** Whether a topic frame starts with one of the prefixes (ZeroMQ's prefix matching, byte for byte). */
function matchesAny(topic: Uint8Array | undefined, prefixes: readonly Buffer[]): boolean {
  if (topic === undefined) return false;
  for (const prefix of prefixes) {
    if (prefix.length > topic.length) continue;
    if (prefix.compare(topic, 0, prefix.length) === 0) return true;
  }
  return false;
}
