import { ZmqcError } from "@zmqc/config";
import { Proxy as ZmqProxy } from "zeromq";
import { bindErrorOf } from "./bind.js";
import type { Broker } from "./broker.js";
import { onProcessExit } from "./exit-hook.js";
import type { ResolvedBrokerOptions } from "./options.js";
import { BindFailure, type BrokerSockets, bindBrokerSockets } from "./sockets.js";
import { refusalLine } from "./zap.js";

const NO_NATIVE_PAUSE =
  'pausing is not available in native mode: libzmq 4.3.5\'s steerable proxy does not resume after PAUSE; use mode: "managed"';

/**
 * The native broker: zeromq.js's Proxy, i.e. libzmq's `zmq_proxy_steerable(xsub, xpub)` on a libuv pool thread,
 * as Zeek's proxy thread runs it. Binds XPUB first, then XSUB (Zeek's order); a failed bind closes what was opened.
 */
export async function startNativeBroker(
  options: ResolvedBrokerOptions,
  log: (line: string) => void,
): Promise<Broker> {
  let sockets: BrokerSockets;
  try {
    sockets = await bindBrokerSockets(options, { onRefused: (refusal) => log(refusalLine(refusal)) });
  } catch (error) {
    if (!(error instanceof BindFailure)) throw error;
    throw bindErrorOf(error);
  }
  const { xpub, xsub, xpubEndpoint, xsubEndpoint } = sockets;

  // run() resolves as soon as the loop stops, before the ports are free: closed waits for them too.
  const proxy = new ZmqProxy(xsub, xpub);
  let closing = false;
  // process.exit() with the broker open: stop the proxy loop, or zeromq.js's teardown waits for it forever.
  const cancelExitHook = onProcessExit(() => {
    if (!closing) proxy.terminate();
  });
  const closed: Promise<Error | undefined> = proxy
    .run()
    .finally(cancelExitHook)
    .then(
      async () => {
        // zeromq.js has closed both sockets; this waits until their ports are free.
        await sockets.close();
        return undefined;
      },
      (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
    );

  const broker: Broker = {
    mode: "native",
    xpubEndpoint,
    xsubEndpoint,
    stats: () => ({
      mode: "native",
      paused: false,
      proxy: undefined,
      droppedStuckSubscriber: 0n,
      authRefused: sockets.zap?.stats().refused ?? 0,
    }),
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
