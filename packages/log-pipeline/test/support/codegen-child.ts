// A sender and a logger in one process, run by no-codegen.test.ts with and without
// --disallow-code-generation-from-strings: writes records of every column type through the sender's record
// encoder and the logger's batch check (both compiled to code where the runtime allows it), then prints one JSON
// line: whether this runtime generated code, and the data lines of the log file the logger wrote.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogStream, startLogger, startLogSender } from "../../src/index.js";

const RECORDS = 2500;

const codegen = (() => {
  try {
    new Function("");
    return "allowed";
  } catch {
    return "refused";
  }
})();

const types = createLogStream({
  id: "Types::LOG",
  path: "types",
  columns: {
    ts: "time",
    took: "interval",
    name: "string",
    raw: "string",
    n: "count",
    delta: "int",
    ratio: "double",
    ok: "bool",
    id: { record: { orig_h: "addr", orig_p: "port", resp_h: "addr", resp_p: "port" } },
    net: "subnet",
    proto: "enum",
    tags: { set: "string" },
    sizes: { vector: "count" },
    note: { type: "string", optional: true },
    peers: { type: { set: "addr" }, optional: true },
  },
});

const record = (i: number) => ({
  ts: 1_764_064_800 + i / 7,
  took: i / 1000,
  name: `name ${i}\t${i % 3 === 0 ? "ü" : ","}`,
  raw: Uint8Array.from([0x41, i & 0xff, 0x5c]),
  n: i % 4 === 0 ? 2n ** 63n + BigInt(i) : i,
  delta: -i,
  ratio: i % 11 === 0 ? Number.NaN : i * 1.000_000_5,
  ok: i % 2 === 0,
  id: {
    orig_h: i % 5 === 0 ? `2001:db8::${(i % 0xffff).toString(16)}` : `10.0.${i % 256}.${(i * 7) % 256}`,
    orig_p: `${1024 + (i % 60_000)}/tcp`,
    resp_h: "192.0.2.1",
    resp_p: { number: 53, protocol: "udp" as const },
  },
  net: i % 2 === 0 ? "10.0.0.0/8" : "2001:db8::/32",
  proto: "tcp",
  tags: i % 6 === 0 ? [] : ["a", `t${i % 4}`],
  sizes: [i, i + 1],
  note: i % 3 === 0 ? undefined : `note-${i}`,
  peers: i % 4 === 0 ? null : ["192.0.2.7", "::1"],
});

const dir = mkdtempSync(join(tmpdir(), "zmqc-codegen-"));
const lines: string[] = [];
const log = (line: string) => lines.push(line);
try {
  const logger = await startLogger({
    listenLogEndpoint: "tcp://127.0.0.1:*",
    dir,
    rotationIntervalMs: 0,
    log,
  });
  const sender = await startLogSender({
    nodeId: "codegen-child",
    connectLogEndpoints: [logger.endpoint],
    flushInterval: 0,
    log,
  });
  for (let i = 0; i < RECORDS; i++) sender.write(types, record(i));
  await sender.drain();
  await logger.written(RECORDS, { timeoutMs: 20_000 });
  await logger.close();
  const data = readFileSync(join(dir, "types.log"), "utf8")
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#"));
  console.log(JSON.stringify({ codegen, warnings: lines, data }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
