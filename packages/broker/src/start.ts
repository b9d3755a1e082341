import type { Broker } from "./broker.js";
import { startManagedBroker } from "./managed/start.js";
import { startNativeBroker } from "./native.js";
import { type BrokerOptions, resolveBrokerOptions } from "./options.js";

/**
 * Starts the central broker: binds its XPUB (`listenXpubEndpoint`, default `tcp://127.0.0.1:5555`) and XSUB
 * (`listenXsubEndpoint`, default `tcp://127.0.0.1:5556`) and forwards between them until closed: natively
 * (`mode: "native"`, the default) or in a worker thread that keeps Zeek's proxy statistics (`mode: "managed"`).
 *
 * @example
 * ```ts
 * await using broker = await startBroker({ listenXpubEndpoint: "tcp://127.0.0.1:*", listenXsubEndpoint: "tcp://127.0.0.1:*" });
 * console.log(broker.xpubEndpoint, broker.xsubEndpoint);
 * ```
 * @throws ConfigError for invalid options, BindError when an endpoint cannot be bound (nothing is left open), a
 *   ZmqcError with code `CONFIG` when the managed mode's `tapFile` cannot be opened.
 */
export async function startBroker(options: BrokerOptions = {}): Promise<Broker> {
  const resolved = resolveBrokerOptions(options);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  switch (resolved.mode) {
    case "native":
      return startNativeBroker(resolved, log);
    case "managed":
      return startManagedBroker(resolved, log);
  }
}
