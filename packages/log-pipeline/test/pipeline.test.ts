import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  encodeBrokerBinEvent,
  encodeLogFrames,
  encodeZeekLogBatch,
  type LogBatch,
  logCodec,
  Value,
  ZMQC_CBOR_V1,
} from "@zmqc/wire-format";
import { describe, expect, it } from "vitest";
import { Push } from "zeromq";
import { type LogReceiver, type ReceivedBatch, startLogReceiver } from "../src/receiver/receiver.js";
import { startLogSender } from "../src/sender/sender.js";
import { createLogStream } from "../src/sender/stream.js";
import { batchRecordCount, isLogPayload, isLogRows, type WritableBatch } from "../src/writers/format.js";
import { conn } from "./support/conn-stream.js";

const record = (i: number) => ({
  ts: 1_764_064_800 + i,
  uid: `C${i}`,
  id: { orig_h: "10.0.0.1", orig_p: `${1024 + i}/tcp`, resp_h: "192.0.2.1", resp_p: 443 },
  proto: "tcp",
  service: i % 2 === 0 ? "ssl" : undefined,
  orig_bytes: i,
});

/** Takes batches until `records` records have arrived (bounded by `ms`). */
async function collect<B extends WritableBatch = LogBatch>(
  receiver: LogReceiver<B>,
  records: number,
  ms = 10_000,
): Promise<ReceivedBatch<B>[]> {
  const batches: ReceivedBatch<B>[] = [];
  let count = 0;
  const iterator = receiver.batches();
  const deadline = setTimeout(() => void receiver.close(), ms);
  try {
    while (count < records) {
      const { value, done } = await iterator.next();
      if (done) throw new Error(`only ${count} of ${records} records arrived within ${ms} ms`);
      batches.push(value);
      count += batchRecordCount(value.batch);
    }
  } finally {
    clearTimeout(deadline);
    await iterator.return?.();
  }
  return batches;
}

