import { type FileHandle, open } from "node:fs/promises";

/** Which socket a tapped message was read from: `xsub` = published by a node, `xpub` = a subscription frame. */
export type TapSource = "xsub" | "xpub";

// What the tap may hold before it drops: it must never slow forwarding down or grow without bound.
const MAX_QUEUED_MESSAGES = 10_000;
const MAX_QUEUED_BYTES = 16 * 1024 * 1024;
// Messages encoded per write, so one write never holds the worker's thread for long.
const MESSAGES_PER_WRITE = 256;

type TapEntry =
  | {
      readonly t: number;
      readonly from: TapSource;
      readonly frames: readonly Buffer[];
      readonly bytes: number;
    }
  | { readonly t: number; readonly dropped: number };

/**
 * The debugging tap: appends every forwarded message to a file, one JSON object per line.
 *
 * - The first line is a header: `{"format":"zmqc-broker-tap","version":1,"started":"<ISO 8601 time>"}`.
 * - A message: `{"t":12.345,"from":"xsub","frames":4,"data":["<base64>",…]}` — `t` is monotonic milliseconds
 *   since `started`, `from` is `xsub` for what nodes published (forwarded to the XPUB) and `xpub` for
 *   subscription frames (forwarded to the XSUB), `data` the frames in order.
 * - A gap: `{"t":…,"dropped":17}` — that many messages were forwarded but not recorded here because the file
 *   could not keep up.
 *
 * Records are queued (bounded by count and bytes) and written asynchronously; when the queue is full the message
 * is counted as dropped instead of slowing forwarding down.
 */
export class Tap {
  readonly #file: FileHandle;
  readonly #origin = performance.now();
  readonly #onDrop: () => void;
  #queue: TapEntry[] = [];
  #queuedBytes = 0;
  #gap = 0;
  #writing: Promise<void> | undefined;
  #failed = false;

  private constructor(file: FileHandle, onDrop: () => void) {
    this.#file = file;
    this.#onDrop = onDrop;
  }

  /** Opens (appends to) the file and writes the header; `onDrop` is called for every message not recorded. */
  static async open(path: string, onDrop: () => void): Promise<Tap> {
    const file = await open(path, "a");
    const tap = new Tap(file, onDrop);
    try {
      await file.write(
        `${JSON.stringify({ format: "zmqc-broker-tap", version: 1, started: new Date().toISOString() })}\n`,
      );
    } catch (error) {
      await file.close();
      throw error;
    }
    return tap;
  }

  /** Queues one forwarded message; O(1), never waits. */
  record(from: TapSource, frames: readonly Buffer[], bytes: number): void {
    if (
      this.#failed ||
      this.#queue.length >= MAX_QUEUED_MESSAGES ||
      this.#queuedBytes + bytes > MAX_QUEUED_BYTES
    ) {
      this.#gap++;
      this.#onDrop();
      return;
    }
    const t = performance.now() - this.#origin;
    if (this.#gap > 0) {
      this.#queue.push({ t, dropped: this.#gap });
      this.#gap = 0;
    }
    this.#queue.push({ t, from, frames, bytes });
    this.#queuedBytes += bytes;
    this.#writing ??= this.#drain();
  }

  /** Writes what is queued (and a final gap record), then closes the file. */
  async close(): Promise<void> {
    await this.#writing;
    if (this.#gap > 0 && !this.#failed) {
      this.#queue.push({ t: performance.now() - this.#origin, dropped: this.#gap });
      this.#gap = 0;
      await this.#drain();
    }
    await this.#file.close();
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0 && !this.#failed) {
      const batch = this.#queue.splice(0, MESSAGES_PER_WRITE);
      let text = "";
      for (const entry of batch) {
        if ("dropped" in entry) {
          text += `{"t":${entry.t.toFixed(3)},"dropped":${entry.dropped}}\n`;
          continue;
        }
        this.#queuedBytes -= entry.bytes;
        const data = entry.frames.map((frame) => frame.toString("base64"));
        text += `{"t":${entry.t.toFixed(3)},"from":"${entry.from}","frames":${entry.frames.length},"data":${JSON.stringify(data)}}\n`;
      }
      try {
        await this.#file.write(text);
      } catch {
        // A full disk or a vanished file must not stop the broker: stop tapping and count what is lost.
        this.#failed = true;
        const lost = [...batch, ...this.#queue].filter((entry) => !("dropped" in entry)).length;
        this.#queue = [];
        this.#queuedBytes = 0;
        for (let i = 0; i < lost; i++) this.#onDrop();
      }
    }
    this.#writing = undefined;
  }
}
