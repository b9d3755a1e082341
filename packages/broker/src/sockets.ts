import { setTimeout as delay } from "node:timers/promises";
import { Context, type Socket, XPublisher, XSubscriber } from "zeromq";
import type { ResolvedBrokerOptions } from "./options.js";
import { startZapHandler, type ZapHandler, type ZapRefusal } from "./zap.js";

// Upper bound on waiting for libzmq to report the listening sockets closed (it takes a few ms).
const RELEASE_WAIT_MS = 2000;

/** A bind that failed, as data: the worker cannot send a BindError across threads, the main thread rebuilds it. */
export class BindFailure extends Error {
  readonly socket: "xpub" | "xsub";
  readonly endpoint: string;
  readonly code: string | undefined;

  constructor(socket: "xpub" | "xsub", endpoint: string, cause: unknown) {
    const error = cause as { message?: unknown; code?: unknown } | null;
    super(typeof error?.message === "string" ? error.message : String(cause));
    this.name = "BindFailure";
    this.socket = socket;
    this.endpoint = endpoint;
    this.code = typeof error?.code === "string" ? error.code : undefined;
  }
}

/** The broker's two bound sockets. */
export interface BrokerSockets {
  readonly xpub: XPublisher;
  readonly xsub: XSubscriber;
  readonly xpubEndpoint: string;
  readonly xsubEndpoint: string;
  /** The CURVE ZAP handler, when the broker encrypts. */
  readonly zap: ZapHandler | undefined;
  /** Closes both sockets (their linger honoured) and resolves once their listening ports are free. */
  close(): Promise<void>;
}

/** Resolves when the socket's listening endpoint has been closed (or its monitor ended). */
function listenerReleased(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    socket.events.on("close", () => resolve());
    socket.events.on("end", () => resolve());
  });
}

async function bindTo(socket: Socket, name: "xpub" | "xsub", endpoint: string): Promise<string> {
  try {
    await socket.bind(endpoint);
  } catch (error) {
    throw new BindFailure(name, endpoint, error);
  }
  return socket.lastEndpoint ?? endpoint;
}

/**
 * Creates the XPUB (VERBOSER, NODROP as configured) and the XSUB in a context of their own and binds them, XPUB
 * first as Zeek does; both modes start from here. A failed bind closes both, waits until nothing is left
 * listening, and throws a {@link BindFailure}. `zeroTimeouts` is for the managed loop, which waits by itself.
 */
export async function bindBrokerSockets(
  options: ResolvedBrokerOptions,
  {
    zeroTimeouts = false,
    onRefused,
  }: { readonly zeroTimeouts?: boolean; readonly onRefused?: (refusal: ZapRefusal) => void } = {},
): Promise<BrokerSockets> {
  const context = new Context({ ioThreads: options.proxyIoThreads, ipv6: options.ipv6 });
  const { curve } = options;
  // Zeek's server mode: the handler is bound before anything listens, or libzmq would admit any client.
  const zap = curve ? await startZapHandler(context, curve, onRefused) : undefined;
  const security = curve ? { curveServer: true, curveSecretKey: curve.secretKey } : {};
  const xpub = new XPublisher({
    context,
    ...security,
    ipv6: options.ipv6,
    linger: options.lingerMs,
    noDrop: options.listenXpubNodrop,
    maxMessageSize: options.maxMessageSize,
    // VERBOSER: every subscribe and unsubscribe of every node goes upstream, one frame per subscriber, so the
    // subscription table can count subscribers and a shared prefix is released only when its last one leaves.
    verbosity: "allSubsUnsubs",
    // Timeouts 0 (managed): zeromq.js then sends and receives without first asking libzmq for the socket's
    // events (a poll(2) each time); the forwarder waits for messages itself (managed/reader.ts). An XPUB reports
    // itself writable anyway, so a send to a full subscriber fails with EAGAIN at once whatever sendTimeout says.
    ...(zeroTimeouts ? { sendTimeout: 0, receiveTimeout: 0 } : {}),
  });
  const xsub = new XSubscriber({
    context,
    ...security,
    ipv6: options.ipv6,
    linger: options.lingerMs,
    maxMessageSize: options.maxMessageSize,
    ...(zeroTimeouts ? { sendTimeout: 0, receiveTimeout: 0 } : {}),
  });
  // libzmq closes listening sockets a moment after close() on its I/O thread; the monitors' "close" events say
  // when the ports are really free, so a failed start and close() can promise that.
  const released = Promise.all([listenerReleased(xpub), listenerReleased(xsub)]);
  const close = async (): Promise<void> => {
    xpub.close();
    xsub.close();
    await Promise.race([released, delay(RELEASE_WAIT_MS, undefined, { ref: false })]);
    zap?.close();
  };
  try {
    const xpubEndpoint = await bindTo(xpub, "xpub", options.listenXpubEndpoint);
    const xsubEndpoint = await bindTo(xsub, "xsub", options.listenXsubEndpoint);
    return { xpub, xsub, xpubEndpoint, xsubEndpoint, zap, close };
  } catch (error) {
    xpub.linger = 0;
    xsub.linger = 0;
    await close();
    throw error;
  }
}
