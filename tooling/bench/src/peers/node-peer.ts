// The Node ends of the event-path benchmark, each run as its own process:
//   raw-pub / raw-sub     what a user writes with zeromq.js alone (pre-encoded payload, no decoding)
//   zmqc-pub / zmqc-sub   zmqc nodes: connect(), publish() of a typed event (encoded per event), a handler (decoded)
//   zmqc-batch-pub        a zmqc node with batching on: publishManyWhenReady() of 256 typed events per call
// Publishers wait until the subscription is visible, then send <count> events losslessly. Subscribers print
// "<received> <ms>" (first to last event) and exit.
import { connect, defineEvent } from "@zmqc/pubsub";
import { Value, type ZeekEvent } from "@zmqc/wire-format";
import { XPublisher, XSubscriber } from "zeromq";

const ping = defineEvent("Bench::ping", ["string", "count"]);
const TIMEOUT_MS = 60_000;
/**
 * Events a batching publisher hands over per publishManyWhenReady() call: one default batch's worth. Chunks of 1024
 * kept four times as many events alive for the young-generation GC to copy, and ran ~15 % slower.
 */
const CHUNK = 256;

async function rawPub(endpoint: string, count: number, payload: Buffer, topic: string): Promise<void> {
  const xpub = new XPublisher({ linger: 10_000, noDrop: true });
  xpub.connect(endpoint);
  await xpub.receive();
  const frames = [Buffer.from(topic), Buffer.from("node-js"), Buffer.from("broker-bin-v1"), payload];
  for (let sent = 0; sent < count; ) {
    try {
      await xpub.send(frames);
      sent++;
    } catch (error) {
      if ((error as { code?: string }).code !== "EAGAIN") throw error;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  xpub.close();
}

async function rawSub(endpoint: string, count: number, topic: string): Promise<void> {
  const xsub = new XSubscriber({ linger: 0, receiveTimeout: TIMEOUT_MS });
  xsub.connect(endpoint);
  await xsub.send(Buffer.concat([Buffer.from([1]), Buffer.from(topic)]));
  let received = 0;
  let first = 0;
  try {
    while (received < count) {
      await xsub.receive();
      if (received++ === 0) first = performance.now();
    }
  } catch {
    // receive timeout: report what arrived
  }
  console.log(`${received} ${performance.now() - first}`);
  xsub.close();
}

async function zmqcPub(
  xsubEndpoint: string,
  xpubEndpoint: string,
  count: number,
  topic: string,
  batching = false,
): Promise<void> {
  const node = await connect({
    batching,
    connectXpubEndpoint: xsubEndpoint,
    connectXsubEndpoint: xpubEndpoint,
    connectXpubNodrop: true,
    overflow: { waitMs: TIMEOUT_MS },
    lingerMs: 10_000,
    log: () => {},
  });
  while (![...node.remoteSubscriptions()].some((prefix) => topic.startsWith(prefix))) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  if (batching) {
    // Batching: many events per call, each encoded straight into the open batch; waits only while the queue is full.
    const chunk: ZeekEvent[] = [];
    for (let i = 0; i < count; i++) {
      chunk.push(ping.make(Value.string("worker-1"), Value.count(i)));
      if (chunk.length === CHUNK || i === count - 1) {
        await node.publishManyWhenReady(topic, chunk, { timeoutMs: TIMEOUT_MS });
        chunk.length = 0;
      }
    }
  } else {
    for (let i = 0; i < count; i++) {
      const event = ping.make(Value.string("worker-1"), Value.count(i));
      if (!node.publish(topic, event)) await node.publishWhenReady(topic, event, { timeoutMs: TIMEOUT_MS });
    }
  }
  await node.drain();
}

async function zmqcSub(
  xsubEndpoint: string,
  xpubEndpoint: string,
  count: number,
  topic: string,
): Promise<void> {
  const node = await connect({
    connectXpubEndpoint: xsubEndpoint,
    connectXsubEndpoint: xpubEndpoint,
    log: () => {},
  });
  let received = 0;
  let first = 0;
  const all = new Promise<void>((resolve) => {
    node.on(ping, () => {
      if (received++ === 0) first = performance.now();
      if (received === count) resolve();
    });
  });
  await node.subscribe(topic);
  const timer = setTimeout(() => undefined, TIMEOUT_MS);
  await Promise.race([all, new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS).unref())]);
  clearTimeout(timer);
  console.log(`${received} ${performance.now() - first}`);
  const stats = node.stats();
  if (stats.decodeErrors + stats.typeErrors + stats.onloopDrops > 0) console.error(JSON.stringify(stats));
  await node.close();
}

/** Idle ends for the memory case: print "ready" once connected, then wait to be measured and stopped. */
async function idle(kind: string, xsubEndpoint: string, xpubEndpoint: string): Promise<void> {
  if (kind === "node") {
    // A Node.js process that does nothing: the floor every Node end stands on.
  } else if (kind === "raw") {
    const xpub = new XPublisher({ linger: 0 });
    const xsub = new XSubscriber({ linger: 0 });
    xpub.connect(xsubEndpoint);
    xsub.connect(xpubEndpoint);
    await xsub.send(Buffer.from("\x01idle."));
    await xpub.receive();
  } else {
    const node = await connect({
      connectXpubEndpoint: xsubEndpoint,
      connectXsubEndpoint: xpubEndpoint,
      log: () => {},
    });
    await node.subscribe("idle.");
  }
  console.log("ready");
  setInterval(() => undefined, 1 << 30);
}

const [role, a = "", b = "", c = "", d = "", e = ""] = process.argv.slice(2);
switch (role) {
  case "raw-pub":
    await rawPub(a, Number(b), Buffer.from(c, "hex"), d);
    break;
  case "raw-sub":
    await rawSub(a, Number(b), c);
    break;
  case "zmqc-pub":
    await zmqcPub(a, b, Number(c), d);
    break;
  case "zmqc-batch-pub":
    await zmqcPub(a, b, Number(c), d, true);
    break;
  case "zmqc-sub":
    await zmqcSub(a, b, Number(c), d);
    break;
  case "idle":
    await idle(a, b, c);
    break;
  default:
    console.error(`unknown role ${role} ${e}`);
    process.exit(2);
}