describe("log pipeline", () => {
  it("flattens record columns like Zeek and checks every record", () => {
    expect(conn.fields.map((field) => field.name)).toEqual([
      "ts",
      "uid",
      "id.orig_h",
      "id.orig_p",
      "id.resp_h",
      "id.resp_p",
      "proto",
      "service",
      "orig_bytes",
      "tunnel_parents",
    ]);
    // @ts-expect-error uid must be a string
    expect(() => conn.toValues({ ...record(1), uid: 5 })).toThrow(/column 'uid': expected a string/);
    // @ts-expect-error ts is required
    expect(() => conn.toValues({ ...record(1), ts: undefined })).toThrow(/column 'ts': is required/);
    expect(() => conn.toValues({ ...record(1), id: { ...record(1).id, orig_h: "nope" } })).toThrow(
      /column 'id.orig_h'/,
    );
  });

  it("sends an IPv4-mapped IPv6 address as the IPv4 address it is in Zeek (family 4), subnets too", () => {
    const hosts = createLogStream({ id: "H::LOG", path: "h", columns: { a: "addr", n: "subnet" } });
    // Node.js spells IPv4 peers of a dual-stack socket ::ffff:a.b.c.d; Zeek logs them as a.b.c.d.
    expect(hosts.toValues({ a: "::ffff:192.0.2.1", n: "::ffff:10.1.0.0/112" })).toEqual(
      hosts.toValues({ a: "192.0.2.1", n: "10.1.0.0/16" }),
    );
    expect(hosts.toValues({ a: "::FFFF:c000:201", n: "0:0:0:0:0:ffff:10.1.2.3/128" })).toEqual(
      hosts.toValues({ a: "192.0.2.1", n: "10.1.2.3/32" }),
    );
    // Real IPv6 addresses, and prefixes too short to be IPv4, stay IPv6.
    for (const [a, n] of [
      ["::1.2.3.4", "::ffff:0:0/80"],
      ["2001:db8::ffff:1.2.3.4", "::ffff:1.2.3.0/95"],
      ["::ffff:1:1.2.3.4", "2001:db8::/32"],
    ] as const) {
      const [addr, subnet] = hosts.toValues({ a, n });
      expect(addr).toMatchObject({ type: "addr", value: expect.stringContaining(":") });
      expect(subnet).toMatchObject({ type: "subnet", address: expect.stringContaining(":") });
    }
  });

  it("sends records to a logger, record for record, in batches of writeBufferSize", async () => {
    await using receiver = await startLogReceiver({ listenLogEndpoint: "tcp://127.0.0.1:*" });
    await using sender = await startLogSender({
      nodeId: "worker-1-id",
      connectLogEndpoints: [receiver.endpoint],
      writeBufferSize: 10,
      flushInterval: 0,
      lingerMs: 1000,
    });
    for (let i = 0; i < 25; i++) sender.write(conn, record(i));
    await sender.flush();
    const batches = await collect(receiver, 25);
    expect(batches.map((b) => b.batch.records.length)).toEqual([10, 10, 5]);
    expect(batches[0]?.sender).toBe("worker-1-id");
    expect(batches[0]?.batch).toMatchObject({
      stream: "Conn::LOG",
      path: "conn",
      filter: "default",
      writer: "Log::WRITER_ASCII",
    });
    const uids = batches.flatMap((b) => b.batch.records.map((r) => (r[1] as { value: string }).value));
    expect(uids).toEqual(Array.from({ length: 25 }, (_unused, i) => `C${i}`));
    expect(sender.stats()).toMatchObject({
      recordsWritten: 25,
      recordsSent: 25,
      batchesSent: 3,
      batchesDropped: 0,
      recordsBuffered: 0,
    });
  });

  it("two loggers each get a share of every sender's batches (Zeek's logging-rr)", async () => {
    await using one = await startLogReceiver({ listenLogEndpoint: "tcp://127.0.0.1:*" });
    await using two = await startLogReceiver({ listenLogEndpoint: "tcp://127.0.0.1:*" });
    const endpoints = [one.endpoint, two.endpoint];
    await using a = await startLogSender({
      nodeId: "a",
      connectLogEndpoints: endpoints,
      writeBufferSize: 7,
      flushInterval: 0,
      lingerMs: 1000,
    });
    await using b = await startLogSender({
      nodeId: "b",
      connectLogEndpoints: endpoints,
      writeBufferSize: 7,
      flushInterval: 0,
      lingerMs: 1000,
    });
    for (let i = 0; i < 70; i++) {
      a.write(conn, record(i));
      b.write(conn, record(i));
    }
    await Promise.all([a.flush(), b.flush()]);
    const [fromOne, fromTwo] = await Promise.all([collect(one, 70), collect(two, 70)]);
    for (const batches of [fromOne, fromTwo]) {
      for (const sender of ["a", "b"]) {
        const rows = batches
          .filter((batch) => batch.sender === sender)
          .reduce((sum, batch) => sum + batch.batch.records.length, 0);
        expect(rows, `rows from ${sender}`).toBeGreaterThan(10);
      }
    }
  });

  it("a logger that starts after its senders loses nothing (logImmediate false queues for it)", async () => {
    // An ipc endpoint nobody has bound yet: a released TCP port could be taken meanwhile, or the sender's own
    // reconnects could self-connect to it on loopback.
    const endpoint = `ipc://${join(mkdtempSync(join(tmpdir(), "zmqc-late-")), "logger.sock")}`;
    await using sender = await startLogSender({
      nodeId: "early",
      connectLogEndpoints: [endpoint],
      writeBufferSize: 5,
      flushInterval: 0,
      lingerMs: 2000,
    });
    for (let i = 0; i < 20; i++) sender.write(conn, record(i));
    await sender.flush();
    expect(sender.stats()).toMatchObject({ batchesSent: 4, batchesDropped: 0 });
    await using late = await startLogReceiver({ listenLogEndpoint: endpoint });
    const batches = await collect(late, 20);
    expect(batches.reduce((sum, batch) => sum + batch.batch.records.length, 0)).toBe(20);
  });

  it.each([false, true])("counts bad messages mixed into good ones and goes on (rows: %s)", async (rows) => {
    await using receiver = await startLogReceiver({
      listenLogEndpoint: "tcp://127.0.0.1:*",
      log: () => {},
      rows,
    });
    const push = new Push({ linger: 1000 });
    push.connect(receiver.endpoint);
    try {
      await push.send(["log-write", "x", "zeek-bin-serializer"]);
      await push.send(encodeLogFrames({ sender: "x", format: "zeek-bin-v9", payload: new Uint8Array([1]) }));
      await push.send(
        encodeLogFrames({
          sender: "x",
          format: "zeek-bin-serializer",
          payload: encodeBrokerBinEvent({ name: "e", args: [Value.count(1)] }),
        }),
      );
      // The good batch goes through the same socket, so it arrives after the bad ones (one pipe keeps order).
      const good = encodeZeekLogBatch({
        stream: conn.id,
        writer: conn.writer,
        filter: conn.filter,
        path: conn.path,
        fields: conn.fields,
        records: [0, 1, 2].map((i) => conn.toValues(record(i))),
      });
      await push.send(encodeLogFrames({ sender: "good", format: "zeek-bin-serializer", payload: good }));
      const [batch] = await collect(receiver, 3);
      expect(batch?.sender).toBe("good");
      expect(receiver.stats()).toMatchObject({
        msgErrors: 1,
        formatErrors: 1,
        decodeErrors: 1,
        batchesReceived: 1,
        recordsReceived: 3,
      });
    } finally {
      push.close();
    }
  });
});

