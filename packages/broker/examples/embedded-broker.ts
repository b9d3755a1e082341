// An embedded broker on ports the OS picks, and two plain zeromq.js peers wired the way Zeek nodes wire theirs: the
// publisher's XPUB connects to the broker's XSUB, the subscriber's XSUB to the broker's XPUB.
// Run: node --conditions=@zmqc/source --import tsx examples/embedded-broker.ts
import { nodeEndpoints, startBroker } from "@zmqc/broker";
import { XPublisher, XSubscriber } from "zeromq";
import { within } from "./support/within.js";

// `*` lets the OS pick free ports; the broker reports the endpoints it bound. `await using` closes it at the end.
await using broker = await startBroker({
  listenXpubEndpoint: "tcp://127.0.0.1:*",
  listenXsubEndpoint: "tcp://127.0.0.1:*",
});
console.log(`broker (${broker.mode}): XPUB ${broker.xpubEndpoint}, XSUB ${broker.xsubEndpoint}`);

const publisher = new XPublisher({ linger: 0 });
const subscriber = new XSubscriber({ linger: 0 });
try {
  // nodeEndpoints() names the broker's endpoints the way a node's options do (crossed: XPUB → XSUB, XSUB → XPUB).
  const { connectXpubEndpoint, connectXsubEndpoint } = nodeEndpoints(broker);
  publisher.connect(connectXpubEndpoint);
  subscriber.connect(connectXsubEndpoint);

  // An XSUB subscribes by sending a frame: byte 1 (subscribe), then the topic prefix.
  await subscriber.send(Buffer.concat([Buffer.from([1]), Buffer.from("zeek.cluster.")]));

  // Publish only once the subscription has come through the broker: until then the publisher drops everything.
  const [subscription] = await within(5000, "the subscription at the publisher", publisher.receive());
  console.log(`publisher saw subscription: ${subscription?.subarray(1).toString()}`);

  // Zeek's 4 frames: topic, sender, format, payload (plain text here; @zmqc/wire-format encodes real events).
  await publisher.send([
    "zeek.cluster.worker",
    "example-publisher",
    "broker-bin-v1",
    "hello through the broker",
  ]);
  const frames = await within(5000, "the message at the subscriber", subscriber.receive());
  console.log(`subscriber received: ${frames.map((frame) => frame.toString()).join(" | ")}`);

  // Native mode forwards with libzmq's own proxy: no counters, but the mode, pause state and CURVE refusals.
  const { mode, paused, authRefused, proxy } = broker.stats();
  console.log(
    `stats: mode=${mode} paused=${paused} authRefused=${authRefused} proxy=${proxy ?? "n/a in native mode"}`,
  );
} finally {
  publisher.close();
  subscriber.close();
}
