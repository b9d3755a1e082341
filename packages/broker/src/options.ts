import {
  type BackendOptions,
  type BackendOptionsInput,
  type CurveServerKeys,
  checkMaxMessageSize,
  curveServerKeys,
  resolveOptions,
} from "@zmqc/config";

/** How the broker forwards. */
export type BrokerMode = "native" | "managed";

/** What a stuck subscriber costs in managed mode (see {@link BrokerOptions.stuckSubscriber}). */
export interface StuckSubscriberPolicy {
  /** How long one send may wait for room at a subscriber's HWM before the message is dropped (ms). Default 1000. */
  readonly maxWaitMs?: number;
}

/**
 * Options of {@link startBroker}: the broker's part of the backend options (Zeek's names and defaults, from
 * `@zmqc/config`) plus the forwarding mode.
 */
export interface BrokerOptions
  extends Pick<
    BackendOptionsInput,
    | "listenXpubEndpoint"
    | "listenXsubEndpoint"
    | "listenXpubNodrop"
    | "proxyIoThreads"
    | "ipv6"
    | "pollMaxMessages"
    | "lingerMs"
    | "curveServerSecretKey"
    | "curveClientPublicKey"
  > {
  /**
   * `native` (default): libzmq's `zmq_proxy_steerable` on a libuv pool thread, the fastest, without statistics.
   * `managed`: a forwarding loop in a worker thread that keeps Zeek's proxy statistics, the subscription table and
   * per-topic counters.
   */
  readonly mode?: BrokerMode;
  /** Managed mode: append every forwarded message to this file (a debugging tap; see the README for its format). */
  readonly tapFile?: string;
  /** Managed mode: how long a send may wait on a subscriber at its HWM before dropping (and counting) the message. */
  readonly stuckSubscriber?: StuckSubscriberPolicy;
  /**
   * The largest frame, in bytes, the broker accepts from a node (libzmq's `ZMQ_MAXMSGSIZE` on both sockets);
   * -1 (default, as in Zeek) = no limit. A node that sends a larger frame is disconnected by libzmq before the frame
   * is buffered, so a hostile or broken peer cannot make the broker allocate it; that frame and whatever the node
   * had in flight on the connection are lost, the node reconnects by itself (and sees the disconnect in its status
   * stream). libzmq reports only "disconnected", so the broker cannot count these apart from other disconnects.
   * A zmqc option: Zeek has no such setting.
   */
  readonly maxMessageSize?: number;
  /**
   * Where the broker reports what an operator must know (a client refused by the CURVE ZAP handler, with its
   * address); default: stderr.
   */
  readonly log?: (line: string) => void;
}

/** The broker's settings, validated, with Zeek's defaults filled in. */
export interface ResolvedBrokerOptions {
  readonly mode: BrokerMode;
  readonly listenXpubEndpoint: string;
  readonly listenXsubEndpoint: string;
  readonly listenXpubNodrop: boolean;
  readonly proxyIoThreads: number;
  readonly ipv6: boolean;
  readonly pollMaxMessages: number;
  readonly lingerMs: number;
  readonly tapFile: string | undefined;
  readonly stuckSubscriberMaxWaitMs: number;
  /** ZMQ_MAXMSGSIZE of both sockets, -1 = no limit. */
  readonly maxMessageSize: number;
  /** CURVE server keys (Zeek's server mode: server secret and client public key set), or undefined for plain TCP. */
  readonly curve: CurveServerKeys | undefined;
}

/** Validates the options (a bad one is a ConfigError listing every problem) and fills in Zeek's defaults. */
export function resolveBrokerOptions(options: BrokerOptions = {}): ResolvedBrokerOptions {
  const { mode = "native", tapFile, stuckSubscriber, maxMessageSize = -1, log: _log, ...backend } = options;
  checkMaxMessageSize(maxMessageSize, "startBroker options");
  const resolved: BackendOptions = resolveOptions(backend);
  return {
    mode,
    listenXpubEndpoint: resolved.listenXpubEndpoint,
    listenXsubEndpoint: resolved.listenXsubEndpoint,
    listenXpubNodrop: resolved.listenXpubNodrop,
    proxyIoThreads: resolved.proxyIoThreads,
    ipv6: resolved.ipv6,
    pollMaxMessages: resolved.pollMaxMessages,
    lingerMs: resolved.lingerMs,
    tapFile,
    stuckSubscriberMaxWaitMs: stuckSubscriber?.maxWaitMs ?? 1000,
    maxMessageSize,
    curve: curveServerKeys(resolved),
  };
}