describe("nothing accepted is lost silently", () => {
  const counter = createLogStream({ id: "X::LOG", path: "x", columns: { n: "count" } });

  it("a receiver closed mid-stream still hands over what ZeroMQ holds", async () => {
    const receiver = await startLogReceiver({ listenLogEndpoint: "tcp://127.0.0.1:*" });
    await using sender = await startLogSender({
      nodeId: "s",
      connectLogEndpoints: [receiver.endpoint],
      writeBufferSize: 10,
      flushInterval: 0,
      lingerMs: 2000,
    });
    for (let i = 0; i < 500; i++) sender.write(counter, { n: i });
    await sender.flush();
    const batches = receiver.batches();
    let records = (await batches.next()).value?.batch.records.length ?? 0;
    const closing = receiver.close();
    for await (const received of batches) records += received.batch.records.length;
    await closing;
    expect(records).toBe(500);
  });

  it("a receiver's close() is idempotent, with or without a consumer", async () => {
    // A second close() used to wait for a consumer that was never there: forever (a logger whose receive loop
    // had ended on its own hung in close() that way).
    const idle = await startLogReceiver({ listenLogEndpoint: "tcp://127.0.0.1:*" });
    await idle.close();
    await idle.close();
    const busy = await startLogReceiver({ listenLogEndpoint: "tcp://127.0.0.1:*" });
    const consumer = (async () => {
      for await (const _ of busy.batches()) {
        // Nothing arrives.
      }
    })();
    await Promise.all([busy.close(), busy.close()]);
    await consumer;
    await busy.close();
  });

  it("close() does not wait for a logger that never comes, and counts what it could not send", async () => {
    const endpoint = `ipc://${join(mkdtempSync(join(tmpdir(), "zmqc-nobody-")), "logger.sock")}`;
    const sender = await startLogSender({
      nodeId: "s",
      connectLogEndpoints: [endpoint],
      writeBufferSize: 10,
      flushInterval: 0,
      logSndhwm: 1,
      overflow: { waitMs: -1 },
      log: () => {},
    });
    for (let i = 0; i < 100; i++) sender.write(counter, { n: i });
    expect(sender.stats().recordsBuffered).toBe(100 - sender.stats().recordsSent);
    await sender.close();
    const stats = sender.stats();
    expect(stats.recordsSent + stats.recordsDropped).toBe(100);
    expect(stats.recordsDropped).toBeGreaterThan(0);
  });

  it("a synchronous burst of batches goes to ZeroMQ whole while it has room (logSndhwm), as Zeek's sends do", async () => {
    // Zeek sends each batch from its main loop with ZMQ_DONTWAIT; only a full HWM drops. A burst written in one
    // tick used to be queued here first, and everything past 256 queued batches was dropped with room to spare.
    await using receiver = await startLogReceiver({ listenLogEndpoint: "tcp://127.0.0.1:*" });
    const lines: string[] = [];
    await using sender = await startLogSender({
      nodeId: "s",
      connectLogEndpoints: [receiver.endpoint],
      writeBufferSize: 1,
      flushInterval: 0,
      lingerMs: 2000,
      log: (line) => lines.push(line),
    });
    for (let i = 0; i < 600; i++) sender.write(counter, { n: i });
    expect(sender.stats().recordsSent + sender.stats().recordsBuffered).toBe(600);
    await sender.flush();
    expect(sender.stats()).toMatchObject({ batchesSent: 600, batchesDropped: 0, recordsBuffered: 0 });
    expect(lines).toEqual([]);
    const batches = await collect(receiver, 600);
    expect(batches.flatMap((b) => b.batch.records.map((r) => (r[0] as { value: bigint }).value))).toEqual(
      Array.from({ length: 600 }, (_, i) => BigInt(i)),
    );
  });

  it("at the HWM a batch is dropped, counted and reported as Zeek reports it", async () => {
    // Nobody binds the endpoint: with logImmediate false the pipe to it holds logSndhwm messages, then EAGAIN.
    const endpoint = `ipc://${join(mkdtempSync(join(tmpdir(), "zmqc-hwm-")), "logger.sock")}`;
    const lines: string[] = [];
    const sender = await startLogSender({
      nodeId: "s",
      connectLogEndpoints: [endpoint],
      writeBufferSize: 1,
      flushInterval: 0,
      logSndhwm: 10,
      lingerMs: 0,
      log: (line) => lines.push(line),
    });
    for (let i = 0; i < 50; i++) sender.write(counter, { n: i });
    await sender.flush();
    expect(sender.stats()).toMatchObject({
      recordsWritten: 50,
      batchesSent: 10,
      batchesDropped: 40,
      recordsDropped: 40,
      recordsBuffered: 0,
    });
    // Reported at most once a second, in Zeek's words.
    expect(lines).toEqual(["Failed to send log write. HWM reached? (1 records of x dropped)"]);
    await sender.close();
  });

  it("two streams with the same id and path but different columns are batched apart", async () => {
    const wide = createLogStream({ id: "X::LOG", path: "x", columns: { n: "count", label: "string" } });
    await using receiver = await startLogReceiver({ listenLogEndpoint: "tcp://127.0.0.1:*" });
    await using sender = await startLogSender({
      nodeId: "s",
      connectLogEndpoints: [receiver.endpoint],
      writeBufferSize: 100,
      flushInterval: 0,
    });
    sender.write(counter, { n: 1 });
    sender.write(wide, { n: 2, label: "two" });
    await sender.flush();
    const batches = await collect(receiver, 2);
    expect(batches.map((b) => b.batch.fields.length).sort()).toEqual([1, 2]);
    expect(sender.stats()).toMatchObject({ batchesDropped: 0, recordsSent: 2 });
  });
});

