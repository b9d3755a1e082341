import { setTimeout as delay } from "node:timers/promises";
import { ZmqcError } from "@zmqc/config";
import { Context, type Socket, XPublisher, XSubscriber, Proxy as ZmqProxy } from "zeromq";
import { bindSocket } from "./bind.js";
import type { Broker } from "./broker.js";
import type { ResolvedBrokerOptions } from "./options.js";

// Upper bound on waiting for libzmq to report the listening sockets closed (it takes a few ms).
const RELEASE_WAIT_MS = 2000;
const NO_NATIVE_PAUSE =
  'pausing is not available in native mode: libzmq 4.3.5\'s steerable proxy does not resume after PAUSE; use mode: "managed"';

/** Resolves when the socket's listening endpoint has been closed (or its monitor ended). */
function listenerReleased(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    socket.events.on("close", () => resolve());
    socket.events.on("end", () => resolve());
  });
}

/**
 * The native broker: zeromq.js's Proxy, i.e. libzmq's `zmq_proxy_steerable(xsub, xpub)` on a libuv pool thread,
 * as Zeek's proxy thread runs it. Binds XPUB first, then XSUB (Zeek's order); a failed bind closes what was opened.
 */
export async function startNativeBroker(options: ResolvedBrokerOptions): Promise<Broker> {
  const context = new Context({ ioThreads: options.proxyIoThreads, ipv6: options.ipv6 });
  const xpub = new XPublisher({
    context,
    ipv6: options.ipv6,
    linger: options.lingerMs,
    noDrop: options.listenXpubNodrop,
    // VERBOSER: every subscribe and unsubscribe of every node goes upstream, so a shared prefix is released only
    // when its last subscriber leaves (Zeek PR #4283).
    verbosity: "allSubsUnsubs",
  });
  const xsub = new XSubscriber({ context, ipv6: options.ipv6, linger: options.lingerMs });
  // libzmq closes listening sockets a moment after close() on its I/O thread; the monitors' "close" events say
  // when the ports are really free, so a failed start and close() can promise that.
  const released = Promise.all([listenerReleased(xpub), listenerReleased(xsub)]);
  let xpubEndpoint: string;
  let xsubEndpoint: string;
  try {
    xpubEndpoint = await bindSocket(xpub, "xpub", options.listenXpubEndpoint);
    xsubEndpoint = await bindSocket(xsub, "xsub", options.listenXsubEndpoint);
  } catch (error) {
    xpub.linger = 0;
    xsub.linger = 0;
    xpub.close();
    xsub.close();
    await Promise.race([released, delay(RELEASE_WAIT_MS)]);
    throw error;
  }

  // run() resolves as soon as the loop stops, before the ports are free: closed waits for `released` too.
  const proxy = new ZmqProxy(xsub, xpub);
  let closing = false;
  const closed: Promise<Error | undefined> = proxy.run().then(
    async () => {
      await Promise.race([released, delay(RELEASE_WAIT_MS)]);
      return undefined;
    },
    (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
  );

  const broker: Broker = {
    mode: "native",
    xpubEndpoint,
    xsubEndpoint,
    stats: () => ({ mode: "native", paused: false, proxy: undefined, droppedStuckSubscriber: 0n }),
    subscriptions: async () => undefined,
    topicCounts: async () => undefined,
    // libzmq 4.3.5's zmq_proxy_steerable (zeromq.js 6.8's) never forwards again once PAUSE has taken effect, so a
    // native pause could not be undone: refuse it rather than wedge the cluster.
    pause() {
      throw new ZmqcError("PROTOCOL", NO_NATIVE_PAUSE);
    },
    resume() {
      throw new ZmqcError("PROTOCOL", NO_NATIVE_PAUSE);
    },
    async close() {
      if (!closing) {
        closing = true;
        proxy.terminate();
      }
      await closed;
    },
    closed,
    [Symbol.asyncDispose]: () => broker.close(),
  };
  return broker;
}
