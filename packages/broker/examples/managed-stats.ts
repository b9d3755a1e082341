// Managed mode: the broker forwards in a worker thread and keeps Zeek's proxy statistics, the live subscription
// table and per-topic message counts. Two topics are subscribed, three messages published, then all are printed.
// Run: node --conditions=@zmqc/source --import tsx examples/managed-stats.ts
import { PROXY_STATISTICS, startBroker } from "@zmqc/broker";
import { XPublisher, XSubscriber } from "zeromq";
import { within } from "./support/within.js";

const TOPICS = ["zeek.cluster.worker", "zeek.cluster.logger"];
const MESSAGES = [
  ["zeek.cluster.worker", "example-manager", "broker-bin-v1", "first event"],
  ["zeek.cluster.worker", "example-manager", "broker-bin-v1", "second event"],
  ["zeek.cluster.logger", "example-manager", "broker-bin-v1", "third event"],
];

await using broker = await startBroker({
  mode: "managed",
  listenXpubEndpoint: "tcp://127.0.0.1:*",
  listenXsubEndpoint: "tcp://127.0.0.1:*",
});
console.log(`broker (${broker.mode}): XPUB ${broker.xpubEndpoint}, XSUB ${broker.xsubEndpoint}`);

const publisher = new XPublisher({ linger: 0 });
const subscriber = new XSubscriber({ linger: 0 });
try {
  publisher.connect(broker.xsubEndpoint);
  subscriber.connect(broker.xpubEndpoint);

  // An XSUB subscribes by sending byte 1 and the prefix; the publisher's XPUB gets each one through the broker.
  for (const topic of TOPICS) await subscriber.send(Buffer.concat([Buffer.from([1]), Buffer.from(topic)]));
  const seen = new Set<string>();
  while (seen.size < TOPICS.length) {
    const [frame] = await within(5000, "the subscriptions at the publisher", publisher.receive());
    seen.add(frame?.subarray(1).toString() ?? "");
  }

  for (const message of MESSAGES) await publisher.send(message);
  for (let i = 0; i < MESSAGES.length; i++) {
    const [topic, , , payload] = await within(5000, "a message at the subscriber", subscriber.receive());
    console.log(`received on ${topic}: ${payload}`);
  }

  // The worker publishes its counters when its event loop turns, so the last send may show a moment later.
  const framesSent = BigInt(MESSAGES.flat().length);
  await within(
    5000,
    "the counters",
    (async () => {
      while ((broker.stats().proxy?.backendMessagesSent ?? 0n) < framesSent)
        await new Promise((resolve) => setTimeout(resolve, 10));
    })(),
  );

  const subscriptions = (await broker.subscriptions()) ?? new Map();
  console.log(
    `subscriptions: ${[...subscriptions].map(([prefix, count]) => `${prefix}=${count}`).join(" ")}`,
  );
  const topics = (await broker.topicCounts()) ?? new Map();
  console.log(`messages per topic: ${[...topics].map(([topic, count]) => `${topic}=${count}`).join(" ")}`);

  // Zeek's eight proxy counters under their Prometheus names (every frame counts as a message).
  const { proxy } = broker.stats();
  for (const [key, metric] of PROXY_STATISTICS) console.log(`${metric} ${proxy?.[key]}`);
} finally {
  publisher.close();
  subscriber.close();
}
