// A fault-injection TCP relay: a listener on 127.0.0.1 (OS-assigned port) that forwards every connection to a
// target, and on command delays what it forwards, stalls (stops reading, so TCP backpressure builds up), cuts every
// connection, or cuts the next connection that sends something towards the target in the middle of what it sent
// (a ZMTP frame torn in two).
import { createServer, type Server, Socket } from "node:net";

/** What the relay has done so far. */
export interface RelayStats {
  readonly connections: number;
  readonly cuts: number;
  readonly midFrameCuts: number;
  readonly bytesUp: number;
  readonly bytesDown: number;
}

/** A running relay. */
export interface Relay {
  /** `tcp://127.0.0.1:<port>`: connect here instead of to the target. */
  readonly endpoint: string;
  /** Holds everything it forwards (both ways) for `ms` from now on; 0 stops delaying. */
  delay(ms: number): void;
  /** Stops forwarding (and reading) until {@link resume}. */
  stall(): void;
  resume(): void;
  /** Destroys every open connection, both sides; the client sees its connection reset and reconnects. */
  cut(): number;
  /**
   * Arms a cut: the next data towards the target is forwarded only in part (its first half), then both sides of
   * that connection are destroyed. Resolves when that has happened.
   */
  cutMidFrame(): Promise<void>;
  /** Open connections now. */
  open(): number;
  stats(): RelayStats;
  close(): Promise<void>;
}

interface Link {
  readonly client: Socket;
  readonly upstream: Socket;
  readonly flushers: (() => void)[];
}

/** Starts a relay to `target` (`tcp://host:port`). */
export async function startRelay(target: string): Promise<Relay> {
  const [, host, port] = /^tcp:\/\/(.+):(\d+)$/.exec(target) ?? [];
  if (host === undefined || port === undefined) throw new Error(`not a tcp:// endpoint: ${target}`);
  const links = new Set<Link>();
  let delayMs = 0;
  let stalled = false;
  let armedCut: (() => void) | undefined;
  const stats = { connections: 0, cuts: 0, midFrameCuts: 0, bytesUp: 0, bytesDown: 0 };

  const destroy = (link: Link) => {
    link.client.destroy();
    link.upstream.destroy();
    links.delete(link);
  };

  /** Forwards `from` → `to` through a FIFO that honours the delay, the stall and an armed mid-frame cut. */
  const forward = (link: Link, from: Socket, to: Socket, up: boolean) => {
    const queue: { chunk: Buffer; due: number }[] = [];
    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      timer = undefined;
      while (queue.length > 0 && !stalled && !to.destroyed) {
        const head = queue[0] as { chunk: Buffer; due: number };
        const wait = head.due - performance.now();
        if (wait > 0) {
          timer = setTimeout(flush, wait);
          return;
        }
        queue.shift();
        if (up && armedCut !== undefined) {
          const done = armedCut;
          armedCut = undefined;
          stats.midFrameCuts++;
          to.write(head.chunk.subarray(0, Math.max(1, head.chunk.length >> 1)), () => {
            destroy(link);
            done();
          });
          return;
        }
        if (up) stats.bytesUp += head.chunk.length;
        else stats.bytesDown += head.chunk.length;
        to.write(head.chunk);
      }
      if (queue.length < 64 && !stalled && from.isPaused()) from.resume();
    };
    from.on("data", (chunk: Buffer) => {
      queue.push({ chunk, due: performance.now() + delayMs });
      // A bounded queue: beyond it the relay stops reading, and TCP pushes back on the sender.
      if (queue.length >= 64 || stalled) from.pause();
      if (timer === undefined) flush();
    });
    link.flushers.push(() => {
      clearTimeout(timer);
      flush();
    });
  };

  const server: Server = createServer((client) => {
    const upstream = new Socket();
    const link: Link = { client, upstream, flushers: [] };
    links.add(link);
    stats.connections++;
    for (const socket of [client, upstream]) {
      socket.on("error", () => destroy(link));
      socket.on("close", () => destroy(link));
      socket.setNoDelay(true);
    }
    if (stalled) client.pause();
    forward(link, client, upstream, true);
    forward(link, upstream, client, false);
    upstream.connect(Number(port), host);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the relay has no TCP address");

  return {
    endpoint: `tcp://127.0.0.1:${address.port}`,
    delay(ms) {
      delayMs = ms;
    },
    stall() {
      stalled = true;
      for (const link of links) {
        link.client.pause();
        link.upstream.pause();
      }
    },
    resume() {
      stalled = false;
      for (const link of links) {
        link.client.resume();
        link.upstream.resume();
        for (const flush of link.flushers) flush();
      }
    },
    cut() {
      const count = links.size;
      for (const link of [...links]) destroy(link);
      stats.cuts += count;
      return count;
    },
    cutMidFrame() {
      return new Promise<void>((resolve) => {
        armedCut = resolve;
      });
    },
    open: () => links.size,
    stats: () => ({ ...stats }),
    async close() {
      for (const link of [...links]) destroy(link);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
