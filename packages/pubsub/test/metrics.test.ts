import { startTestBroker } from "@zmqc/broker/testing";
import { defineEvent, registerNodeMetrics } from "@zmqc/pubsub";
import { Value } from "@zmqc/wire-format";
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { nodeOn, until } from "./support.js";

describe("node metrics", () => {
  it("exposes Zeek's drop counters and ours through prom-client, read at scrape time", async () => {
    await using broker = await startTestBroker();
    await using node = await nodeOn(broker, { name: "metrics", publishQueueSize: 1 });
    const registry = new Registry();
    const unregister = registerNodeMetrics(node, registry);
    const ev = defineEvent("Test::e", ["count"]);
    // With a queue of one and nobody subscribed, a burst overflows the publish queue.
    let refused = 0;
    for (let i = 0; i < 50; i++) if (!node.publish("nobody", ev.make(Value.count(i)))) refused++;
    await until(() => node.stats().pendingPublishes === 0, "the queue to drain");
    const text = await registry.metrics();
    expect(text).toContain("zeek_cluster_zeromq_xpub_drops_total 0");
    expect(text).toContain("zeek_cluster_zeromq_onloop_drops_total 0");
    expect(text).toContain("zeek_cluster_zeromq_msg_errors_total 0");
    expect(text).toContain(`zmqc_pubsub_publish_queue_drops_total ${refused}`);
    expect(refused).toBeGreaterThan(0);
    unregister();
    expect(await registry.metrics()).not.toContain("zeek_cluster_zeromq_xpub_drops_total");
  });
});
