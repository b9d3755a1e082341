// A zmqc broker in its own process, for the scenarios that kill and restart it on the same ports:
//   node --conditions=@zmqc/source --import tsx src/children/broker.ts '{"xpub": "tcp://…", "xsub": "tcp://…", "mode"?}'
// Prints {"event": "ready", "xpubEndpoint", "xsubEndpoint"} once bound; on SIGTERM (or when stdin ends) closes and
// exits 0.
import { type BrokerMode, startBroker } from "@zmqc/broker";

const config = JSON.parse(process.argv[2] ?? "{}") as { xpub: string; xsub: string; mode?: BrokerMode };
const broker = await startBroker({
  mode: config.mode ?? "native",
  listenXpubEndpoint: config.xpub,
  listenXsubEndpoint: config.xsub,
  lingerMs: 0,
});
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void broker.close().then(() => process.exit(0));
};
process.stdin.on("end", stop);
process.stdin.on("error", stop);
process.stdin.resume();
process.on("SIGTERM", stop);
process.stdout.write(
  `${JSON.stringify({ event: "ready", xpubEndpoint: broker.xpubEndpoint, xsubEndpoint: broker.xsubEndpoint })}\n`,
);
