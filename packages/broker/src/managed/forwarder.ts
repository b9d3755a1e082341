import { setTimeout as delay, setImmediate as yieldToEventLoop } from "node:timers/promises";
import type { XPublisher, XSubscriber } from "zeromq";
import type { CounterWriter } from "./counters.js";
import { isAgain, SocketReader, STILL_WAITING } from "./reader.js";
import { Control, Slot, waitAsync } from "./shared.js";
import type { SubscriptionTable } from "./subscriptions.js";
import type { Tap } from "./tap.js";
import type { TopicCounter } from "./topics.js";

// Pauses between attempts to send to a subscriber at its HWM: zeromq.js reports EAGAIN from an XPUB at once
// (XPUB always polls writable, so `sendTimeout` never applies), and nothing signals when room frees up.
const RETRY_DELAYS_MS = [0, 1, 1, 2, 5];
const MAX_RETRY_DELAY_MS = 10;
// How often a busy loop lets the worker's event loop run.
const YIELD_EVERY_MS = 5;
// An idle loop's waiting receive on the XPUB lasts 1 ms, then 2, 4, … up to this while nothing happens: short after
// traffic (while it waits, every send costs an events check, see SocketReader), rare wake-ups when really idle.
const MAX_SUBSCRIPTION_WAIT_MS = 128;

/** How the forwarding loop behaves. */
export interface ForwarderSettings {
  /** Messages taken from one socket per round, so neither direction starves the other; 0 = no cap. */
  readonly pollMaxMessages: number;
  /** How long a message waits for a subscriber at its HWM before it is dropped. */
  readonly stuckWaitMs: number;
}

/** What the loop works on. */
export interface ForwarderParts {
  /** With `receiveTimeout` and `sendTimeout` 0. */
  readonly xsub: XSubscriber;
  /** With `receiveTimeout` and `sendTimeout` 0. */
  readonly xpub: XPublisher;
  readonly counters: CounterWriter;
  readonly subscriptions: SubscriptionTable;
  readonly topics: TopicCounter;
  readonly tap: Tap | undefined;
  /** The shared control words ({@link Control}). */
  readonly control: Int32Array;
}

function byteLength(frames: readonly Buffer[]): number {
  let bytes = 0;
  for (let i = 0; i < frames.length; i++) bytes += (frames[i] as Buffer).length;
  return bytes;
}

/**
 * The managed broker's forwarding loop: XSUB → XPUB (what nodes publish) and XPUB → XSUB (subscriptions), in
 * rounds of at most `pollMaxMessages` messages per socket, as Zeek's I/O thread polls.
 *
 * - One message at a time, so messages from one sender reach each receiver in order; frames are passed on as
 *   received (multipart intact).
 * - Counting follows libzmq 4.3.5's proxy: every frame is a message, bytes are the frames' sizes; a message is
 *   received when read and sent when the other socket took it.
 * - Pause stops reading before the next message. The first message published while paused is read (and counted
 *   as received) and held; everything after it queues up to the HWMs. Subscriptions wait in the XPUB (one may be
 *   held the same way if the loop was idle).
 * - Stuck subscriber (XPUB NODROP): libzmq refuses a message unless every subscriber it matches has room. A
 *   refused message is retried for up to `stuckWaitMs`, then dropped and counted. While a subscriber stays stuck
 *   (another refusal within `stuckWaitMs` of the last drop) messages that hit it are dropped and counted at once,
 *   so a dead subscriber costs one wait, not one per message; messages it does not match keep flowing. (NODROP
 *   is all or nothing: a dropped message reaches none of its subscribers. Without NODROP, libzmq itself skips a
 *   full subscriber, silently, and there is nothing to count.)
 */
export class Forwarder {
  readonly #parts: ForwarderParts;
  readonly #batch: number;
  readonly #stuckWaitMs: number;
  readonly #publications: SocketReader;
  readonly #subscriptionFrames: SocketReader;
  #stopping = false;
  #lastDropAt = Number.NEGATIVE_INFINITY;

