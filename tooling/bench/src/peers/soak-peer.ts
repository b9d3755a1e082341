// The Node ends of the soak case, each its own process: a zmqc node publishing <count> events losslessly, one event
// per message (Zeek-compatible), and a zmqc node receiving them through a handler. Each prints
// "heap <events so far> <V8 heap used, MB>" every 500 ms, so the harness can put the heap beside the RSS it reads
// from /proc; the subscriber ends with "done <received> <ms>".
//   soak-peer pub|sub <broker xsub endpoint> <broker xpub endpoint> <count> <topic>
import { connect, defineEvent } from "@zmqc/pubsub";
import { Value } from "@zmqc/wire-format";

const ping = defineEvent("Bench::ping", ["string", "count"]);
const TIMEOUT_MS = 60_000;
const REPORT_MS = 500;

function reportHeap(progress: () => number): () => void {
  const report = () =>
    console.log(`heap ${progress()} ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(1)}`);
  const timer = setInterval(report, REPORT_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    report();
  };
}

async function publisher(xsub: string, xpub: string, count: number, topic: string): Promise<void> {
  const node = await connect({
    connectXpubEndpoint: xsub,
    connectXsubEndpoint: xpub,
    connectXpubNodrop: true,
    overflow: { waitMs: TIMEOUT_MS },
    lingerMs: 10_000,
    log: () => {},
  });
  while (![...node.remoteSubscriptions()].some((prefix) => topic.startsWith(prefix))) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  let sent = 0;
  const stop = reportHeap(() => sent);
  for (; sent < count; sent++) {
    const event = ping.make(Value.string("worker-1"), Value.count(sent));
    if (!node.publish(topic, event)) await node.publishWhenReady(topic, event, { timeoutMs: TIMEOUT_MS });
  }
  await node.drain();
  stop();
  await node.close();
}

async function subscriber(xsub: string, xpub: string, count: number, topic: string): Promise<void> {
  const node = await connect({ connectXpubEndpoint: xsub, connectXsubEndpoint: xpub, log: () => {} });
  let received = 0;
  let first = 0;
  let idle: NodeJS.Timeout | undefined;
  const all = new Promise<void>((resolve) => {
    // Ends when every event is in, or when none has come for TIMEOUT_MS (the harness then reports the loss).
    const rearm = () => {
      clearTimeout(idle);
      idle = setTimeout(resolve, TIMEOUT_MS);
    };
    rearm();
    node.on(ping, () => {
      if (received++ === 0) first = performance.now();
      if (received % 10_000 === 0) rearm();
      if (received === count) resolve();
    });
  });
  await node.subscribe(topic);
  const stop = reportHeap(() => received);
  await all;
  clearTimeout(idle);
  stop();
  console.log(`done ${received} ${performance.now() - first}`);
  await node.close();
}

const [role, xsub = "", xpub = "", count = "0", topic = "zeek.soak"] = process.argv.slice(2);
if (role === "pub") await publisher(xsub, xpub, Number(count), topic);
else if (role === "sub") await subscriber(xsub, xpub, Number(count), topic);
else {
  console.error(`unknown role ${role}`);
  process.exit(2);
}
