// Records, not files: take the log batches that senders PUSH and turn them into records, here printed as JSON
// lines (ready to ship to a queue or a search index) instead of written to Zeek log files.
// Run: node --conditions=@zmqc/source --import tsx examples/records-as-json.ts
import {
  createLogStream,
  decodeBatches,
  escapeUtf8,
  startLogReceiver,
  startLogSender,
} from "@zmqc/log-pipeline";

const conn = createLogStream({
  id: "Conn::LOG",
  path: "conn",
  columns: {
    ts: "time",
    uid: "string",
    id: { record: { orig_h: "addr", orig_p: "port", resp_h: "addr", resp_p: "port" } },
    service: { type: "string", optional: true },
    duration: { type: "interval", optional: true },
    orig_bytes: "count",
  },
});
const dns = createLogStream({ id: "DNS::LOG", path: "dns", columns: { ts: "time", query: "string" } });

// rows: true decodes Zeek's batches to plain cells (numbers, strings, arrays), which is what records are made of.
await using receiver = await startLogReceiver({ listenLogEndpoint: "tcp://127.0.0.1:*", rows: true });

// A worker logging to it: a Zeek worker with the receiver's endpoint as its logger would do the same.
await using sender = await startLogSender({ nodeId: "worker-1", connectLogEndpoints: [receiver.endpoint] });
for (let i = 0; i < 3; i++) {
  sender.write(conn, {
    ts: 1_764_064_800 + i / 4,
    uid: `C${i}`,
    id: { orig_h: "10.0.0.1", orig_p: `${51234 + i}/tcp`, resp_h: "192.0.2.7", resp_p: 443 },
    service: i === 1 ? undefined : "ssl",
    duration: i === 1 ? undefined : 0.125 * (i + 1),
    orig_bytes: 1200 * i,
  });
  sender.write(dns, { ts: 1_764_064_800 + i / 4, query: `host${i}.example` });
}
await sender.flush();

// JSON has no bigint (a count beyond 2^53) and no bytes (a string that is not UTF-8): send them as strings,
// the bytes escaped as Zeek's JSON logs escape them.
const json = (_key: string, value: unknown) =>
  typeof value === "bigint"
    ? value.toString()
    : value instanceof Uint8Array
      ? escapeUtf8(value, 0, value.length, "unprintable-controls")
      : value;

// A log stream has no end: a real shipper runs until it is stopped (closing the receiver ends the loop). This one
// stops after the records it expects, or gives up after 10 s.
const expected = 3;
const giveUp = setTimeout(() => void receiver.close(), 10_000);
let shipped = 0;
// Only the conn records: the dns ones are skipped.
for await (const record of decodeBatches(receiver.batches(), { paths: ["conn"] })) {
  console.log(JSON.stringify({ _node: record.sender, _path: record.path, ...record.values }, json));
  if (++shipped === expected) break;
}
clearTimeout(giveUp);
if (shipped < expected) throw new Error(`only ${shipped} of ${expected} conn records arrived within 10 s`);
