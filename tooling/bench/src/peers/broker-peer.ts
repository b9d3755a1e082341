// zmqc's broker as a benchmark process of its own (so its CPU and RSS are measured like every other end):
//   broker-peer <native|managed> [heap]   binds ephemeral 127.0.0.1 ports, prints "<xpub> <xsub>", forwards until
//                                         SIGTERM; with "heap", also "heap 0 <V8 heap used, MB>" every 500 ms
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
if (process.argv[3] === "heap") {
  setInterval(
    () => console.log(`heap 0 ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(1)}`),
    500,
  ).unref();
}
const stop = () => void broker.close().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
