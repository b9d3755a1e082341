// decodeBatches: a receiver's batches as a stream of records, over real sockets. A zmqc sender logs two streams;
// the records come out in order with their cells by column name, the same from every decoding of the receiver
// (typed, rows, checked payload) and from the zmqc-cbor-v1 format.
import { describe, expect, it } from "vitest";
import {
  type DecodedLogRecord,
  decodeBatches,
  type LogReceiverOptions,
  startLogReceiver,
  startLogSender,
} from "../src/index.js";
import { createLogStream } from "../src/sender/stream.js";
import { conn } from "./support/conn-stream.js";

const dns = createLogStream({ id: "DNS::LOG", path: "dns", columns: { ts: "time", query: "string" } });

/** Sends `count` conn records (and as many dns ones, interleaved) and takes the conn records back as records. */
async function roundTrip(
  receiverOptions: Pick<LogReceiverOptions, "rows">,
  logSerializer: "zeek-bin-serializer" | "zmqc-cbor-v1",
  count: number,
): Promise<DecodedLogRecord[]> {
  await using receiver = await startLogReceiver({
    listenLogEndpoint: "tcp://127.0.0.1:*",
    ...receiverOptions,
  });
  await using sender = await startLogSender({
    nodeId: "worker-1",
    connectLogEndpoints: [receiver.endpoint],
    writeBufferSize: 7,
    flushInterval: 0,
    logSerializer,
  });
  for (let i = 0; i < count; i++) {
    sender.write(conn, {
      ts: 1_764_064_800 + i / 4,
      uid: `C${i}`,
      id: { orig_h: "10.0.0.1", orig_p: `${1024 + i}/tcp`, resp_h: "2001:db8::1", resp_p: 443 },
      proto: "tcp",
      service: i % 2 === 0 ? "ssl" : undefined,
      orig_bytes: i % 3 === 0 ? 2n ** 60n : i,
      tunnel_parents: i % 5 === 0 ? ["Cx", "Cy"] : undefined,
    });
    sender.write(dns, { ts: 1_764_064_800, query: `q${i}.example` });
  }
  await sender.flush();
  const records: DecodedLogRecord[] = [];
  // Bounded: a lost batch ends the wait instead of hanging the test.
  const deadline = setTimeout(() => void receiver.close(), 10_000);
  try {
    for await (const record of decodeBatches(receiver.batches(), { paths: ["conn"] })) {
      records.push(record);
      if (records.length === count) break;
    }
  } finally {
    clearTimeout(deadline);
  }
  return records;
}

describe("decodeBatches", () => {
  it("yields each record with its sender, stream, path and cells by column, in order, filtered by path", async () => {
    const records = await roundTrip({ rows: true }, "zeek-bin-serializer", 20);
    expect(records).toHaveLength(20);
    expect(records.map((record) => record.values.uid)).toEqual(Array.from({ length: 20 }, (_, i) => `C${i}`));
    const [first, second] = records;
    expect(first).toMatchObject({ sender: "worker-1", stream: "Conn::LOG", path: "conn" });
    expect(first?.fields.map((field) => field.name)).toContain("id.orig_h");
    expect(first?.values).toEqual({
      ts: 1_764_064_800,
      uid: "C0",
      "id.orig_h": "10.0.0.1",
      "id.orig_p": 1024,
      "id.resp_h": "2001:db8::1",
      "id.resp_p": 443,
      proto: "tcp",
      service: "ssl",
      orig_bytes: 2n ** 60n,
      tunnel_parents: ["Cx", "Cy"],
    });
    expect(second?.values).toMatchObject({
      service: null,
      orig_bytes: 1,
      tunnel_parents: null,
      ts: 1_764_064_800.25,
    });
  });

  it("gives the same records from typed, rows and payload decoding, and from zmqc-cbor-v1", async () => {
    const rows = await roundTrip({ rows: true }, "zeek-bin-serializer", 15);
    const typed = await roundTrip({ rows: false }, "zeek-bin-serializer", 15);
    const payload = await roundTrip({ rows: "payload" }, "zeek-bin-serializer", 15);
    const cbor = await roundTrip({ rows: true }, "zmqc-cbor-v1", 15);
    const values = (records: DecodedLogRecord[]) => records.map((record) => record.values);
    expect(values(typed)).toEqual(values(rows));
    expect(values(payload)).toEqual(values(rows));
    expect(values(cbor)).toEqual(values(rows));
  });
});
