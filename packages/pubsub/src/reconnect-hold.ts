import { keyOf, LiveSubscriptions, startsWith } from "./live-subscriptions.js";
import type { NodeStatus } from "./status.js";
import type { SendGate } from "./writer.js";

/** What the hold reports: its start and end, as the node's status events. */
export type HoldChange = Extract<NodeStatus, { type: "reconnectHold" }>;

/** During a hold: a prefix known before the outage, and how many of its subscribers have come back. */
interface Expected {
  readonly bytes: Buffer;
  before: number;
  back: number;
}

/**
 * What the publisher does after its XPUB lost the broker, so that events published across a broker restart are
 * delivered or counted instead of lost without a trace.
 *
 * Without it (Zeek's behaviour) the XPUB keeps queueing events while the broker is away and flushes them into the
 * new broker the moment it reconnects, before the subscribers have reconnected and re-sent their subscriptions
 * there: the broker's XPUB discards what nobody subscribes to yet, and nothing counts it.
 *
 * With it: from the XPUB's disconnect on, the pump keeps events back in the publish queue (bounded by
 * `publishQueueSize`, so a long outage costs counted `publishQueueDrops`, not memory). The XPUB is VERBOSE, so the
 * node sees one subscription frame per subscriber of a prefix: an event goes once every prefix that matches its
 * topic has had as many subscription frames through the new connection as it had before the outage — all its
 * subscribers are back. An event no prefix matched before the outage goes at once (nobody wanted it; the XPUB
 * discards it as before). The hold ends when every prefix is back, or `holdMs` after the first reconnect: then what
 * is kept for a prefix none of whose subscribers came back is dropped and counted (`reconnectDrops`), and the rest
 * (some of its subscribers are back) is sent.
 *
 * The counts only err upwards (a subscriber that left while another kept the prefix sends no unsubscription
 * through a VERBOSE XPUB; a node that subscribed twice sends two frames but re-subscribes once), which costs
 * waiting up to `holdMs`, never a drop.
 */
export class ReconnectHold implements SendGate {
  /** Read by the writer's pump for every message. */
  holding = false;
  /** During a hold: every prefix known before the outage. */
  private readonly expected = new Map<string, Expected>();
  /** Expected prefixes not all of whose subscribers are back. */
  private incomplete = 0;
  /** Whether a topic (by its bytes as latin1) may go: cached until the next prefix completes or an outage. */
  private readonly verdicts = new Map<string, boolean>();
  private connected = false;
  private timer: NodeJS.Timeout | undefined;
  /** When the hold began (the XPUB's disconnect; a monotonic clock), for its end's `heldMs`. */
  private startedAt = 0;
  /** Prefixes this hold gave up on at `holdMs` (their events dropped), for its end's report. */
  private forgotten = 0;
  /** Whether `holdMs` ran out during this hold (then it ends as "timeout", whenever it ends). */
  private timedOutOnce = false;
  /**
   * Prefixes this node unsubscribed itself on the current connection: its own frame may still be counted live (the
   * broker does not pass an unsubscription on while others hold the prefix, and an echo can be on its way), but its
   * XSUB will not subscribe them again after an outage, so the hold must not wait for that frame.
   */
  private readonly ownLeft = new Set<string>();

  /**
   * @param holdMs - the longest hold after the first reconnect; 0 turns the hold off.
   * @param release - called when the hold admits more: the writer's `releaseHeld()`.
   * @param expire - called when the hold ends at `holdMs`, with the test for what to drop: the writer's `dropHeld()`.
   * @param report - told when a hold starts and ends (the node's `reconnectHold` status events).
   * @param live - the prefixes seen on the current connection, which the hold keeps up to date (the node reads
   *   it for `waitForSubscriber()`).
   */
  constructor(
    private readonly holdMs: number,
    private readonly release: () => void,
    private readonly expire: (unclaimed: (frames: readonly Uint8Array[]) => boolean) => void,
    private readonly report: (change: HoldChange) => void = () => {},
    private readonly live = new LiveSubscriptions(),
  ) {}

  /** A subscription (or unsubscription) frame arrived on the XPUB, for these prefix bytes. */
  subscriptionFrame(prefix: Uint8Array, subscribe: boolean): void {
    this.live.frame(prefix, subscribe);
    if (!subscribe || !this.holding) return;
    const key = keyOf(prefix);
    // Counted whether or not the monitor has reported the reconnect yet: the two arrive on separate loops.
    const expected = this.expected.get(key);
    if (expected === undefined || ++expected.back !== expected.before) return;
    this.prefixComplete();
  }

  /** This node subscribed to the prefix itself (its XSUB will subscribe it again after an outage). */
  ownSubscription(prefix: Uint8Array): void {
    this.ownLeft.delete(keyOf(prefix));
  }

