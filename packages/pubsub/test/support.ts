import { setImmediate as tick } from "node:timers/promises";
import { nodeEndpoints } from "@zmqc/broker";
import type { ClusterNode, ConnectOptions } from "@zmqc/pubsub";
import { connect } from "@zmqc/pubsub";

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

/** Waits until `condition()` holds (checked on every turn of the event loop), for at most `ms`. */
export async function until(condition: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await tick();
  }
}

/** A node connected to a broker, closed at the end of the test by `await using`. */
export async function nodeOn(
  broker: { xpubEndpoint: string; xsubEndpoint: string },
  options: ConnectOptions = {},
): Promise<ClusterNode> {
  const node = await connect({
    ...nodeEndpoints(broker),
    lingerMs: 0,
    log: () => {},
    ...options,
  });
  await node.ready();
  return node;
}
