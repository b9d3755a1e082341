// Two nodes and a broker in one process: one subscribes to a topic prefix and handles a typed event, the other
// waits until it sees that subscription, then publishes. Ends with both nodes' counters and a clean shutdown.
// Run: node --conditions=@zmqc/source --import tsx examples/publish-subscribe.ts
import { nodeEndpoints, startBroker } from "@zmqc/broker";
import { connect, defineEvent } from "@zmqc/pubsub";
import { Value } from "@zmqc/wire-format";
import { within } from "./support/within.js";

const reading = defineEvent("Sensors::reading", ["string", "count", "real"]);
const PREFIX = "demo.sensors.";

// Ports the OS picks; the broker reports the bound endpoints.
await using broker = await startBroker({
  listenXpubEndpoint: "tcp://127.0.0.1:*",
  listenXsubEndpoint: "tcp://127.0.0.1:*",
});
// A node's XPUB connects to the broker's XSUB, its XSUB to the broker's XPUB. Warnings go to stdout here.
const endpoints = {
  ...nodeEndpoints(broker),
  log: (line: string) => console.log(`log: ${line}`),
};
await using receiver = await connect({ name: "receiver", ...endpoints });
await using sender = await connect({ name: "sender", ...endpoints });

let count = 0;
const allReceived = new Promise<void>((resolve) => {
  receiver.on(reading, ([sensor, seq, celsius], event) => {
    console.log(`received ${event.name}(${sensor.value}, ${seq.value}, ${celsius.value}) on ${event.topic}`);
    if (++count === 3) resolve();
  });
});
await receiver.subscribe(PREFIX); // resolves when the broker echoes the subscription
// Until the sender's XPUB has seen that subscription, ZeroMQ discards what it publishes: wait for it (5 s at most).
await sender.waitForSubscriber(`${PREFIX}kitchen`, 5000);
console.log(`the sender sees a subscription to ${PREFIX}`);

// Zeek converts strictly: an integer where the definition says count is not delivered, but counted (typeErrors).
sender.publish(`${PREFIX}attic`, {
  name: reading.name,
  args: [Value.string("attic"), Value.integer(1), Value.real(19.5)],
});
sender.publish(`${PREFIX}kitchen`, reading.make(Value.string("kitchen"), Value.count(1), Value.real(21.5)));
sender.publish(`${PREFIX}kitchen`, reading.make(Value.string("kitchen"), Value.count(2), Value.real(21.75)));
sender.publish(`${PREFIX}garage`, reading.make(Value.string("garage"), Value.count(1), Value.real(8.25)));
// One connection through one broker keeps the order: when the third good event is in, so is the bad one.
await within(5000, "3 readings at the receiver", allReceived);

const sent = sender.stats();
const got = receiver.stats();
console.log(`sender: eventsPublished=${sent.eventsPublished} publishQueueDrops=${sent.publishQueueDrops}`);
console.log(`receiver: eventsReceived=${got.eventsReceived} typeErrors=${got.typeErrors}`);

// drain() sends what is still queued, then closes; `await using` closes the rest, the broker last.
await sender.drain();
