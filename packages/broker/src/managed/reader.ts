import type { XPublisher, XSubscriber } from "zeromq";

/** What {@link SocketReader.takeWaited} returns while the waiting receive has not completed. */
export const STILL_WAITING = Symbol("still waiting");

/** True for zeromq.js's EAGAIN: nothing to receive right now, or a send the socket refused. */
export function isAgain(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "EAGAIN";
}

interface Waiting {
  done: boolean;
  frames: Buffer[] | undefined;
  error: unknown;
  readonly settled: Promise<void>;
}

/**
 * One of the broker's sockets, read the cheap way. The socket's `receiveTimeout` is 0, so while messages are
 * queued a receive takes one at once (zeromq.js otherwise asks libzmq for the socket's events first: a poll(2)
 * per message). When the loop has nothing to do it calls {@link wait}: one receive that waits for the next message,
 * for a while or without limit. A pending waiting receive costs that events check on every send through the same
 * socket (zeromq.js re-checks a socket's readability after each send), so the XPUB's waits are kept short.
 */
export class SocketReader {
  readonly #socket: XPublisher | XSubscriber;
  readonly #onArrival: (frames: Buffer[]) => void;
  #waiting: Waiting | undefined;

  /** `onArrival` sees a message the moment a waiting receive gets it (to count it even while paused). */
  constructor(socket: XPublisher | XSubscriber, onArrival: (frames: Buffer[]) => void) {
    this.#socket = socket;
    this.#onArrival = onArrival;
  }

  /**
   * Starts a receive that waits up to `timeoutMs` (-1 = no limit) unless one is pending; resolves when it
   * completes, with a message or not.
   */
  wait(timeoutMs: number): Promise<void> {
    if (this.#waiting !== undefined) return this.#waiting.settled;
    const socket = this.#socket;
    let received: Promise<Buffer[]>;
    try {
      socket.receiveTimeout = timeoutMs;
      received = socket.receive();
    } catch (error) {
      // A socket closed under the loop throws at once; the loop sees the broker stopping.
      received = Promise.reject(error);
    } finally {
      if (!socket.closed) socket.receiveTimeout = 0;
    }
    const waiting: Waiting = {
      done: false,
      frames: undefined,
      error: undefined,
      settled: received.then(
        (frames) => {
          waiting.frames = frames;
          waiting.done = true;
          this.#onArrival(frames);
        },
        (error: unknown) => {
          waiting.done = true;
          if (!isAgain(error)) waiting.error = error;
        },
      ),
    };
    this.#waiting = waiting;
    return waiting.settled;
  }

  /**
   * What the waiting receive got: its message, undefined if there is none (no wait, or it gave up), or
   * {@link STILL_WAITING} while it is pending (the socket cannot be read meanwhile). Throws its error, if any.
   */
  takeWaited(): Buffer[] | undefined | typeof STILL_WAITING {
    const waiting = this.#waiting;
    if (waiting === undefined) return undefined;
    if (!waiting.done) return STILL_WAITING;
    this.#waiting = undefined;
    if (waiting.error !== undefined) throw waiting.error;
    return waiting.frames;
  }
}
