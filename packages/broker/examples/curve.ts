// CURVE (Zeek 8.2's server mode): the broker holds the server key pair and admits only the shared client key. Two
// peers with the client keys exchange a message; a third with a key of its own is refused, counted and logged.
// Run: node --conditions=@zmqc/source --import tsx examples/curve.ts
import { generateKeypair, startBroker, watchHandshakes } from "@zmqc/broker";
import { XPublisher, XSubscriber } from "zeromq";
import { within } from "./support/within.js";

const server = generateKeypair(); // the broker's (and loggers') pair; `zmqc keygen` makes one too
const client = generateKeypair(); // shared by every node

await using broker = await startBroker({
  listenXpubEndpoint: "tcp://127.0.0.1:*",
  listenXsubEndpoint: "tcp://127.0.0.1:*",
  curveServerSecretKey: server.secret,
  curveClientPublicKey: client.public,
  log: (line) => console.log(`broker log: ${line}`), // refusals go to stderr unless told otherwise
});
console.log(`CURVE broker: XPUB ${broker.xpubEndpoint}, XSUB ${broker.xsubEndpoint}`);

// A client names the server's public key and its own pair (zeromq.js option names).
const clientKeys = {
  curveServerKey: server.public,
  curvePublicKey: client.public,
  curveSecretKey: client.secret,
};
const publisher = new XPublisher({ linger: 0, ...clientKeys });
const subscriber = new XSubscriber({ linger: 0, ...clientKeys });
const stranger = generateKeypair();
const intruder = new XSubscriber({
  linger: 0,
  curveServerKey: server.public,
  curvePublicKey: stranger.public,
  curveSecretKey: stranger.secret,
});
try {
  publisher.connect(broker.xsubEndpoint);
  subscriber.connect(broker.xpubEndpoint);
  await subscriber.send(Buffer.concat([Buffer.from([1]), Buffer.from("secret.")]));
  await within(5000, "the subscription at the publisher", publisher.receive());
  await publisher.send(["secret.plans", "example-publisher", "broker-bin-v1", "encrypted on the wire"]);
  const [topic, , , payload] = await within(5000, "the message at the subscriber", subscriber.receive());
  console.log(`received over CURVE on ${topic}: ${payload}`);

  // Watch before connecting, so the first handshake's failure is not missed.
  const refused = new Promise<Error>((resolve) => watchHandshakes(intruder, resolve));
  intruder.connect(broker.xpubEndpoint);
  const failure = await within(5000, "the intruder's handshake failure", refused);
  console.log(`intruder: ${failure.message}`);
  console.log(`refused clients so far: ${broker.stats().authRefused}`);
} finally {
  publisher.close();
  subscriber.close();
  intruder.close();
}
