import type { NodeStatus } from "./status.js";
import type { SendGate } from "./writer.js";

/** What the hold reports: its start and end, as the node's status events. */
export type HoldChange = Extract<NodeStatus, { type: "reconnectHold" }>;

/** A prefix as its subscription frames name it, with how many there were. */
interface Prefix {
  readonly bytes: Buffer;
  count: number;
}

/** During a hold: a prefix known before the outage, and how many of its subscribers have come back. */
interface Expected {
  readonly bytes: Buffer;
  readonly before: number;
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
  /** Subscription frames per prefix seen on the current connection (a prefix goes at its unsubscription). */
  private readonly live = new Map<string, Prefix>();
  /** During a hold: every prefix known before the outage. */
  private readonly expected = new Map<string, Expected>();
  /** Expected prefixes not all of whose subscribers are back. */
  private incomplete = 0;
  /** Whether a topic (by its bytes as latin1) may go: cached until the next prefix completes or an outage. */
  private readonly verdicts = new Map<string, boolean>();
  private connected = false;
  private timer: NodeJS.Timeout | undefined;
  /** When the hold began (the XPUB's disconnect), for its end's `heldMs`. */
  private startedAt = 0;

  /**
   * @param holdMs - the longest hold after the first reconnect; 0 turns the hold off.
   * @param release - called when the hold admits more: the writer's `releaseHeld()`.
   * @param expire - called when the hold ends at `holdMs`, with the test for what to drop: the writer's `dropHeld()`.
   * @param report - told when a hold starts and ends (the node's `reconnectHold` status events).
   */
  constructor(
    private readonly holdMs: number,
    private readonly release: () => void,
    private readonly expire: (unclaimed: (frames: readonly Uint8Array[]) => boolean) => void,
    private readonly report: (change: HoldChange) => void = () => {},
  ) {}

  /** A subscription (or unsubscription) frame arrived on the XPUB, for these prefix bytes. */
  subscriptionFrame(prefix: Buffer, subscribe: boolean): void {
    const key = prefix.toString("latin1");
    if (!subscribe) {
      this.live.delete(key);
      return;
    }
    const seen = this.live.get(key);
    if (seen) seen.count++;
    else this.live.set(key, { bytes: Buffer.from(prefix), count: 1 });
    if (!this.holding) return;
    // Counted whether or not the monitor has reported the reconnect yet: the two arrive on separate loops.
    const expected = this.expected.get(key);
    if (expected === undefined || ++expected.back !== expected.before) return;
    this.verdicts.clear();
    if (--this.incomplete === 0) this.end();
    else this.release();
  }

  /** The XPUB lost the broker: hold from now on, expecting every prefix known on the lost connection back. */
  disconnected(): void {
    this.connected = false;
    if (this.holdMs > 0) {
      // During a hold, what came back through the lost connection must come back again.
      for (const expected of this.expected.values()) expected.back = 0;
      for (const [key, prefix] of this.live)
        if (!this.expected.has(key))
          this.expected.set(key, { bytes: prefix.bytes, before: prefix.count, back: 0 });
      this.incomplete = this.expected.size;
      this.verdicts.clear();
      if (!this.holding) {
        this.holding = true;
        this.startedAt = Date.now();
        this.report({ type: "reconnectHold", phase: "started" });
      }
    }
    this.live.clear();
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
    const key = Buffer.from(topic.buffer, topic.byteOffset, topic.byteLength).toString("latin1");
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

  /** Stops any timer (the node closes). */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.holding = false;
  }

  /** `holdMs` after the first reconnect: drop what waits for a prefix nobody came back for; send the rest. */
  private timedOut(): void {
    this.timer = undefined;
    const gone = [...this.expected.values()].filter((expected) => expected.back === 0).map((e) => e.bytes);
    const ended = this.connected;
    if (ended) this.finish();
    // Disconnected again: what is held now is dropped as below; the hold goes on, timed from the next reconnect.
    else this.verdicts.clear();
    this.expire((frames) => matchesAny(frames[0], gone));
    // Reported once the drops are counted, so a listener sees them with the end.
    if (ended) this.reportEnd("timeout", gone.length);
  }

  /** Every subscriber known before the outage is back: everything kept goes. */
  private end(): void {
    this.finish();
    this.release();
    this.reportEnd("complete", 0);
  }

  private reportEnd(reason: "complete" | "timeout", missingPrefixes: number): void {
    this.report({
      type: "reconnectHold",
      phase: "ended",
      reason,
      heldMs: Date.now() - this.startedAt,
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

/** Whether a topic frame starts with the prefix (ZeroMQ's prefix matching, byte for byte). */
function startsWith(topic: Uint8Array, prefix: Buffer): boolean {
  return prefix.length <= topic.length && prefix.compare(topic, 0, prefix.length) === 0;
}

function matchesAny(topic: Uint8Array | undefined, prefixes: readonly Buffer[]): boolean {
  if (topic === undefined) return false;
  for (const prefix of prefixes) if (startsWith(topic, prefix)) return true;
  return false;
}
