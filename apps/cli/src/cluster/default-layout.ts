import type { ConfigInput } from "@zmqc/config";
import { freePorts } from "./free-ports.js";

/** The node names of the embedded default cluster. */
export const DEFAULT_NODES = ["manager", "logger-1", "proxy-1", "worker-1", "worker-2"] as const;

/**
 * The embedded default cluster (Zeek's btest "cluster-layout-simple"): a manager running the broker, a logger, a
 * proxy and two workers on 127.0.0.1, every port (broker, log PULL, metrics) chosen free by the OS, so it runs
 * next to anything else, including a second copy of itself.
 */
export async function defaultClusterConfig(host = "127.0.0.1"): Promise<ConfigInput> {
  const [xpub, xsub, logPort, ...metrics] = await freePorts(3 + DEFAULT_NODES.length, host);
  const metricsPort = (i: number) => metrics[i] as number;
  return {
    listenXpubEndpoint: `tcp://${host}:${xpub}`,
    listenXsubEndpoint: `tcp://${host}:${xsub}`,
    // A node's XPUB talks to the broker's XSUB and its XSUB to the broker's XPUB.
    connectXpubEndpoint: `tcp://${host}:${xsub}`,
    connectXsubEndpoint: `tcp://${host}:${xpub}`,
    cluster: {
      nodes: {
        manager: { type: "manager", ip: host, metricsPort: metricsPort(0) },
        "logger-1": { type: "logger", ip: host, logPort, manager: "manager", metricsPort: metricsPort(1) },
        "proxy-1": { type: "proxy", ip: host, manager: "manager", metricsPort: metricsPort(2) },
        "worker-1": { type: "worker", ip: host, manager: "manager", metricsPort: metricsPort(3) },
        "worker-2": { type: "worker", ip: host, manager: "manager", metricsPort: metricsPort(4) },
      },
    },
  };
}