  /** This node unsubscribed the prefix itself: after an outage, its own subscription frame will not come back. */
  ownUnsubscription(prefix: Uint8Array): void {
    const key = keyOf(prefix);
    if (!this.holding) {
      this.ownLeft.add(key);
      return;
    }
    const expected = this.expected.get(key);
    if (expected === undefined) return;
    const wasBack = expected.back >= expected.before;
    expected.before--;
    if (expected.before <= 0) this.expected.delete(key);
    if (wasBack || (expected.before > 0 && expected.back < expected.before)) return;
    // Its other subscribers are all back, or it had none: the prefix no longer holds anything back.
    this.prefixComplete();
  }

  /** One more expected prefix holds nothing back now: end the hold once none does, else release what may go. */
  private prefixComplete(): void {
    this.verdicts.clear();
    if (--this.incomplete === 0) this.end();
    else this.release();
  }

  /**
   * The XPUB lost the broker: hold from now on, expecting every prefix known on the lost connection back (less this
   * node's own frames for prefixes it has left). With no prefix to wait for, there is no hold.
   */
  disconnected(): void {
    this.connected = false;
    if (this.holdMs > 0) {
      // During a hold, what came back through the lost connection must come back again.
      for (const expected of this.expected.values()) expected.back = 0;
      for (const [key, prefix] of this.live.entries()) {
        const before = prefix.count - (this.ownLeft.has(key) ? 1 : 0);
        if (before > 0 && !this.expected.has(key))
          this.expected.set(key, { bytes: prefix.bytes, before, back: 0 });
      }
      this.incomplete = this.expected.size;
      this.verdicts.clear();
      if (!this.holding && this.expected.size > 0) {
        this.holding = true;
        this.startedAt = performance.now();
        this.forgotten = 0;
        this.timedOutOnce = false;
        this.report({ type: "reconnectHold", phase: "started" });
      }
    }
    this.live.clear();
    this.ownLeft.clear();
  }

  /**
   * The XPUB is connected to a broker again. The hold's clock starts at the first reconnect after the outage and
   * is not restarted by a connection that comes and goes (a handshake that keeps failing, say).
   */
  reconnected(): void {
    this.connected = true;
    if (!this.holding) return;
    if (this.incomplete === 0) {
      this.end();
      return;
    }
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => this.timedOut(), this.holdMs);
    this.timer.unref();
  }

  admits(frames: readonly Uint8Array[]): boolean {
    const topic = frames[0];
    if (topic === undefined) return true;
    const key = keyOf(topic);
    let verdict = this.verdicts.get(key);
    if (verdict === undefined) {
      verdict = true;
      for (const expected of this.expected.values())
        if (expected.back < expected.before && startsWith(topic, expected.bytes)) {
          verdict = false;
          break;
        }
      this.verdicts.set(key, verdict);
    }
    return verdict;
  }

  /** Stops any timer (the node closes); a hold still on ends as "closed" (what it kept is the node's closeDrops). */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.holding) return;
    const notBack = [...this.expected.values()].filter((expected) => expected.back === 0).length;
    this.holding = false;
    this.reportEnd("closed", this.forgotten + notBack);
  }

  /** `holdMs` after the first reconnect: drop what waits for a prefix nobody came back for; send the rest. */
  private timedOut(): void {
    this.timer = undefined;
    const gone = [...this.expected.values()].filter((expected) => expected.back === 0).map((e) => e.bytes);
    this.timedOutOnce = true;
    this.forgotten += gone.length;
    const ended = this.connected;
    if (ended) this.finish();
    // Disconnected again: what is held now is dropped as below; the hold goes on, timed from the next reconnect.
    else this.verdicts.clear();
    this.expire((frames) => matchesAny(frames[0], gone));
    // Reported once the drops are counted, so a listener sees them with the end.
    if (ended) this.reportEnd("timeout", this.forgotten);
  }

  /** Every subscriber known before the outage is back: everything kept goes. */
  private end(): void {
    this.finish();
    this.release();
    // A hold that timed out while disconnected again has dropped events already: it did not end complete.
    this.reportEnd(this.timedOutOnce ? "timeout" : "complete", this.forgotten);
  }

  private reportEnd(reason: "complete" | "timeout" | "closed", missingPrefixes: number): void {
    this.report({
      type: "reconnectHold",
      phase: "ended",
      reason,
      heldMs: Math.round(performance.now() - this.startedAt),
      missingPrefixes,
    });
  }

  private finish(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.holding = false;
    this.expected.clear();
    this.incomplete = 0;
    this.verdicts.clear();
  }
}

function matchesAny(topic: Uint8Array | undefined, prefixes: readonly Buffer[]): boolean {
  if (topic === undefined) return false;
  for (const prefix of prefixes) if (startsWith(topic, prefix)) return true;
  return false;
}