describe("a receiver with rows: true (the logger's fast decoder)", () => {
  const batchOf = (from: number, count: number): LogBatch => ({
    stream: conn.id,
    writer: conn.writer,
    filter: conn.filter,
    path: conn.path,
    fields: conn.fields,
    records: Array.from({ length: count }, (_, i) => conn.toValues(record(from + i))),
  });

  it("yields plain rows for zeek-bin-serializer batches, typed records for other formats", async () => {
    await using receiver = await startLogReceiver({ listenLogEndpoint: "tcp://127.0.0.1:*", rows: true });
    const push = new Push({ linger: 1000 });
    push.connect(receiver.endpoint);
    try {
      for (const format of ["zeek-bin-serializer", ZMQC_CBOR_V1]) {
        const payload = logCodec(format).encode(batchOf(0, 3));
        await push.send(encodeLogFrames({ sender: format, format, payload }));
      }
      const [zeek, cbor] = await collect(receiver, 6);
      expect(zeek?.format).toBe("zeek-bin-serializer");
      expect(zeek && isLogRows(zeek.batch)).toBe(true);
      expect(zeek?.batch).toMatchObject({ path: "conn", stream: "Conn::LOG", filter: "default" });
      if (zeek && isLogRows(zeek.batch)) {
        expect(zeek.batch.rows.map((row) => row[1])).toEqual(["C0", "C1", "C2"]);
        expect(zeek.batch.rows[0]?.slice(0, 8)).toEqual([
          1_764_064_800,
          "C0",
          "10.0.0.1",
          1024,
          "192.0.2.1",
          443,
          "tcp",
          "ssl",
        ]);
      }
      expect(cbor?.format).toBe(ZMQC_CBOR_V1);
      expect(cbor && isLogRows(cbor.batch)).toBe(false);
      expect(receiver.stats()).toMatchObject({ batchesReceived: 2, recordsReceived: 6, decodeErrors: 0 });
    } finally {
      push.close();
    }
  });

  it("refuses exactly the damaged batches the typed decoder refuses, with the same counters", async () => {
    // Truncations and single-byte changes all over a good batch, then one good batch to mark the end: both
    // receivers must count the same decode errors and take the same batches and records.
    const good = encodeZeekLogBatch(batchOf(0, 4));
    const damaged: Uint8Array[] = [];
    for (let at = 0; at < good.length; at += 7) damaged.push(good.subarray(0, at));
    for (let at = 0; at < good.length; at += 3) {
      for (const value of [0x00, 0x01, 0x7f, 0xff]) {
        const copy = Uint8Array.from(good);
        copy[at] = value;
        damaged.push(copy);
      }
    }
    const last = encodeZeekLogBatch(batchOf(100, 5));
    const run = async (rows: boolean | "payload") => {
      await using receiver = await startLogReceiver({
        listenLogEndpoint: "tcp://127.0.0.1:*",
        log: () => {},
        rows,
      });
      const push = new Push({ linger: 1000 });
      push.connect(receiver.endpoint);
      try {
        for (const payload of [...damaged, last])
          await push.send(encodeLogFrames({ sender: "s", format: "zeek-bin-serializer", payload }));
        // Wait for the last (good) batch; everything before it has been counted by then (one pipe keeps order).
        const iterator = receiver.batches();
        const deadline = setTimeout(() => void receiver.close(), 10_000);
        try {
          for (;;) {
            const { value, done } = await iterator.next();
            if (done) throw new Error("the last batch did not arrive");
            if (batchRecordCount(value.batch) === 5 && value.batch.path === "conn") {
              const { batch } = value;
              const uid = isLogPayload(batch)
                ? batch.view.cell(0, 1)
                : isLogRows(batch)
                  ? batch.rows[0]?.[1]
                  : (batch.records[0]?.[1] as { value?: string } | undefined)?.value;
              if (uid === "C100") break;
            }
          }
        } finally {
          clearTimeout(deadline);
          await iterator.return?.();
        }
        const { perSender: _, ...stats } = receiver.stats();
        return stats;
      } finally {
        push.close();
      }
    };
    const typed = await run(false);
    const plain = await run(true);
    const checked = await run("payload");
    expect(typed.decodeErrors).toBeGreaterThan(damaged.length / 3);
    expect(plain).toEqual(typed);
    expect(checked).toEqual(typed);
  });
});
