/**
 * @zmqc/broker/testing — brokers for other packages' integration tests.
 *
 * @packageDocumentation
 */
import type { Broker } from "./broker.js";
import type { BrokerOptions } from "./options.js";
import { TEST_BROKER_DEFAULTS } from "./spawn-broker.js";
import { startBroker } from "./start.js";

export {
  type SpawnBrokerOptions,
  type SpawnedBroker,
  type SpawnedBrokerExit,
  spawnBroker,
} from "./spawn-broker.js";

/**
 * A broker on ephemeral 127.0.0.1 ports with linger 0, for tests: `await using broker = await startTestBroker()`.
 * Read the endpoints back from `broker.xpubEndpoint` / `broker.xsubEndpoint`. For a broker in a process of its
 * own (to kill or restart it), see {@link spawnBroker}.
 */
export function startTestBroker(options: BrokerOptions = {}): Promise<Broker> {
  return startBroker({ ...TEST_BROKER_DEFAULTS, ...options });
}
