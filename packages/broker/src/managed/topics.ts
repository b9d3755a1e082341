/** The key under which messages on topics beyond {@link MAX_TOPICS} are counted. */
export const OTHER_TOPICS = "(other)";

/**
 * At most this many distinct topics are counted one by one, so a publisher inventing topics cannot grow the
 * broker's memory without bound (Zeek's topics are per node and per pool: a few hundred in a large cluster).
 */
export const MAX_TOPICS = 10_000;

interface Tally {
  count: number;
}

/** Messages forwarded per topic (the first frame, as UTF-8). */
export class TopicCounter {
  readonly #tallies = new Map<string, Tally>();
  // Consecutive messages often share a topic: comparing bytes is cheaper than decoding them and a map lookup.
  #lastTopic: Buffer | undefined;
  #lastTally: Tally | undefined;

  count(topic: Buffer | undefined): void {
    if (topic !== undefined && this.#lastTally !== undefined && this.#lastTopic?.equals(topic)) {
      this.#lastTally.count++;
      return;
    }
    let key = topic === undefined ? "" : topic.toString("utf8");
    let tally = this.#tallies.get(key);
    if (tally === undefined && this.#tallies.size >= MAX_TOPICS) {
      key = OTHER_TOPICS;
      tally = this.#tallies.get(key);
    }
    if (tally === undefined) {
      tally = { count: 0 };
      this.#tallies.set(key, tally);
    }
    tally.count++;
    // Beyond the limit every new topic lands in OTHER_TOPICS: remembering one of them would misattribute others.
    this.#lastTopic = key === OTHER_TOPICS ? undefined : topic;
    this.#lastTally = tally;
  }

  snapshot(): Map<string, bigint> {
    return new Map(Array.from(this.#tallies, ([topic, tally]) => [topic, BigInt(tally.count)]));
  }
}
