// The managed broker's worker thread: binds the sockets, runs the forwarding loop, answers queries and stops on
// request. Built as its own entry (dist/managed-worker.js); from source it is started through tsx (spawn.ts).
import { parentPort, workerData } from "node:worker_threads";
import { BindFailure, type BrokerSockets, bindBrokerSockets } from "../sockets.js";
import { CounterWriter } from "./counters.js";
import { Forwarder } from "./forwarder.js";
import type { FromWorker, ManagedWorkerData, ToWorker } from "./protocol.js";
import { Control, EXIT_DONE, Slot, waitAsync } from "./shared.js";
import { SubscriptionTable } from "./subscriptions.js";
import { Tap } from "./tap.js";
import { TopicCounter } from "./topics.js";

if (parentPort === null) throw new Error("the managed broker worker must run in a worker thread");
const port = parentPort;
const { options, memory } = workerData as ManagedWorkerData;

function post(message: FromWorker): void {
  port.postMessage(message);
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

async function openTap(counters: CounterWriter): Promise<Tap | undefined | "failed"> {
  if (options.tapFile === undefined) return undefined;
  try {
    return await Tap.open(options.tapFile, () => counters.add(Slot.tapDropped, 1));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    post({ type: "tap-failed", path: options.tapFile, message, code: errorCode(error) });
    return "failed";
  }
}

async function bind(counters: CounterWriter): Promise<BrokerSockets | undefined> {
  try {
    return await bindBrokerSockets(options, {
      zeroTimeouts: true,
      onRefused: ({ address, mechanism }) => {
        counters.add(Slot.authRefused, 1);
        post({ type: "zap-refused", address, mechanism });
      },
    });
  } catch (error) {
    if (!(error instanceof BindFailure)) throw error;
    const { socket, endpoint, message, code } = error;
    post({ type: "bind-failed", socket, endpoint, message, code });
    return undefined;
  }
}

async function run(): Promise<void> {
  const counters = new CounterWriter(memory);
  const tap = await openTap(counters);
  if (tap === "failed") return;
  const sockets = await bind(counters);
  if (sockets === undefined) {
    await tap?.close();
    return;
  }

  const subscriptions = new SubscriptionTable();
  const topics = new TopicCounter();
  const forwarder = new Forwarder(
    {
      xsub: sockets.xsub,
      xpub: sockets.xpub,
      counters,
      subscriptions,
      topics,
      tap,
      control: new Int32Array(memory.control),
    },
    { pollMaxMessages: options.pollMaxMessages, stuckWaitMs: options.stuckSubscriberMaxWaitMs },
  );
  let requestClose: () => void = () => {};
  const closeRequested = new Promise<"close">((resolve) => {
    requestClose = () => resolve("close");
  });
  const onMessage = (message: ToWorker): void => {
    switch (message.type) {
      case "close":
        requestClose();
        break;
      case "query":
        post({
          type: "answer",
          id: message.id,
          value: message.query === "subscriptions" ? subscriptions.snapshot() : topics.snapshot(),
        });
        break;
    }
  };
  port.on("message", onMessage);
  // The process is exiting with the broker open (see start.ts): close as close() would, and say so once this
  // thread has nothing left to do. zeromq.js aborts the process if the worker is terminated while callbacks of
  // its sockets (the ZAP handler's too) are still due, so "closed" is not enough: the worker's own exit is.
  const control = new Int32Array(memory.control);
  const exiting = waitAsync(control, Control.exit, 0);
  if (exiting.async) void exiting.value.then(requestClose);
  process.once("exit", () => {
    Atomics.store(control, Control.exit, EXIT_DONE);
    Atomics.notify(control, Control.exit);
  });

  const failure = forwarder.run().then(
    () => new Error("the forwarding loop ended without being asked to"),
    (error: unknown) => error,
  );
  post({ type: "ready", xpubEndpoint: sockets.xpubEndpoint, xsubEndpoint: sockets.xsubEndpoint });
  const outcome = await Promise.race([closeRequested, failure]);

  // Closing the sockets ends the loop's pending receives; then the ports are free and the tap is written out.
  forwarder.stop();
  await sockets.close();
  await failure;
  await tap?.close();
  counters.flush();
  port.off("message", onMessage);
  if (outcome !== "close") throw outcome;
  post({ type: "stopped", subscriptions: subscriptions.snapshot(), topics: topics.snapshot() });
}

await run();
