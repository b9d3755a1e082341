/**
 * A ZAP handler (ZeroMQ's authentication protocol, RFC 27) for CURVE server sockets, as Zeek runs one: it admits a
 * client only when its long-term public key is one of the configured client keys, and counts every refusal.
 */
import { type CurveServerKeys, curveKeyBytes } from "@zmqc/config";
import { type Context, curveKeyPair, Router } from "zeromq";

/** Where libzmq sends ZAP requests, in the context of the server sockets. */
export const ZAP_ENDPOINT = "inproc://zeromq.zap.01";

/** A refused client, for logs: never its key. */
export interface ZapRefusal {
  /** The peer's IP address, as libzmq reports it. */
  readonly address: string;
  /** `CURVE` (with an unknown key), or another mechanism (always refused). */
  readonly mechanism: string;
}

/** What the handler has decided. */
export interface ZapStats {
  readonly accepted: number;
  readonly refused: number;
}

/** A running ZAP handler. */
export interface ZapHandler {
  stats(): ZapStats;
  /** Unbinds; server sockets of the context must be closed first (libzmq would wait for answers). */
  close(): void;
}

/** The line a refusal is logged as: the peer's address, never a key. */
export function refusalLine({ address, mechanism }: ZapRefusal): string {
  const why =
    mechanism === "CURVE" ? "its public key is not an allowed client key" : `mechanism ${mechanism}`;
  return `ZeroMQ/ZAP: refused a client from ${address || "an unknown address"}: ${why}`;
}

const OK = ["200", "OK"] as const;
const REFUSED = ["400", "Invalid ZAP request"] as const;

/**
 * Binds the ZAP handler of `context` and answers every request until closed. Bind it before the server sockets
 * listen: without a handler, libzmq admits any client that knows the server's public key.
 */
export async function startZapHandler(
  context: Context,
  keys: Pick<CurveServerKeys, "allowedClientKeys">,
  onRefused: (refusal: ZapRefusal) => void = () => {},
): Promise<ZapHandler> {
  const allowed = keys.allowedClientKeys.map((key) => Buffer.from(curveKeyBytes(key)));
  const router = new Router({ context, linger: 0 });
  await router.bind(ZAP_ENDPOINT);
  const counts = { accepted: 0, refused: 0 };
  void (async () => {
    try {
      for await (const frames of router) {
        // [routing id, "", version, request id, domain, address, identity, mechanism, credentials…]
        const [routingId, , version, requestId, , address, , mechanism, key] = frames;
        if (routingId === undefined || requestId === undefined) continue;
        const curve = mechanism?.toString("latin1") === "CURVE";
        const admitted = curve && key !== undefined && allowed.some((candidate) => candidate.equals(key));
        if (admitted) counts.accepted++;
        else {
          counts.refused++;
          onRefused({
            address: address?.toString("latin1") ?? "",
            mechanism: mechanism?.toString("latin1") ?? "",
          });
        }
        const [status, text] = admitted ? OK : REFUSED;
        // ["1.0", request id, status code, status text, user id, metadata]
        await router.send([
          routingId,
          "",
          version ?? "1.0",
          requestId,
          status,
          text,
          admitted ? "0" : "",
          "",
        ]);
      }
    } catch {
      // Closed: the loop ends.
    }
  })();
  return {
    stats: () => ({ ...counts }),
    close: () => router.close(),
  };
}

/** A CURVE key pair in Z85 (40 characters each), as Zeek's `generate_keypair()` returns it. */
export interface CurveKeypair {
  readonly public: string;
  readonly secret: string;
}

/**
 * Makes a CURVE key pair, like Zeek's `Cluster::Backend::ZeroMQ::generate_keypair()`: one for the server (the
 * broker and loggers) and one shared by every client.
 *
 * @example
 * ```ts
 * const server = generateKeypair();
 * const client = generateKeypair();
 * await startBroker({ curveServerSecretKey: server.secret, curveClientPublicKey: client.public });
 * ```
 */
export function generateKeypair(): CurveKeypair {
  const { publicKey, secretKey } = curveKeyPair();
  return { public: publicKey, secret: secretKey };
}
