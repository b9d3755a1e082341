// A process that embeds a broker and calls process.exit(0) without closing it, as a role app does on a second
// signal or a fatal error:
//   node --conditions=@zmqc/source --import tsx src/children/exit-with-broker.ts '{"mode": "native" | "managed"}'
// Prints {"event": "ready"} once the broker is bound, then exits when a line comes on stdin.
import { type BrokerMode, startBroker } from "@zmqc/broker";

const config = JSON.parse(process.argv[2] ?? "{}") as { mode: BrokerMode };
await startBroker({
  mode: config.mode,
  listenXpubEndpoint: "tcp://127.0.0.1:*",
  listenXsubEndpoint: "tcp://127.0.0.1:*",
  lingerMs: 0,
});
process.stdin.once("data", () => process.exit(0));
process.stdout.write(`${JSON.stringify({ event: "ready" })}\n`);
