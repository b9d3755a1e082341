// Everything a zeromq.js socket receives, recorded by one reader that always has a receive pending, as a node's
// I/O loop has (libzmq only processes a socket's commands, such as "re-send your subscriptions after a
// reconnect", when the socket is used). A test can wait for several things in turn and check afterwards what
// else came.
import type { XPublisher, XSubscriber } from "zeromq";

/** A subscription notification as text: `+prefix` for a 0x01 frame, `-prefix` for 0x00, `?<hex>` otherwise. */
export function notificationText(frame: Buffer | undefined): string {
  const bytes = frame ?? Buffer.alloc(0);
  if (bytes[0] === 1) return `+${bytes.subarray(1).toString("utf8")}`;
  if (bytes[0] === 0) return `-${bytes.subarray(1).toString("utf8")}`;
  return `?${bytes.toString("hex")}`;
}

/** What a socket received, in order, with the time (performance.now()) each arrived. */
export interface Recording<T> {
  readonly entries: readonly { readonly value: T; readonly at: number }[];
  /** The values from index `from` on. */
  values(from?: number): T[];
  /**
   * Waits for a value equal to `expected` (compared as JSON) at index ≥ `from`; earlier arrivals count.
   * Resolves with its index; the error names what was expected and lists what came instead.
   */
  waitFor(expected: T, options?: { from?: number; ms?: number }): Promise<number>;
}

/** Starts reading `socket` until it is closed; from then on the recording is the socket's only reader. */
export function record<T>(
  socket: { receive(): Promise<Buffer[]> },
  decode: (frames: Buffer[]) => T,
  what: string,
): Recording<T> {
  const entries: { value: T; at: number }[] = [];
  const waiters = new Set<() => void>();
  void (async () => {
    try {
      for (;;) {
        const frames = await socket.receive();
        entries.push({ value: decode(frames), at: performance.now() });
        for (const waiter of [...waiters]) waiter();
      }
    } catch {
      // The socket was closed: the recording ends.
    }
  })();
  const values = (from = 0) => entries.slice(from).map((entry) => entry.value);
  return {
    entries,
    values,
    waitFor(expected, { from = 0, ms = 5000 } = {}) {
      const key = JSON.stringify(expected);
      const find = () => entries.findIndex((entry, i) => i >= from && JSON.stringify(entry.value) === key);
      const found = find();
      if (found >= 0) return Promise.resolve(found);
      return new Promise<number>((resolve, reject) => {
        const check = () => {
          const index = find();
          if (index < 0) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(index);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `timed out after ${ms} ms waiting for ${what} ${key} (from #${from}); got ${JSON.stringify(values())}`,
            ),
          );
        }, ms);
        waiters.add(check);
      });
    },
  };
}

/** The subscription notifications a node's XPUB receives, as `+prefix` / `-prefix`. */
export function recordNotifications(xpub: XPublisher): Recording<string> {
  return record(xpub, ([frame]) => notificationText(frame), "notification");
}

/** The messages a node's XSUB receives, frames as UTF-8 text. */
export function recordMessages(xsub: XSubscriber): Recording<string[]> {
  return record(xsub, (frames) => frames.map((frame) => frame.toString("utf8")), "message");
}
