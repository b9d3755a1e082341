// `pnpm bench` in this package: runs the codec benchmarks and prints ops/s plus each zmqc codec's ratio to its
// baseline from the same run. `--full` runs longer for steadier numbers, `--time MS` sets each task's time (the
// benchmark harness's smoke run uses a short one); `--json FILE` also writes the results.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { Bench } from "tinybench";
import { benchCborDesign } from "./cbor-design.js";
import { BATCH_EVENTS, benchEvents, helloEvent } from "./events.js";
import { benchLogs } from "./logs.js";

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== "--"),
  options: {
    full: { type: "boolean", default: false },
    json: { type: "string" },
    time: { type: "string" },
  },
});
const time = values.time ? Number(values.time) : values.full ? 2000 : 400;

function rows(bench: Bench) {
  return bench.tasks.map((task) => {
    const result = task.result as { throughput?: { mean: number }; latency?: { rme?: number } } | undefined;
    return { name: task.name, opsPerSecond: result?.throughput?.mean ?? 0, rme: result?.latency?.rme ?? 0 };
  });
}

const design = await benchCborDesign(helloEvent, time);
const results = [...rows(await benchEvents(time)), ...rows(await benchLogs(time)), ...rows(design.bench)];
const byName = new Map(results.map((row) => [row.name, row.opsPerSecond]));
const ratio = (a: string, b: string) => (byName.get(a) ?? 0) / (byName.get(b) ?? 1);

console.table(
  results.map((row) => ({ task: row.name, "ops/s": Math.round(row.opsPerSecond), "±%": row.rme.toFixed(1) })),
);
const ratios = {
  "broker-bin-v1 decode / cbor-x map decode (target ≥ 1.0)": ratio(
    "hello: broker-bin-v1 decode",
    "hello: baseline cbor-x map decode",
  ),
  "zmqc-cbor-v1 decode / cbor-x map decode": ratio(
    "hello: zmqc-cbor-v1 decode",
    "hello: baseline cbor-x map decode",
  ),
  "broker-bin-v1 encode / cbor-x map encode": ratio(
    "hello: broker-bin-v1 encode",
    "hello: baseline cbor-x map encode",
  ),
  "broker-bin-v1 decode / JSON.parse": ratio("hello: broker-bin-v1 decode", "hello: baseline JSON.parse"),
  "broker-json-v1 decode / JSON.parse": ratio("hello: broker-json-v1 decode", "hello: baseline JSON.parse"),
  "broker-json-v1 encode / JSON.stringify": ratio(
    "hello: broker-json-v1 encode",
    "hello: baseline JSON.stringify",
  ),
  "zmqc-batch-v1 of broker-bin-v1 events decode / cbor-x map decode of the same events": ratio(
    `ping×${BATCH_EVENTS}: zmqc-batch-v1 decode + broker-bin-v1 decode of each`,
    `ping×${BATCH_EVENTS}: baseline cbor-x map decode`,
  ),
  "zmqc-batch-v1 of broker-bin-v1 events encode / cbor-x map encode of the same events": ratio(
    `ping×${BATCH_EVENTS}: broker-bin-v1 encode of each + zmqc-batch-v1 encode`,
    `ping×${BATCH_EVENTS}: baseline cbor-x map encode`,
  ),
  "zeek-bin-serializer batch decode, typed values / JSON lines parse": ratio(
    "conn×1000: zeek-bin-serializer decode",
    "conn×1000: baseline JSON lines parse",
  ),
  "zeek-bin-serializer batch decode to plain rows / JSON lines parse": ratio(
    "conn×1000: zeek-bin-serializer decode to plain rows",
    "conn×1000: baseline JSON lines parse",
  ),
  "zeek-bin-serializer plain rows + read every field / JSON lines the same (target ≥ 2.0)": ratio(
    "conn×1000: zeek-bin-serializer plain rows + read every field",
    "conn×1000: baseline JSON lines parse + read every field",
  ),
  "zeek-bin-serializer lazy view + read every field / JSON lines the same": ratio(
    "conn×1000: zeek-bin-serializer lazy view + read every field",
    "conn×1000: baseline JSON lines parse + read every field",
  ),
  "zmqc-cbor-v1 batch decode / JSON lines parse": ratio(
    "conn×1000: zmqc-cbor-v1 decode",
    "conn×1000: baseline JSON lines parse",
  ),
  "zeek-bin-serializer batch encode / JSON lines stringify": ratio(
    "conn×1000: zeek-bin-serializer encode",
    "conn×1000: baseline JSON lines stringify",
  ),
  "zeek-bin-serializer batch encode / the checked (previous) encoder": ratio(
    "conn×1000: zeek-bin-serializer encode",
    "conn×1000: zeek-bin-serializer checked (previous) encode",
  ),
};
for (const [name, value] of Object.entries(ratios)) console.log(`${name}: ${value.toFixed(2)}×`);
console.log("hello event payload sizes (bytes):", design.sizes);
if (values.json)
  writeFileSync(
    values.json,
    `${JSON.stringify({ node: process.version, time, results, ratios, sizes: design.sizes }, null, 2)}\n`,
  );
