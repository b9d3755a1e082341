/**
 * @zmqc/broker/testing — brokers for other packages' integration tests.
 *
 * @packageDocumentation
 */
import type { Broker } from "./broker.js";
import type { BrokerOptions } from "./options.js";
import { startBroker } from "./start.js";

/**
 * A broker on ephemeral 127.0.0.1 ports with linger 0, for tests: `await using broker = await startTestBroker()`.
 * Read the endpoints back from `broker.xpubEndpoint` / `broker.xsubEndpoint`.
 */
export function startTestBroker(options: BrokerOptions = {}): Promise<Broker> {
  return startBroker({
    listenXpubEndpoint: "tcp://127.0.0.1:*",
    listenXsubEndpoint: "tcp://127.0.0.1:*",
    lingerMs: 0,
    ...options,
  });
}
