// A node's status stream: its connections, other nodes' subscriptions coming and going, the first drop of a kind
// (a consumer too slow for its bounded queue, Zeek's onloop overload) and the close, each printed as it comes.
// Run: node --conditions=@zmqc/source --import tsx examples/status-stream.ts
import { nodeEndpoints, startBroker } from "@zmqc/broker";
import { connect, defineEvent, joinAsClient, type NodeStatus } from "@zmqc/pubsub";
import { Value } from "@zmqc/wire-format";
import { within } from "./support/within.js";

const job = defineEvent("Demo::job", ["count"]);
const done = defineEvent("Demo::done", []);

/** One status as a line. */
function describe(status: NodeStatus): string {
  switch (status.type) {
    case "connected":
    case "disconnected":
      return `${status.type} ${status.socket} ${status.endpoint}`;
    case "reconnecting":
      return `reconnecting ${status.socket} in ${status.intervalMs} ms`;
    case "subscription":
    case "unsubscription":
      return `${status.type} ${status.topic}`;
    case "dropWarning":
      return `dropWarning ${status.counter}: ${status.message}`;
    case "reconnectHold":
      return status.phase === "started" ? "reconnectHold started" : `reconnectHold ended (${status.reason})`;
    case "error":
      return `error ${status.error.message}`;
    case "closed":
      return `closed${status.error ? ` (${status.error.message})` : ""}`;
  }
}

await using broker = await startBroker({
  listenXpubEndpoint: "tcp://127.0.0.1:*",
  listenXsubEndpoint: "tcp://127.0.0.1:*",
});
// The node's XPUB connects to the broker's XSUB, its XSUB to the broker's XPUB.
const endpoints = nodeEndpoints(broker);
// Room for 2 unread events per events() stream; the first drop is also a line on `log` (stderr by default).
await using monitor = await connect({
  name: "monitor",
  ...endpoints,
  onloopQueueHwm: 2,
  log: (line) => console.log(`log: ${line}`),
});
// Taken right after connect(), so the connections are in it too.
const statuses = monitor.status();

/** Prints the monitor's statuses as they come until one `match` accepts (each within 5 s). */
async function printUntil(what: string, match: (status: NodeStatus) => boolean): Promise<void> {
  for (;;) {
    const next = await within(5000, what, statuses.next());
    if (next.done) throw new Error(`the status stream ended before ${what}`);
    console.log(`status: ${describe(next.value)}`);
    if (match(next.value)) return;
  }
}

await monitor.subscribe("demo.jobs.");
await printUntil(
  "the monitor's own subscription",
  (s) => s.type === "subscription" && s.topic === "demo.jobs.",
);

// A process outside any cluster layout: subscribes to its topics and resolves once it is ready to publish, i.e.
// it has seen every subscription the broker had (the monitor's too). Its check is Zeek's: it subscribes to an
// internal topic, waits for the echo and unsubscribes, so the monitor sees that topic come and go.
await using producer = await joinAsClient({ ...endpoints, name: "producer", topics: ["demo.replies."] });
await printUntil(
  "the producer's subscription",
  (s) => s.type === "subscription" && s.topic === "demo.replies.",
);

// Nobody reads the stream yet: 2 jobs wait in it, 3 are dropped and counted, and the first drop is reported.
const jobs = monitor.events(job);
const finished = new Promise<void>((resolve) => monitor.on(done, () => resolve()));
for (let n = 1; n <= 5; n++) producer.node.publish("demo.jobs.render", job.make(Value.count(n)));
producer.node.publish("demo.jobs.render", done.make());
await printUntil("a drop warning", (s) => s.type === "dropWarning");
await within(5000, "Demo::done", finished);

let read = 0;
for await (const { args } of jobs) {
  console.log(`job ${args[0].value} read from the stream`);
  if (++read === 2) break; // leaving the iteration removes the handler
}
const stats = monitor.stats();
console.log(`monitor: eventsReceived=${stats.eventsReceived} onloopDrops=${stats.onloopDrops}`);

// The producer leaves: its subscription goes away at the broker, and the monitor hears of it.
await producer.close();
await printUntil(
  "the producer's unsubscription",
  (s) => s.type === "unsubscription" && s.topic === "demo.replies.",
);
await monitor.close();
await printUntil("the close", (s) => s.type === "closed");
