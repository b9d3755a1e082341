// A broker in a process of its own, as a standalone broker runs (Zeek's supervisor-runs-zmq-proxy): what
// spawnBroker() in ./testing.ts starts. Shipped as dist/broker-runner.js; from source it runs under tsx:
//   node dist/broker-runner.js '<options as JSON>'
//   node --conditions=@zmqc/source --import tsx src/runner.ts '<options as JSON>'
// The options are startBroker()'s without `log` (the broker's log lines go to stderr). Prints one JSON line once
// both sockets are bound, {"xpubEndpoint": …, "xsubEndpoint": …, "mode": …}, or {"error": …, "code": …} and exits
// 2 when it cannot start. It closes the broker and exits 0 when its stdin ends (its parent went away), on SIGTERM
// or on SIGINT; 1 if the broker stops by itself with an error.
import type { BrokerOptions } from "./options.js";
import { startBroker } from "./start.js";

/** The first line a runner prints: where it listens, or why it could not start. */
export type RunnerReport =
  | { readonly xpubEndpoint: string; readonly xsubEndpoint: string; readonly mode: string }
  | { readonly error: string; readonly code?: string };

function report(line: RunnerReport): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

async function main(): Promise<void> {
  let options: Omit<BrokerOptions, "log">;
  try {
    options = JSON.parse(process.argv[2] ?? "{}") as Omit<BrokerOptions, "log">;
  } catch (error) {
    report({ error: `the options argument is not JSON: ${(error as Error).message}`, code: "CONFIG" });
    process.exit(2);
  }
  try {
    const broker = await startBroker({ ...options, log: (line) => process.stderr.write(`${line}\n`) });
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
    process.on("SIGINT", stop);
    void broker.closed.then((error) => {
      if (error !== undefined) {
        process.stderr.write(`broker stopped: ${error.message}\n`);
        process.exit(1);
      }
    });
    report({ xpubEndpoint: broker.xpubEndpoint, xsubEndpoint: broker.xsubEndpoint, mode: broker.mode });
  } catch (error) {
    const { message, code } = error as { message?: string; code?: string };
    report({ error: message ?? String(error), ...(code === undefined ? {} : { code }) });
    process.exit(2);
  }
}

await main();
