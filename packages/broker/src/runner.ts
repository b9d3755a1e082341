// A standalone broker in its own process, for the fault and Zeek tests:
//   node --conditions=@zmqc/source --import tsx test/support/run-broker.ts [xpubEndpoint] [xsubEndpoint]
// (run from packages/broker; endpoints default to tcp://127.0.0.1:*). Prints one JSON line,
// {"xpubEndpoint": …, "xsubEndpoint": …}, once both sockets are bound, or {"error": …, "code": …} and exits 2
// when it cannot start. It closes and exits 0 when its stdin ends (the test, or the test worker, went away)
// or on SIGTERM.
import { startBroker } from "@zmqc/broker";

const [xpub = "tcp://127.0.0.1:*", xsub = "tcp://127.0.0.1:*"] = process.argv.slice(2);

try {
  const broker = await startBroker({ listenXpubEndpoint: xpub, listenXsubEndpoint: xsub, lingerMs: 0 });
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
  void broker.closed.then((error) => {
    if (error !== undefined) {
      process.stderr.write(`broker stopped: ${error.message}\n`);
      process.exit(1);
    }
  });
  process.stdout.write(
    `${JSON.stringify({ xpubEndpoint: broker.xpubEndpoint, xsubEndpoint: broker.xsubEndpoint })}\n`,
  );
} catch (error) {
  const { message, code } = error as { message?: string; code?: string };
  process.stdout.write(`${JSON.stringify({ error: message ?? String(error), code })}\n`);
  process.exit(2);
}