  constructor(parts: ForwarderParts, settings: ForwarderSettings) {
    this.#parts = parts;
    this.#batch = settings.pollMaxMessages > 0 ? settings.pollMaxMessages : Number.POSITIVE_INFINITY;
    this.#stuckWaitMs = settings.stuckWaitMs;
    const { counters } = parts;
    this.#publications = new SocketReader(parts.xsub, (frames) => {
      counters.add(Slot.frontendMessagesReceived, frames.length);
      counters.add(Slot.frontendBytesReceived, byteLength(frames));
    });
    this.#subscriptionFrames = new SocketReader(parts.xpub, (frames) => {
      counters.add(Slot.backendMessagesReceived, frames.length);
      counters.add(Slot.backendBytesReceived, byteLength(frames));
    });
  }

  /** Forwards until {@link stop}; rejects if a socket fails for another reason. */
  async run(): Promise<void> {
    let lastYield = performance.now();
    let subscriptionWaitMs = 1;
    while (!this.#stopping) {
      if (this.#paused()) {
        // The XSUB gets a waiting receive even if the loop was busy: the first message to arrive is read (counted
        // as received) and held, whatever the loop was doing when pause() came, so a pause looks the same to
        // anyone watching the counters.
        void this.#publications.wait(-1);
        await this.#resumed();
        continue;
      }
      const forwarded = (await this.#forwardPublications()) + (await this.#forwardSubscriptions());
      if (this.#stopping) return;
      // An idle round waits until either socket has a message. A busy loop yields every few milliseconds, so
      // control messages and the counters' flush get their turn (a turn of the event loop costs tens of µs:
      // once per round of 100 messages would be 5% of the time).
      if (forwarded === 0) {
        await Promise.race([this.#publications.wait(-1), this.#subscriptionFrames.wait(subscriptionWaitMs)]);
        subscriptionWaitMs = Math.min(subscriptionWaitMs * 2, MAX_SUBSCRIPTION_WAIT_MS);
        lastYield = performance.now();
        continue;
      }
      subscriptionWaitMs = 1;
      if (performance.now() - lastYield >= YIELD_EVERY_MS) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
    }
  }

  /** Makes the loop return; the caller then closes the sockets, which ends any pending receive. */
  stop(): void {
    this.#stopping = true;
    Atomics.notify(this.#parts.control, Control.paused);
  }

  async #forwardPublications(): Promise<number> {
    const { xsub, xpub, counters, topics, tap } = this.#parts;
    let frames = this.#publications.takeWaited();
    if (frames === STILL_WAITING) return 0;
    const start = performance.now();
    let taken = 0;
    for (;;) {
      let bytes: number;
      if (frames === undefined) {
        if (taken >= this.#batch || this.#paused() || this.#roundTooLong(taken, start)) break;
        try {
          frames = await xsub.receive();
        } catch (error) {
          if (isAgain(error) || this.#stopping) break;
          throw error;
        }
        bytes = byteLength(frames);
        counters.add(Slot.frontendMessagesReceived, frames.length);
        counters.add(Slot.frontendBytesReceived, bytes);
      } else {
        bytes = byteLength(frames);
      }
      taken++;
      let sent = true;
      try {
        await xpub.send(frames);
      } catch (error) {
        sent = await this.#publishRefused(frames, error);
      }
      if (sent) {
        counters.add(Slot.backendMessagesSent, frames.length);
        counters.add(Slot.backendBytesSent, bytes);
        topics.count(frames[0]);
        tap?.record("xsub", frames, bytes);
      }
      frames = undefined;
    }
    return taken;
  }

  async #forwardSubscriptions(): Promise<number> {
    const { xsub, xpub, counters, subscriptions, tap } = this.#parts;
    let frames = this.#subscriptionFrames.takeWaited();
    if (frames === STILL_WAITING) return 0;
    const start = performance.now();
    let taken = 0;
    for (;;) {
      if (frames === undefined) {
        if (taken >= this.#batch || this.#paused() || this.#roundTooLong(taken, start)) break;
        try {
          frames = await xpub.receive();
        } catch (error) {
          if (isAgain(error) || this.#stopping) break;
          throw error;
        }
        counters.add(Slot.backendMessagesReceived, frames.length);
        counters.add(Slot.backendBytesReceived, byteLength(frames));
      }
      taken++;
      subscriptions.apply(frames);
      try {
        // An XSUB never refuses a send (it is lossy towards publishers), so there is nothing to wait for here.
        await xsub.send(frames);
      } catch (error) {
        if (this.#stopping) break;
        throw error;
      }
      const bytes = byteLength(frames);
      counters.add(Slot.frontendMessagesSent, frames.length);
      counters.add(Slot.frontendBytesSent, bytes);
      tap?.record("xpub", frames, bytes);
      frames = undefined;
    }
    return taken;
  }

  /** A send the XPUB refused: waits (bounded) for room, or drops and counts; false if the message is not sent. */
  async #publishRefused(frames: Buffer[], error: unknown): Promise<boolean> {
    if (this.#stopping) return false;
    if (!isAgain(error)) throw error;
    const start = performance.now();
    if (start - this.#lastDropAt >= this.#stuckWaitMs) {
      const deadline = start + this.#stuckWaitMs;
      for (let attempt = 0; ; attempt++) {
        const remaining = deadline - performance.now();
        if (remaining <= 0) break;
        const pause = Math.min(RETRY_DELAYS_MS[attempt] ?? MAX_RETRY_DELAY_MS, remaining);
        await (pause === 0 ? yieldToEventLoop() : delay(pause));
        if (this.#stopping) return false;
        try {
          await this.#parts.xpub.send(frames);
          return true;
        } catch (retryError) {
          if (this.#stopping) return false;
          if (!isAgain(retryError)) throw retryError;
        }
      }
    }
    this.#lastDropAt = performance.now();
    this.#parts.counters.add(Slot.droppedStuckSubscriber, 1);
    return false;
  }

  /** With no message cap (`pollMaxMessages` 0) a round still ends after a while, so the other socket gets its turn. */
  #roundTooLong(taken: number, start: number): boolean {
    return taken % 64 === 63 && performance.now() - start >= YIELD_EVERY_MS;
  }

  #paused(): boolean {
    return Atomics.load(this.#parts.control, Control.paused) !== 0;
  }

  async #resumed(): Promise<void> {
    while (this.#paused() && !this.#stopping) {
      const wait = waitAsync(this.#parts.control, Control.paused, 1);
      if (wait.async) await wait.value;
    }
  }
}
