// A process that embeds a broker and ends one of two ways:
//   node --conditions=@zmqc/source --import tsx test/support/exit-child.ts <native|managed> <close|exit> <plain|curve>
// "close": close() the broker, then let the event loop run dry (no process.exit): nothing may keep it alive.
// "exit": process.exit(0) with the broker open, as a role app does on a second signal or a fatal error.
// Prints "ready" once the broker is bound and waits for a line on stdin.
import { type BrokerMode, generateKeypair, startBroker } from "@zmqc/broker";

const [mode, how, curve] = process.argv.slice(2) as [BrokerMode, "close" | "exit", string | undefined];
const keys =
  curve === "curve"
    ? { curveServerSecretKey: generateKeypair().secret, curveClientPublicKey: generateKeypair().public }
    : {};
const broker = await startBroker({
  mode,
  ...keys,
  listenXpubEndpoint: "tcp://127.0.0.1:*",
  listenXsubEndpoint: "tcp://127.0.0.1:*",
  lingerMs: 0,
});
process.stdin.once("data", () => {
  process.stdin.destroy();
  if (how === "exit") process.exit(0);
  void broker.close();
});
process.stdout.write("ready\n");
