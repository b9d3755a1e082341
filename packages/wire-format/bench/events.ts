// Event codec benchmarks: each zmqc format against cbor-x maps and JSON of the same data, measured side by side in
// one run (ratios, not absolute numbers, are what to compare across machines).

import {
  decodeBrokerBinEvent,
  decodeBrokerJsonEvent,
  decodeCborEvent,
  decodeEventBatch,
  encodeBrokerBinEvent,
  encodeBrokerJsonEvent,
  encodeCborEvent,
  encodeEventBatch,
  Value,
  type ZeekEvent,
} from "@zmqc/wire-format";
import { Encoder } from "cbor-x";
import { Bench } from "tinybench";

const nodeId = "zeromq_worker-1_bench-host_12345_NwrZBf1q3FkxySjt2a";
/** The handshake event every node sends to every peer. */
export const helloEvent: ZeekEvent = {
  name: "Cluster::Backend::ZeroMQ::hello",
  args: [Value.string("worker-1"), Value.string(nodeId)],
};
/** The same data as a plain object, for the cbor-x and JSON baselines. */
const helloPlain = { name: helloEvent.name, args: ["worker-1", nodeId] };

const cborMaps = new Encoder({ useRecords: false, mapsAsObjects: true });
/** Events per zmqc-batch-v1 batch in the batch tasks. */
export const BATCH_EVENTS = 100;
const batchEvents: ZeekEvent[] = Array.from({ length: BATCH_EVENTS }, (_unused, i) => ({
  name: "Bench::ping",
  args: [Value.string(`worker-${i % 8}`), Value.count(i)],
}));
const batchPlain = batchEvents.map((_event, i) => ({ name: "Bench::ping", args: [`worker-${i % 8}`, i] }));

export async function benchEvents(time: number): Promise<Bench> {
  const bin = encodeBrokerBinEvent(helloEvent);
  const cbor = encodeCborEvent(helloEvent);
  const baselineCbor = cborMaps.encode(helloPlain);
  const baselineJson = JSON.stringify(helloPlain);
  const json = encodeBrokerJsonEvent(helloEvent);
  const batch = encodeEventBatch("broker-bin-v1", batchEvents.map(encodeBrokerBinEvent));
  const baselineBatch = cborMaps.encode(batchPlain);
  const bench = new Bench({ time, warmupTime: Math.min(200, time) });
  bench
    .add("hello: broker-bin-v1 decode", () => decodeBrokerBinEvent(bin))
    .add("hello: zmqc-cbor-v1 decode", () => decodeCborEvent(cbor))
    .add("hello: baseline cbor-x map decode", () => cborMaps.decode(baselineCbor))
    .add("hello: baseline JSON.parse", () => JSON.parse(baselineJson))
    .add("hello: broker-bin-v1 encode", () => encodeBrokerBinEvent(helloEvent))
    .add("hello: zmqc-cbor-v1 encode", () => encodeCborEvent(helloEvent))
    .add("hello: baseline cbor-x map encode", () => cborMaps.encode(helloPlain))
    .add("hello: baseline JSON.stringify", () => JSON.stringify(helloPlain))
    .add("hello: broker-json-v1 decode", () => decodeBrokerJsonEvent(json))
    .add("hello: broker-json-v1 encode", () => encodeBrokerJsonEvent(helloEvent))
    // zmqc-batch-v1: 100 broker-bin-v1 events in one message, against cbor-x maps of the same 100 events.
    .add(`ping×${BATCH_EVENTS}: zmqc-batch-v1 decode + broker-bin-v1 decode of each`, () => {
      for (const payload of decodeEventBatch(batch).payloads) decodeBrokerBinEvent(payload);
    })
    .add(`ping×${BATCH_EVENTS}: broker-bin-v1 encode of each + zmqc-batch-v1 encode`, () =>
      encodeEventBatch("broker-bin-v1", batchEvents.map(encodeBrokerBinEvent)),
    )
    .add(`ping×${BATCH_EVENTS}: baseline cbor-x map decode`, () => cborMaps.decode(baselineBatch))
    .add(`ping×${BATCH_EVENTS}: baseline cbor-x map encode`, () => cborMaps.encode(batchPlain));
  await bench.run();
  return bench;
}
