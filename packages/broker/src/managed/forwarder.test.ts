// The forwarding loop's batching against stand-in sockets: at most `pollMaxMessages` messages from one socket before
// it turns to the other (Zeek's I/O thread polls the same way), every sender's order kept, and no cap with 0.
import { describe, expect, it } from "vitest";
import type { XPublisher, XSubscriber } from "zeromq";
import { CounterWriter } from "./counters.js";
import { Forwarder } from "./forwarder.js";
import { allocateSharedMemory } from "./shared.js";
import { SubscriptionTable } from "./subscriptions.js";
import { TopicCounter } from "./topics.js";

const again = () => Object.assign(new Error("Resource temporarily unavailable"), { code: "EAGAIN" });

/** A socket with a queue of incoming messages that records what is sent through it, as zeromq.js behaves. */
class StandIn {
  receiveTimeout = 0;
  closed = false;
  readonly #queue: Buffer[][] = [];
  #waiter: ((frames: Buffer[] | undefined) => void) | undefined;

  constructor(
    readonly name: string,
    readonly sent: string[],
    incoming: string[],
  ) {
    for (const text of incoming) this.#queue.push([Buffer.from(text)]);
  }

  receive(): Promise<Buffer[]> {
    const next = this.#queue.shift();
    if (next !== undefined) return Promise.resolve(next);
    if (this.receiveTimeout === 0) return Promise.reject(again());
    // A waiting receive: nothing more ever comes here, so it ends with EAGAIN after its timeout or at close.
    return new Promise((resolve, reject) => {
      const timer =
        this.receiveTimeout > 0 ? setTimeout(() => reject(again()), this.receiveTimeout) : undefined;
      this.#waiter = (frames) => {
        clearTimeout(timer);
        frames === undefined
          ? reject(Object.assign(new Error("closed"), { code: "EBADF" }))
          : resolve(frames);
      };
    });
  }

  async send(frames: Buffer[]): Promise<void> {
    this.sent.push(`${this.name}:${frames.map((frame) => frame.toString()).join("|")}`);
  }

  close(): void {
    this.closed = true;
    this.#waiter?.(undefined);
  }
}

async function forward(pollMaxMessages: number, publications: string[], subscriptions: string[]) {
  const sent: string[] = [];
  // What nodes publish arrives on the XSUB and leaves through the XPUB; subscriptions the other way.
  const xsub = new StandIn("xsub", sent, publications);
  const xpub = new StandIn("xpub", sent, subscriptions);
  const memory = allocateSharedMemory();
  const forwarder = new Forwarder(
    {
      xsub: xsub as unknown as XSubscriber,
      xpub: xpub as unknown as XPublisher,
      counters: new CounterWriter(memory),
      subscriptions: new SubscriptionTable(),
      topics: new TopicCounter(),
      tap: undefined,
      control: new Int32Array(memory.control),
    },
    { pollMaxMessages, stuckWaitMs: 100 },
  );
  const running = forwarder.run().catch(() => {});
  const total = publications.length + subscriptions.length;
  while (sent.length < total) await new Promise((resolve) => setImmediate(resolve));
  forwarder.stop();
  xsub.close();
  xpub.close();
  await running;
  // In the order the loop sent them: publications out of the XPUB as they are, subscriptions up the XSUB as ↑.
  return sent.map((entry) => (entry.startsWith("xpub:") ? entry.slice(5) : `↑${entry.slice(5)}`));
}

const publications = ["p1", "p2", "p3", "p4", "p5"];
const subscriptions = ["\x01s1", "\x01s2", "\x01s3"];

describe("the managed forwarding loop", () => {
  it("takes at most pollMaxMessages from one socket per round, then turns to the other, keeping each socket's order", async () => {
    expect(await forward(2, publications, subscriptions)).toEqual([
      "p1",
      "p2",
      "↑\x01s1",
      "↑\x01s2",
      "p3",
      "p4",
      "↑\x01s3",
      "p5",
    ]);
  });

  it("with pollMaxMessages 0, empties one socket before turning to the other", async () => {
    expect(await forward(0, publications, subscriptions)).toEqual([
      "p1",
      "p2",
      "p3",
      "p4",
      "p5",
      "↑\x01s1",
      "↑\x01s2",
      "↑\x01s3",
    ]);
  });
});
