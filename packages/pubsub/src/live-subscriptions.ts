/** A prefix as its subscription frames name it, with how many there were. */
export interface LivePrefix {
  readonly bytes: Buffer;
  count: number;
}

/**
 * The prefixes this node's XPUB has seen subscribed on its current connection to the broker, by their bytes (a
 * prefix need not be UTF-8: ZeroMQ matches bytes), each with its number of subscription frames (the XPUB is
 * VERBOSE: one per subscriber). Forgotten when the connection is lost: the next broker replays what it has.
 */
export class LiveSubscriptions {
  private readonly prefixes = new Map<string, LivePrefix>();

  /** A subscription (or unsubscription) frame for these prefix bytes; true when the prefix is new. */
  frame(prefix: Uint8Array, subscribe: boolean): boolean {
    const key = keyOf(prefix);
    if (!subscribe) {
      this.prefixes.delete(key);
      return false;
    }
    const seen = this.prefixes.get(key);
    if (seen) {
      seen.count++;
      return false;
    }
    this.prefixes.set(key, { bytes: Buffer.from(prefix), count: 1 });
    return true;
  }

  /** The XPUB lost the broker: what it saw is no longer known to hold. */
  clear(): void {
    this.prefixes.clear();
  }

  /** Whether a prefix of these topic bytes is subscribed: whether ZeroMQ would pass an event on this topic. */
  matches(topic: Uint8Array): boolean {
    for (const prefix of this.prefixes.values()) if (startsWith(topic, prefix.bytes)) return true;
    return false;
  }

  /** Every live prefix, keyed as {@link keyOf} keys them. */
  entries(): IterableIterator<[string, LivePrefix]> {
    return this.prefixes.entries();
  }
}

/** A map key for prefix bytes that keeps every byte (latin1 maps bytes to code points one to one). */
export function keyOf(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

/** Whether a topic frame starts with the prefix (ZeroMQ's prefix matching, byte for byte). */
export function startsWith(topic: Uint8Array, prefix: Buffer): boolean {
  return prefix.length <= topic.length && prefix.compare(topic, 0, prefix.length) === 0;
}
