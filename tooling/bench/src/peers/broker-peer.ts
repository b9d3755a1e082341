// zmqc's broker as a benchmark process of its own (so its CPU and RSS are measured like every other end):
//   broker-peer <native|managed>   binds ephemeral 127.0.0.1 ports, prints "<xpub> <xsub>", forwards until SIGTERM
import { type BrokerMode, startBroker } from "@zmqc/broker";

const mode = (process.argv[2] ?? "native") as BrokerMode;
const broker = await startBroker({
  mode,
  listenXpubEndpoint: "tcp://127.0.0.1:*",
  listenXsubEndpoint: "tcp://127.0.0.1:*",
  listenXpubNodrop: true,
  lingerMs: 0,
});
console.log(`${broker.xpubEndpoint} ${broker.xsubEndpoint}`);
const stop = () => void broker.close().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
