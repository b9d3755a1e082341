// Event codec benchmarks: each zmqc format against cbor-x maps and JSON of the same data, measured side by side in
// one run (ratios, not absolute numbers, are what to compare across machines).

import {
  decodeBrokerBinEvent,
  decodeCborEvent,
  encodeBrokerBinEvent,
  encodeCborEvent,
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

export async function benchEvents(time: number): Promise<Bench> {
  const bin = encodeBrokerBinEvent(helloEvent);
  const cbor = encodeCborEvent(helloEvent);
  const baselineCbor = cborMaps.encode(helloPlain);
  const baselineJson = JSON.stringify(helloPlain);
  const bench = new Bench({ time, warmupTime: Math.min(200, time) });
  bench
    .add("hello: broker-bin-v1 decode", () => decodeBrokerBinEvent(bin))
    .add("hello: zmqc-cbor-v1 decode", () => decodeCborEvent(cbor))
    .add("hello: baseline cbor-x map decode", () => cborMaps.decode(baselineCbor))
    .add("hello: baseline JSON.parse", () => JSON.parse(baselineJson))
    .add("hello: broker-bin-v1 encode", () => encodeBrokerBinEvent(helloEvent))
    .add("hello: zmqc-cbor-v1 encode", () => encodeCborEvent(helloEvent))
    .add("hello: baseline cbor-x map encode", () => cborMaps.encode(helloPlain))
    .add("hello: baseline JSON.stringify", () => JSON.stringify(helloPlain));
  await bench.run();
  return bench;
}
