import { Counter, register as defaultRegistry, type Registry } from "prom-client";
import type { Broker } from "./broker.js";
import { type BrokerStats, PROXY_STATISTICS, type ProxyStatistics } from "./stats.js";

// One snapshot serves a whole scrape (the counters are collected one after another), as Zeek refreshes its proxy
// statistics at most every 10 ms.
const SNAPSHOT_MAX_AGE_MS = 10;

/** The Prometheus name of the managed broker's stuck-subscriber drop counter. */
export const STUCK_SUBSCRIBER_DROPS_METRIC = "zmqc_broker_stuck_subscriber_drops_total";

/** The Prometheus name of the count of clients the CURVE ZAP handler refused. */
export const AUTH_REFUSED_METRIC = "zmqc_broker_auth_refused_total";

// Zeek registers these from its proxy thread's STATISTICS reply (ZeroMQ-Proxy.cc); the help texts say the same.
const HELP: Record<keyof ProxyStatistics, string> = {
  frontendMessagesReceived: "Messages (frames) the proxy received on its XSUB socket (frontend)",
  frontendBytesReceived: "Bytes the proxy received on its XSUB socket (frontend)",
  frontendMessagesSent: "Messages (frames) the proxy sent on its XSUB socket (frontend): subscriptions",
  frontendBytesSent: "Bytes the proxy sent on its XSUB socket (frontend)",
  backendMessagesReceived: "Messages (frames) the proxy received on its XPUB socket (backend): subscriptions",
  backendBytesReceived: "Bytes the proxy received on its XPUB socket (backend)",
  backendMessagesSent: "Messages (frames) the proxy sent on its XPUB socket (backend)",
  backendBytesSent: "Bytes the proxy sent on its XPUB socket (backend)",
};

/** A counter whose value is the broker's, read when the registry is scraped. */
function scrapedCounter(
  registry: Registry,
  name: string,
  help: string,
  read: () => bigint | undefined,
): void {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const value = read();
      if (value === undefined) return;
      // prom-client counters only go up by increments; the broker's value is absolute, so start from zero.
      this.reset();
      this.inc(Number(value));
    },
  });
}

/**
 * Exposes a broker's statistics as Prometheus counters with Zeek's names:
 * `zeek_cluster_zeromq_proxy_{frontend,backend}_{messages,bytes}_{received,sent}_total` (frontend = XSUB side;
 * every frame counts as a message, as in libzmq ≥ 4.3.5), plus {@link STUCK_SUBSCRIBER_DROPS_METRIC}. Values are
 * read from `broker.stats()` at scrape time, so the counters cost nothing between scrapes.
 *
 * A native-mode broker registers only the CURVE refusal count: zeromq.js gives no access to libzmq's proxy
 * statistics, so their values are unknown, and exporting zeros would look like an idle broker. The same holds for drops, which the native
 * proxy never counts (with NODROP it blocks instead).
 *
 * @param registry where to register (prom-client's default registry if omitted); registering the same broker
 *   twice in one registry throws, as prom-client does for any duplicate name.
 * @returns a function that removes the counters from the registry again.
 */
export function registerBrokerMetrics(broker: Broker, registry: Registry = defaultRegistry): () => void {
  const managed = broker.stats().proxy !== undefined;
  let snapshot: BrokerStats | undefined;
  let takenAt = Number.NEGATIVE_INFINITY;
  const stats = (): BrokerStats => {
    const now = performance.now();
    if (snapshot === undefined || now - takenAt > SNAPSHOT_MAX_AGE_MS) {
      snapshot = broker.stats();
      takenAt = now;
    }
    return snapshot;
  };
  const names: string[] = [];
  const unregister = (): void => {
    for (const name of names) registry.removeSingleMetric(name);
  };
  try {
    scrapedCounter(
      registry,
      AUTH_REFUSED_METRIC,
      "Clients the CURVE ZAP handler refused (a public key that is not an allowed client key)",
      () => BigInt(stats().authRefused),
    );
    names.push(AUTH_REFUSED_METRIC);
    // Native mode forwards inside libzmq: there are no proxy statistics to show.
    if (!managed) return unregister;
    for (const [key, name] of PROXY_STATISTICS) {
      scrapedCounter(registry, name, HELP[key], () => stats().proxy?.[key]);
      names.push(name);
    }
    scrapedCounter(
      registry,
      STUCK_SUBSCRIBER_DROPS_METRIC,
      "Messages the broker dropped because a subscriber stayed at its high-water mark longer than the stuck-subscriber wait",
      () => stats().droppedStuckSubscriber,
    );
    names.push(STUCK_SUBSCRIBER_DROPS_METRIC);
  } catch (error) {
    // A duplicate name leaves nothing half-registered behind.
    unregister();
    throw error;
  }
  return unregister;
}
