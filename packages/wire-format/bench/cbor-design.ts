// Why zmqc-cbor-v1 writes values as [typeTag, data] arrays: the alternatives measured on the same data.

import {
  decodeCborEvent,
  encodeBrokerBinEvent,
  encodeBrokerJsonEvent,
  encodeCborEvent,
  type ZeekEvent,
} from "@zmqc/wire-format";
import { Encoder } from "cbor-x";
import { Bench } from "tinybench";
import { valueToCbor } from "../src/cbor/value.js";

const plain = new Encoder({
  useRecords: false,
  mapsAsObjects: true,
  variableMapSize: true,
  tagUint8Array: false,
});
const records = new Encoder({ useRecords: true, mapsAsObjects: true });

/** The alternative: each value as a `{ t, v }` map instead of a `[t, v]` array. */
function asMaps(value: unknown[]): unknown {
  const [t, ...data] = value;
  return {
    t,
    v:
      data.length === 1
        ? Array.isArray(data[0]) && t !== 6
          ? (data[0] as unknown[][]).map(asMaps)
          : data[0]
        : data,
  };
}

export async function benchCborDesign(event: ZeekEvent, time: number) {
  const args = event.args.map((arg) => valueToCbor(arg));
  const designs = {
    "zmqc-cbor-v1 ([tag, data] arrays)": encodeCborEvent(event),
    "CBOR maps per value ({t, v})": plain.encode({ v: 1, name: event.name, args: args.map(asMaps) }),
    "cbor-x records extension": records.encode({ v: 1, name: event.name, args }),
    "broker-bin-v1": encodeBrokerBinEvent(event),
    "broker-json-v1": encodeBrokerJsonEvent(event),
  };
  const sizes = Object.fromEntries(Object.entries(designs).map(([name, bytes]) => [name, bytes.length]));
  const mapsPayload = designs["CBOR maps per value ({t, v})"];
  const bench = new Bench({ time, warmupTime: Math.min(200, time) });
  bench
    .add("design: [tag, data] arrays decode", () =>
      decodeCborEvent(designs["zmqc-cbor-v1 ([tag, data] arrays)"]),
    )
    .add("design: {t, v} maps, cbor-x decode only", () => plain.decode(mapsPayload));
  await bench.run();
  return { sizes, bench };
}
