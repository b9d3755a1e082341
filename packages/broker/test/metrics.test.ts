import {
  AUTH_REFUSED_METRIC,
  PROXY_STATISTICS,
  registerBrokerMetrics,
  STUCK_SUBSCRIBER_DROPS_METRIC,
} from "@zmqc/broker";
import { startTestBroker } from "@zmqc/broker/testing";
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { awaitNotification, connectPeer, within } from "./peers.js";

/** The value of a metric without labels in Prometheus' text format. */
function metricValue(text: string, name: string): number | undefined {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

describe("registerBrokerMetrics", () => {
  it("exposes a managed broker's eight proxy counters under Zeek's names, read at scrape time", async () => {
    await using broker = await startTestBroker({ mode: "managed" });
    const registry = new Registry();
    const unregister = registerBrokerMetrics(broker, registry);

    await using sender = connectPeer(broker);
    await using receiver = connectPeer(broker);
    await receiver.subscribe("topic"); // "\x01topic": 6 bytes
    await awaitNotification(sender, "+topic");
    for (let i = 0; i < 3; i++) await sender.xpub.send(["topic", "node", "broker-bin-v1", "x".repeat(100)]);
    for (let i = 0; i < 3; i++) await within(5000, "an event", receiver.nextMessage());

    const expected: Record<string, number> = {
      zeek_cluster_zeromq_proxy_frontend_messages_received_total: 12,
      zeek_cluster_zeromq_proxy_frontend_bytes_received_total: 3 * (5 + 4 + 13 + 100),
      zeek_cluster_zeromq_proxy_frontend_messages_sent_total: 1,
      zeek_cluster_zeromq_proxy_frontend_bytes_sent_total: 6,
      zeek_cluster_zeromq_proxy_backend_messages_received_total: 1,
      zeek_cluster_zeromq_proxy_backend_bytes_received_total: 6,
      zeek_cluster_zeromq_proxy_backend_messages_sent_total: 12,
      zeek_cluster_zeromq_proxy_backend_bytes_sent_total: 3 * (5 + 4 + 13 + 100),
      [STUCK_SUBSCRIBER_DROPS_METRIC]: 0,
    };
    // The worker publishes its counters when its loop turns; scrape until they have landed (bounded).
    let text = "";
    let done = false;
    await within(
      5000,
      "the counters in the scrape",
      (async () => {
        while (!done) {
          text = await registry.metrics();
          if (metricValue(text, "zeek_cluster_zeromq_proxy_backend_bytes_sent_total") === 366) return;
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      })(),
    )
      .catch((error: unknown) => {
        throw new Error(`${(error as Error).message}\n${text}`);
      })
      .finally(() => {
        done = true;
      });
    for (const [, name] of PROXY_STATISTICS) expect(text).toContain(`# TYPE ${name} counter`);
    expect(Object.fromEntries(Object.keys(expected).map((name) => [name, metricValue(text, name)]))).toEqual(
      expected,
    );

    unregister();
    expect(registry.getMetricsAsArray()).toEqual([]);
  });

  it("registers only the CURVE refusal count for a native broker, whose proxy statistics are unknown", async () => {
    await using broker = await startTestBroker();
    const registry = new Registry();
    const unregister = registerBrokerMetrics(broker, registry);
    expect(registry.getMetricsAsArray().map((metric) => metric.name)).toEqual([AUTH_REFUSED_METRIC]);
    unregister();
  });

  it("a second registration in the same registry throws and leaves the first intact", async () => {
    await using broker = await startTestBroker({ mode: "managed" });
    const registry = new Registry();
    registerBrokerMetrics(broker, registry);
    expect(() => registerBrokerMetrics(broker, registry)).toThrow(/already been registered/);
    expect(registry.getMetricsAsArray()).toHaveLength(10);
  });
});
