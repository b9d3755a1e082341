import type { BackendOptions } from "./options/index.js";

/** The CURVE keys of the four options, as they are set. */
export type CurveOptions = Pick<
  BackendOptions,
  "curveServerPublicKey" | "curveServerSecretKey" | "curveClientPublicKey" | "curveClientSecretKey"
>;

/** What a CURVE client socket (a node's XPUB, XSUB and PUSH) needs. */
export interface CurveClientKeys {
  /** The server's public key (`curve_serverkey`). */
  readonly serverPublicKey: string;
  readonly publicKey: string;
  readonly secretKey: string;
}

/** What a CURVE server socket (the broker's XPUB/XSUB, a logger's PULL) and its ZAP handler need. */
export interface CurveServerKeys {
  readonly secretKey: string;
  /** The client public keys the ZAP handler admits (Zeek: the one shared client key). */
  readonly allowedClientKeys: readonly string[];
}

/**
 * Zeek's client mode: on when the server public key and the client public and secret keys are all set; the
 * node's sockets then encrypt and authenticate to the broker and loggers.
 */
export function curveClientKeys(options: CurveOptions): CurveClientKeys | undefined {
  const { curveServerPublicKey, curveClientPublicKey, curveClientSecretKey } = options;
  if (!curveServerPublicKey || !curveClientPublicKey || !curveClientSecretKey) return undefined;
  return {
    serverPublicKey: curveServerPublicKey,
    publicKey: curveClientPublicKey,
    secretKey: curveClientSecretKey,
  };
}

/**
 * Zeek's server mode: on when the server secret key and the client public key are set; the broker's sockets and
 * every logger's PULL are then CURVE servers admitting only that client key.
 */
export function curveServerKeys(options: CurveOptions): CurveServerKeys | undefined {
  const { curveServerSecretKey, curveClientPublicKey } = options;
  if (!curveServerSecretKey || !curveClientPublicKey) return undefined;
  return { secretKey: curveServerSecretKey, allowedClientKeys: [curveClientPublicKey] };
}
