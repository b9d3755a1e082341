// A log sender in a child process for the slow-logger memory test (test/slow-logger.test.ts), so its RSS is its
// own:
//   node --conditions=@zmqc/source --import tsx test/support/flood-sender.ts '<json options>'
// It writes `records` conn-like records (20 columns, one of them a `payloadBytes` string, so an unbounded queue
// would show in RSS at once) as fast as it can, yielding to the event loop every `chunk` records, as a busy
// node's loop does. Then it prints one JSON line, {"phase":"written", stats, baselineRss, peakRss}, and waits
// for a line on stdin; then it drains (flush, and up to lingerMs for delivery), prints {"phase":"drained", ...}
// and exits.
import { createInterface } from "node:readline";
import { setImmediate as yieldToLoop } from "node:timers/promises";
import { createLogStream, type LogOverflowPolicy, startLogSender } from "@zmqc/log-pipeline";

interface FloodOptions {
  readonly endpoint: string;
  readonly records: number;
  readonly payloadBytes: number;
  readonly chunk: number;
  readonly writeBufferSize: number;
  readonly logSndhwm: number;
  readonly overflow: LogOverflowPolicy;
  readonly lingerMs: number;
}

const options = JSON.parse(process.argv[2] ?? "{}") as FloodOptions;

const conn = createLogStream({
  id: "Conn::LOG",
  path: "conn",
  columns: {
    ts: "time",
    uid: "string",
    id: { record: { orig_h: "addr", orig_p: "port", resp_h: "addr", resp_p: "port" } },
    proto: "enum",
    service: { type: "string", optional: true },
    duration: { type: "interval", optional: true },
    orig_bytes: { type: "count", optional: true },
    resp_bytes: { type: "count", optional: true },
    conn_state: { type: "string", optional: true },
    local_orig: { type: "bool", optional: true },
    local_resp: { type: "bool", optional: true },
    missed_bytes: "count",
    history: { type: "string", optional: true },
    orig_pkts: { type: "count", optional: true },
    orig_ip_bytes: { type: "count", optional: true },
    resp_pkts: { type: "count", optional: true },
    resp_ip_bytes: { type: "count", optional: true },
  },
});

const payload = "x".repeat(options.payloadBytes);
const record = (i: number) => ({
  ts: 1_764_064_800 + i / 1000,
  uid: `C${i}`,
  id: { orig_h: "10.0.0.1", orig_p: `${1024 + (i % 60000)}/tcp`, resp_h: "192.0.2.1", resp_p: "443/tcp" },
  proto: "tcp",
  service: "ssl",
  duration: i / 7,
  orig_bytes: i,
  resp_bytes: 2 * i,
  conn_state: "SF",
  local_orig: true,
  local_resp: false,
  missed_bytes: 0,
  history: payload,
  orig_pkts: 3,
  orig_ip_bytes: 180,
  resp_pkts: 4,
  resp_ip_bytes: 240,
});

const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
// The largest RSS seen since the baseline, sampled at every yield (getrusage's maxrss would include startup).
let peakRss = 0;
const sample = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};

const warnings: string[] = [];
const sender = await startLogSender({
  nodeId: "flood",
  connectLogEndpoints: [options.endpoint],
  writeBufferSize: options.writeBufferSize,
  flushInterval: 0,
  logSndhwm: options.logSndhwm,
  lingerMs: options.lingerMs,
  overflow: options.overflow,
  log: (line) => warnings.push(line),
});
// Warm up (code paths compiled, buffers allocated) before the baseline, with records nobody counts.
for (let i = 0; i < 2 * options.writeBufferSize; i++) conn.toValues(record(i));
const baselineRss = process.memoryUsage().rss;

for (let i = 0; i < options.records; i++) {
  sender.write(conn, record(i));
  if ((i + 1) % options.chunk === 0) {
    sample();
    await yieldToLoop();
  }
}
sample();
const report = (phase: string) =>
  `${JSON.stringify({
    phase,
    stats: sender.stats(),
    warnings: warnings.slice(0, 5),
    baselineRssMiB: mib(baselineRss),
    peakRssMiB: mib(peakRss),
    producedMiB: mib(options.records * options.payloadBytes),
  })}\n`;
process.stdout.write(report("written"));

const lines = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => lines.once("line", () => resolve()));
lines.close();
const draining = sender.drain();
const sampler = setInterval(sample, 10);
await draining;
clearInterval(sampler);
sample();
process.stdout.write(report("drained"));
