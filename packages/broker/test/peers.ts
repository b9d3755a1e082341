// Raw zeromq.js peers, the way a node connects to the broker, and a bounded wait for what a test expects.
import { encodeSubscription } from "@zmqc/wire-format";
import { XPublisher, XSubscriber } from "zeromq";

/** Resolves with the promise's value, or rejects after `ms` naming what did not happen. */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A node's two sockets: XPUB to the broker's XSUB, XSUB to the broker's XPUB (Zeek's naming trap). */
export interface Peer extends AsyncDisposable {
  readonly xpub: XPublisher;
  readonly xsub: XSubscriber;
  subscribe(prefix: string): Promise<void>;
  unsubscribe(prefix: string): Promise<void>;
  /** The next subscription notification on this peer's XPUB, as `+prefix` or `-prefix`. */
  nextNotification(): Promise<string>;
  /** The next message this peer receives, frames as text. */
  nextMessage(): Promise<string[]>;
  close(): void;
}

/** CURVE client options of a peer's sockets (zeromq.js names). */
export interface PeerSecurity {
  readonly curveServerKey?: string;
  readonly curvePublicKey?: string;
  readonly curveSecretKey?: string;
}

/** Connects a peer to a broker's endpoints (as a CURVE client when `security` has keys). */
export function connectPeer(
  endpoints: { xpubEndpoint: string; xsubEndpoint: string },
  security: PeerSecurity = {},
): Peer {
  const xpub = new XPublisher({ linger: 0, verbosity: "allSubs", ...security });
  const xsub = new XSubscriber({ linger: 0, ...security });
  xpub.connect(endpoints.xsubEndpoint);
  xsub.connect(endpoints.xpubEndpoint);
  const peer: Peer = {
    xpub,
    xsub,
    subscribe: (prefix) => xsub.send(encodeSubscription(prefix, true)),
    unsubscribe: (prefix) => xsub.send(encodeSubscription(prefix, false)),
    async nextNotification() {
      const [frame] = await xpub.receive();
      const bytes = frame ?? Buffer.alloc(0);
      return `${bytes[0] === 1 ? "+" : "-"}${bytes.subarray(1).toString("utf8")}`;
    },
    async nextMessage() {
      const frames = await xsub.receive();
      return frames.map((frame) => frame.toString("utf8"));
    },
    close() {
      xpub.close();
      xsub.close();
    },
    async [Symbol.asyncDispose]() {
      peer.close();
    },
  };
  return peer;
}

/** Waits until a notification equal to `expected` arrives (earlier, unrelated ones are skipped). */
export async function awaitNotification(peer: Peer, expected: string, ms = 5000): Promise<void> {
  await within(
    ms,
    `notification ${expected}`,
    (async () => {
      for (;;) if ((await peer.nextNotification()) === expected) return;
    })(),
  );
}
