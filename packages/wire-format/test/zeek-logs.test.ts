// zeek-bin-serializer log batches against a real Zeek 8.2.2 (ZeroMQ cluster backend), over raw zeromq.js sockets
// on 127.0.0.1.
//
// Zeek → zmqc: the test is the cluster's LOGGER, a bare PULL socket (the LOGGER's $p in the layout). A Zeek
// worker writes N records of ZmqcLogTest::LOG (scripts/zmqc-log-stream.zeek: a column of every loggable type),
// and it and the manager send cluster.log, as every node that is not a logger does. We decode every batch to
// the exact typed values, re-encode Zeek's exact bytes, and save two batches in
// conformance/captured-zeek-8.2.2-logs.json (ZMQC_RECAPTURE=1 rewrites it, otherwise any drift fails).
//
// zmqc → Zeek: a Zeek LOGGER binds its PULL socket, our PUSH socket sends it batches we encode, and it writes
// them as JSON lines, which we compare with what we sent; batches for streams it lacks are reported and dropped.
//
// Without Zeek the live tests skip visibly; the saved vectors are still checked.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import {
  type DecodedLogBatch,
  decodeLogFrames,
  decodeZeekLogBatch,
  encodeLogFrames,
  encodeZeekLogBatch,
  LOG_WRITE_TOPIC,
  type LogBatch,
  type LogMessage,
  type LogValue,
  LogValues,
  ZEEK_BIN_SERIALIZER,
} from "@zmqc/wire-format";
import { describeWithZeek } from "@zmqc/zeek-harness";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { Pull, Push } from "zeromq";
import { RECAPTURE } from "./zeek/captured.js";
import { type CapturedLogVector, readCapturedLogs, writeCapturedLogs } from "./zeek/captured-logs.js";
import {
  ASCII_WRITER,
  CLUSTER_FIELDS,
  canonical,
  DEFAULT_FILTER,
  END_STREAM,
  LOG_FIELDS,
  LOG_PATH,
  LOG_STREAM,
  makeInfo,
  UNCREATED_STREAM,
  withColumns,
} from "./zeek/log-catalog.js";
import {
  describeOutput,
  reservePorts,
  startZeekNode,
  whileZeekRuns,
  type ZeekExit,
  type ZeekNode,
} from "./zeek/zeek-cluster.js";
import { parseZeekJsonLine, zeekJsonRecord } from "./zeek/zeek-json.js";

/** Records the worker writes: two full batches of Log::write_buffer_size (1000) and a tail of 5 (every variant). */
const RECORDS = 2005;
const WRITE_BUFFER_SIZE = 1000;
const SENDER = `zmqc-wire-format-test_${process.pid}`;
/** Bound on each socket receive/send, and on Zeek's exit once it has been told to stop. */
const STEP_TIMEOUT_MS = 10_000;
const SOURCE_SCRIPT = "packages/wire-format/test/zeek/scripts";
const CLUSTER_STREAM = "Cluster::LOG";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const canonicalRecord = (record: readonly LogValue[]) => record.map(canonical);

/** The cluster of part 1: the LOGGER is the test's PULL socket, never a Zeek process. */
const LOGGING_LAYOUT = `redef Cluster::manager_is_logger = F;
redef Cluster::nodes = {
	["manager"] = [$node_type=Cluster::MANAGER, $ip=127.0.0.1],
	["logger"] = [$node_type=Cluster::LOGGER, $ip=127.0.0.1, $p=to_port(getenv("LOG_PULL_PORT"))],
	["worker-1"] = [$node_type=Cluster::WORKER, $ip=127.0.0.1, $manager="manager"],
};
`;

/** The cluster of part 2: one Zeek LOGGER (which also runs the proxy, see log-logger.zeek). */
const LOGGER_LAYOUT = `redef Cluster::manager_is_logger = F;
redef Cluster::nodes = {
	["logger"] = [$node_type=Cluster::LOGGER, $ip=127.0.0.1, $p=to_port(getenv("LOG_PULL_PORT"))],
};
`;

/** One message our PULL socket received, decoded as far as it goes. */
interface Received {
  /** Frame 0 (Zeek's receiver ignores it; Zeek's sender writes `log-write`). */
  readonly topic: string;
  readonly message: LogMessage;
  /** A copy of frame 3 exactly as Zeek wrote it. */
  readonly payload: Uint8Array;
  readonly batch?: DecodedLogBatch;
  readonly error?: unknown;
}

interface LoggingRun {
  readonly received: Received[];
  readonly manager: ZeekExit;
  readonly worker: ZeekExit;
  /** Wall-clock seconds around the run, to bound cluster.log's timestamps. */
  readonly started: number;
  readonly ended: number;
}

/**
 * Counts the connections a bound socket accepted and lost (its monitor's events), so the test can wait until
 * every peer is gone. The loop ends when the socket is closed.
 */
function trackConnections(socket: Pull) {
  let accepted = 0;
  let disconnected = 0;
  let wake = () => {};
  void (async () => {
    try {
      for await (const event of socket.events) {
        if (event.type === "accept") accepted++;
        if (event.type === "disconnect") disconnected++;
        wake();
      }
    } catch {
      // The observer ends with its socket; a receive pending then may reject instead.
    }
  })();
  return {
    /** Resolves once `count` connections were accepted and all of them closed again; rejects after `ms`. */
    allClosed(count: number, ms: number): Promise<void> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${disconnected} of ${accepted} connections closed after ${ms} ms`)),
          ms,
        );
        wake = () => {
          if (accepted >= count && disconnected >= accepted) {
            clearTimeout(timer);
            resolve();
          }
        };
        wake();
      });
    },
  };
}

const recordsOf = (received: readonly Received[], stream: string) =>
  received.flatMap(({ batch }) => (batch?.stream === stream ? batch.records : []));

/**
 * Binds a PULL socket, starts a Zeek manager and worker-1 whose LOGGER is that socket, and collects every log
 * message until it holds all RECORDS records of ZmqcLogTest::LOG and the three cluster.log records. Then it waits
 * for both Zeeks to exit and for both their connections to close (their last bytes are in our queue by then),
 * and takes whatever is left without waiting, so a duplicate sent at the end is seen too.
 */
async function captureFromZeek(): Promise<LoggingRun> {
  const pull = new Pull({ linger: 0, receiveTimeout: STEP_TIMEOUT_MS });
  const nodes: ZeekNode[] = [];
  try {
    const connections = trackConnections(pull);
    await pull.bind("tcp://127.0.0.1:*");
    const logPull = /:(\d+)$/.exec(pull.lastEndpoint ?? "")?.[1];
    const [xpub, xsub] = (await reservePorts(2)) as [number, number];
    const env = {
      XPUB_PORT: `${xpub}/tcp`,
      XSUB_PORT: `${xsub}/tcp`,
      LOG_PULL_PORT: `${logPull}/tcp`,
      ZMQC_LOG_RECORDS: String(RECORDS),
    };
    const started = Date.now() / 1000;
    // -D: zero seeds, so Zeek's hash order (the order of set elements in a batch) is the same in every run.
    const start = (node: string, script: string) =>
      startZeekNode({
        script,
        node,
        layout: LOGGING_LAYOUT,
        env,
        args: ["-D"],
        dirPrefix: "zmqc-zeek-logs-",
      });
    const manager = start("manager", "log-manager.zeek");
    nodes.push(manager);
    const worker = start("worker-1", "log-worker.zeek");
    nodes.push(worker);
    const output = () =>
      describeOutput({
        stdout: `${manager.output().stdout}${worker.output().stdout}`,
        stderr: `${manager.output().stderr}${worker.output().stderr}`,
      });

    const received: Received[] = [];
    const take = (frames: Buffer[]) => {
      const message = decodeLogFrames(frames);
      const topic = Buffer.from(frames[0] as Buffer).toString("utf8");
      const payload = Uint8Array.from(message.payload);
      try {
        received.push({ topic, message, payload, batch: decodeZeekLogBatch(payload) });
      } catch (error) {
        received.push({ topic, message, payload, error });
      }
    };
    while (
      recordsOf(received, LOG_STREAM).length < RECORDS ||
      recordsOf(received, CLUSTER_STREAM).length < 3
    ) {
      const frames = await pull.receive().catch((error: Error) => {
        throw new Error(`waiting for log message #${received.length + 1}: ${error.message}${output()}`);
      });
      take(frames);
    }
    const [managerExit, workerExit] = await Promise.all([
      manager.waitForExit(STEP_TIMEOUT_MS),
      worker.waitForExit(STEP_TIMEOUT_MS),
    ]);
    await connections.allClosed(2, STEP_TIMEOUT_MS);
    pull.receiveTimeout = 0;
    for (;;) {
      const frames = await pull.receive().catch((error: { code?: string }) => {
        if (error.code === "EAGAIN") return undefined;
        throw error;
      });
      if (frames === undefined) break;
      take(frames);
    }
    return { received, manager: managerExit, worker: workerExit, started, ended: Date.now() / 1000 };
  } finally {
    // Not pull.events.close(): libzmq's I/O thread sends monitor events with a blocking send, so closing the
    // observer first can wedge every socket of the context. Closing the socket stops its monitor, which ends
    // the observer (and trackConnections' loop) cleanly.
    pull.close();
    await Promise.all(nodes.map((node) => node.dispose()));
  }
}

/** The fields of a vector that a capture must reproduce (descriptions are documentation). */
const substance = ({ id, format, kind, expect, hex }: CapturedLogVector) => ({
  id,
  format,
  kind,
  expect,
  hex,
});

/** Fixed stand-ins for what varies per run in cluster.log. */
const NORMAL_TS = 1_700_000_000;
const NORMAL_MANAGER_ID = "zeromq_manager_zeek-host_4242_N0";

/** The worker's cluster.log batch with its timestamp and the manager's node id fixed. */
function normaliseClusterBatch(batch: LogBatch, managerId: string): LogBatch {
  return {
    ...batch,
    records: batch.records.map(([, node, message]) => [
      LogValues.time(NORMAL_TS),
      node as LogValue,
      message?.present && message.type === "string" && typeof message.value === "string"
        ? LogValues.string(message.value.replace(managerId, NORMAL_MANAGER_ID))
        : (message as LogValue),
    ]),
  };
}

const TAIL_START = RECORDS - (RECORDS % WRITE_BUFFER_SIZE);

function tailVector(payload: Uint8Array): CapturedLogVector {
  const roundtrip = hex(encodeZeekLogBatch(decodeZeekLogBatch(payload))) === hex(payload);
  return {
    id: "zeek-8.2.2/zeek-bin-serializer/zmqc-log-test-tail",
    format: ZEEK_BIN_SERIALIZER,
    kind: "log-batch",
    expect: roundtrip ? "roundtrip" : "decode",
    source: `captured from Zeek 8.2.2 (${SOURCE_SCRIPT}/log-worker.zeek run with -D, the last batch of ${LOG_STREAM} its worker PUSHed)`,
    description:
      `stream ${LOG_STREAM}, writer ${ASCII_WRITER}, filter ${DEFAULT_FILTER}, path ${LOG_PATH}; ` +
      `${LOG_FIELDS.length} columns of every loggable type (nested record flattened to nested.x, nested.y; ` +
      "set[string], set[addr], vector of count, vector of string; four optional columns); records " +
      `make_info(${TAIL_START}) … make_info(${RECORDS - 1}) of zmqc-log-stream.zeek, the rest the worker's ` +
      "buffer held when it terminated (a batch is sent at 1000 records, at termination, or every " +
      "Log::flush_interval of network time): min/max int, max count, -0.0, ±inf, NaN, non-UTF-8 strings, empty set and vector, " +
      "unset optional values; set elements in Zeek's hash order with zero seeds",
    hex: hex(payload),
  };
}

function clusterVector(payload: Uint8Array, managerId: string): CapturedLogVector {
  const normalised = encodeZeekLogBatch(normaliseClusterBatch(decodeZeekLogBatch(payload), managerId));
  return {
    id: "zeek-8.2.2/zeek-bin-serializer/cluster-log-worker",
    format: ZEEK_BIN_SERIALIZER,
    kind: "log-batch",
    expect: "roundtrip",
    source: `captured from Zeek 8.2.2 (${SOURCE_SCRIPT}/log-worker.zeek, the cluster.log batch of worker-1, normalised)`,
    description:
      `stream ${CLUSTER_STREAM}, writer ${ASCII_WRITER}, filter ${DEFAULT_FILTER}, path cluster; columns ts, ` +
      'node, message; one record: worker-1, "got hello from manager (<id>)". Normalised, as ts (network time) ' +
      `and the manager's node id (host name, pid) vary per run: ts is ${NORMAL_TS}.0 and the id ` +
      `${NORMAL_MANAGER_ID}, re-encoded; every other byte is Zeek's (the live test re-encodes Zeek's own bytes)`,
    hex: hex(normalised),
  };
}

describeWithZeek(
  "zeek-bin-serializer, Zeek 8.2.2 → zmqc (the test's PULL socket is the cluster's logger)",
  () => {
    let run: LoggingRun;
    let logBatches: DecodedLogBatch[];
    let workerId: string;
    let managerId: string;

    beforeAll(async () => {
      run = await captureFromZeek();
      logBatches = run.received.flatMap(({ batch }) => (batch?.stream === LOG_STREAM ? [batch] : []));
      const senders = new Set(run.received.map(({ message }) => message.sender));
      workerId = [...senders].find((id) => id.startsWith("zeromq_worker-1_")) ?? "";
      managerId = [...senders].find((id) => id.startsWith("zeromq_manager_")) ?? "";
    });

    it("the manager and worker exited cleanly; every message is a zeek-bin-serializer log write from one of them", () => {
      for (const exit of [run.manager, run.worker]) {
        expect(exit, exit.stderr).toMatchObject({ code: 0, signal: null, stdout: "" });
        // terminate() makes Zeek say so; nothing else may appear (no reporter errors or warnings).
        expect(exit.stderr).toBe("received termination signal\n");
      }
      for (const { topic, message } of run.received) {
        expect(topic).toBe(LOG_WRITE_TOPIC);
        expect(message.format).toBe(ZEEK_BIN_SERIALIZER);
        expect([workerId, managerId]).toContain(message.sender);
      }
      expect(workerId).toMatch(/^zeromq_worker-1_.+_\d+_N[0-9a-zA-Z]+$/);
      expect(managerId).toMatch(/^zeromq_manager_.+_\d+_N[0-9a-zA-Z]+$/);
    });

    it("every batch decodes, with no bytes left over, and re-encodes to Zeek's exact bytes", () => {
      expect(
        run.received.filter(({ error }) => error !== undefined).map(({ error }) => String(error)),
      ).toEqual([]);
      const differences = run.received
        .map(({ batch, payload }) => ({
          stream: batch?.stream,
          trailingBytes: batch?.trailingBytes,
          zeek: hex(payload),
          zmqc: batch === undefined ? "" : hex(encodeZeekLogBatch(batch)),
        }))
        .filter(({ zeek, zmqc, trailingBytes }) => zeek !== zmqc || trailingBytes !== 0);
      expect(differences).toEqual([]);
    });

    it("only ZmqcLogTest::LOG (from the worker) and cluster.log (from both) arrive", () => {
      const streams = run.received.map(({ batch, message }) => `${batch?.stream} from ${message.sender}`);
      expect(new Set(streams)).toEqual(
        new Set([
          `${LOG_STREAM} from ${workerId}`,
          `${CLUSTER_STREAM} from ${workerId}`,
          `${CLUSTER_STREAM} from ${managerId}`,
        ]),
      );
    });

    it("ZmqcLogTest::LOG: stream, writer, filter, path, and every column's name, type, element type, optional", () => {
      for (const batch of logBatches) {
        expect(batch).toMatchObject({ writer: ASCII_WRITER, filter: DEFAULT_FILTER, path: LOG_PATH });
        expect(batch.fields).toEqual(LOG_FIELDS);
      }
    });

    it("arrives in batches of Log::write_buffer_size (1000), then the rest the worker still held", () => {
      // Zeek's WriterFrontend sends a batch when its buffer reaches Log::write_buffer_size, and the rest when
      // Zeek terminates or the Log::flush_interval timer (1 s of network time) fires. The worker writes all
      // records in one zeek_init handler, so the split is 1000, 1000, 5 either way (in practice the 5 go at
      // termination). One PUSH socket to one PULL socket keeps the order.
      expect(logBatches.map((batch) => batch.records.length)).toEqual([
        WRITE_BUFFER_SIZE,
        WRITE_BUFFER_SIZE,
        RECORDS % WRITE_BUFFER_SIZE,
      ]);
    });

    it(`every one of the ${RECORDS} records, exactly, once, in order`, () => {
      const records = logBatches.flatMap((batch) => batch.records);
      expect(
        records.map((record) => (record[0]?.present && record[0].type === "count" ? record[0].value : -1n)),
      ).toEqual(Array.from({ length: RECORDS }, (_, i) => BigInt(i)));
      const firstDifferent = records.findIndex(
        (record, i) => !isDeepStrictEqual(canonicalRecord(record), canonicalRecord(makeInfo(i))),
      );
      if (firstDifferent >= 0) {
        expect(canonicalRecord(records[firstDifferent] ?? []), `record ${firstDifferent}`).toEqual(
          canonicalRecord(makeInfo(firstDifferent)),
        );
      }
      expect(firstDifferent).toBe(-1);
    });

    it("cluster.log: each node's hello and the manager's node_down, with current network timestamps", () => {
      const clusterBatches = run.received.filter(({ batch }) => batch?.stream === CLUSTER_STREAM);
      for (const { batch } of clusterBatches) {
        expect(batch).toMatchObject({ writer: ASCII_WRITER, filter: DEFAULT_FILTER, path: "cluster" });
        expect(batch?.fields).toEqual(CLUSTER_FIELDS);
      }
      const lines = clusterBatches.flatMap(({ batch, message }) =>
        (batch?.records ?? []).map(([ts, node, text]) => ({ sender: message.sender, ts, node, text })),
      );
      expect(lines.map(({ sender, node, text }) => ({ sender, node, text }))).toEqual(
        expect.arrayContaining([
          {
            sender: workerId,
            node: LogValues.string("worker-1"),
            text: LogValues.string(`got hello from manager (${managerId})`),
          },
          {
            sender: managerId,
            node: LogValues.string("manager"),
            text: LogValues.string(`got hello from worker-1 (${workerId})`),
          },
          {
            sender: managerId,
            node: LogValues.string("manager"),
            text: LogValues.string("node down: worker-1"),
          },
        ]),
      );
      expect(lines).toHaveLength(3);
      for (const { ts } of lines) {
        expect(ts?.present && ts.type === "time" ? ts.value : 0).toBeGreaterThanOrEqual(run.started - 1);
        expect(ts?.present && ts.type === "time" ? ts.value : 0).toBeLessThanOrEqual(run.ended + 1);
      }
    });

    it("the capture equals conformance/captured-zeek-8.2.2-logs.json (ZMQC_RECAPTURE=1 rewrites it)", () => {
      const tail = run.received.find(
        ({ batch }) => batch?.stream === LOG_STREAM && batch.records.length < WRITE_BUFFER_SIZE,
      );
      const cluster = run.received.find(
        ({ batch, message }) => batch?.stream === CLUSTER_STREAM && message.sender === workerId,
      );
      expect(tail).toBeDefined();
      expect(cluster).toBeDefined();
      const vectors = [
        tailVector(tail?.payload ?? new Uint8Array()),
        clusterVector(cluster?.payload ?? new Uint8Array(), managerId),
      ];
      if (RECAPTURE) writeCapturedLogs(vectors);
      expect(readCapturedLogs().map(substance)).toEqual(vectors.map(substance));
    });
  },
);

/** One batch we send to the Zeek logger, and what Zeek makes of it. */
interface Sent {
  readonly name: string;
  readonly batch: LogBatch;
  /** Whether the logger writes its records to zmqc_log_test.log (not a batch it refuses). */
  readonly written: boolean;
  /** What the logger reports on stderr for it. */
  readonly errors: readonly string[];
}

const U64_MAX = (1n << 64n) - 1n;
const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((part) => (typeof part === "string" ? [...Buffer.from(part)] : part)));
const batchOf = (records: LogValue[][], stream = LOG_STREAM): LogBatch => ({
  stream,
  writer: ASCII_WRITER,
  filter: DEFAULT_FILTER,
  path: LOG_PATH,
  fields: LOG_FIELDS,
  records,
});
const good = (name: string, records: LogValue[][]): Sent => ({
  name,
  batch: batchOf(records),
  written: true,
  errors: [],
});

/** Our batches, in sending order. The last one makes the logger terminate (log-logger.zeek). */
const TO_ZEEK: readonly Sent[] = [
  good("every variant of make_info", [0, 1, 2, 3, 4].map(makeInfo)),
  good("unset and set optional values, non-ASCII strings, sets and vectors", [
    // make_info(5) has every optional column unset (nested.y, opt_s, opt_c, opt_set, opt_vec).
    makeInfo(5),
    withColumns(LOG_FIELDS, makeInfo(6), {
      "nested.y": LogValues.string("ünïcödé ✓ 𝄞 日本"),
      opt_s: LogValues.string('tab\tnew\nline "quoted" back\\slash'),
      opt_c: LogValues.count(U64_MAX),
      opt_set: LogValues.set(["zz", "ü", "", "a b"].map((s) => LogValues.string(s))),
      opt_vec: LogValues.vector(["one", "", "ü"].map((s) => LogValues.string(s))),
      tags: LogValues.set([]),
      words: LogValues.vector([]),
    }),
    withColumns(LOG_FIELDS, makeInfo(7), {
      // Valid UTF-8 but for one byte: Zeek escapes the whole string, the ü and the ✓ too.
      s: LogValues.string(bytes("grüße ✓", [0xff])),
      raw: LogValues.string(bytes([0x01, 0x7f], "\t")),
      a4: LogValues.addr("::ffff:10.1.2.3"),
      hosts: LogValues.set([LogValues.addr("::"), LogValues.addr("0.0.0.0"), LogValues.addr("ffff::1")]),
      counts: LogValues.vector([LogValues.count(U64_MAX), LogValues.count(2n ** 53n + 1n)]),
      d: LogValues.double(1e300),
      iv: LogValues.interval(-0.000001),
      ts: LogValues.time(0),
      p: LogValues.port(65535, "udp"),
      sn6: LogValues.subnet("::/0"),
    }),
  ]),
  {
    name: "a stream Zeek does not know",
    batch: batchOf([makeInfo(8)], "ZmqcLogTest::NO_SUCH_LOG"),
    written: false,
    errors: [
      "error: Failed to populate enum vals from stream_name='ZmqcLogTest::NO_SUCH_LOG' writer_name='Log::WRITER_ASCII'",
      `error: Failed to unserialize log message using '${ZEEK_BIN_SERIALIZER}'`,
    ],
  },
  {
    name: "a stream Zeek knows but never created",
    batch: batchOf([makeInfo(9)], UNCREATED_STREAM),
    written: false,
    errors: [`error: Failed to find stream ${UNCREATED_STREAM} for remote write`],
  },
  good("a good batch after the refused ones", [10, 11, 12].map(makeInfo)),
  {
    name: "the end",
    batch: batchOf([makeInfo(13)], END_STREAM),
    written: false,
    errors: [`error: Failed to find stream ${END_STREAM} for remote write`],
  },
];

describeWithZeek("zeek-bin-serializer, zmqc → Zeek 8.2.2 logger", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("the logger writes every record we send as JSON, and reports a batch for a stream it lacks and goes on", async () => {
    const [xpub, xsub, logPull] = (await reservePorts(3)) as [number, number, number];
    const logger = startZeekNode({
      script: "log-logger.zeek",
      node: "logger",
      layout: LOGGER_LAYOUT,
      env: { XPUB_PORT: `${xpub}/tcp`, XSUB_PORT: `${xsub}/tcp`, LOG_PULL_PORT: `${logPull}/tcp` },
      dirPrefix: "zmqc-zeek-logger-",
    });
    cleanups.push(() => logger.dispose());
    const push = new Push({ linger: 0, sendTimeout: STEP_TIMEOUT_MS });
    cleanups.push(() => push.close());
    // zeromq.js retries the connect until Zeek has bound its PULL socket; the batches wait in our queue.
    push.connect(`tcp://127.0.0.1:${logPull}`);

    for (const { name, batch } of TO_ZEEK) {
      const frames = encodeLogFrames({
        sender: SENDER,
        format: ZEEK_BIN_SERIALIZER,
        payload: encodeZeekLogBatch(batch),
      });
      expect(Buffer.from(frames[0] as Uint8Array).toString()).toBe(LOG_WRITE_TOPIC);
      await whileZeekRuns(logger, `sending ${name}`, push.send(frames));
    }
    const exit = await logger.waitForExit(STEP_TIMEOUT_MS);
    expect(exit, exit.stderr).toMatchObject({ code: 0, signal: null, stdout: "" });
    expect(exit.stderr.split("\n").filter((line) => line !== "")).toEqual([
      ...TO_ZEEK.flatMap(({ errors }) => errors),
      "received termination signal",
    ]);

    const lines = readFileSync(join(logger.dir, `${LOG_PATH}.log`), "utf8").split("\n");
    expect(lines.pop()).toBe("");
    const expected = TO_ZEEK.filter(({ written }) => written).flatMap(({ batch }) =>
      batch.records.map((record) => zeekJsonRecord(LOG_FIELDS, record)),
    );
    const written = lines.map(parseZeekJsonLine);
    expect(written).toEqual(expected);
    // Same keys in the same (column) order: unset values are left out, nothing else is.
    expect(written.map((line) => Object.keys(line))).toEqual(expected.map((line) => Object.keys(line)));
  });
});

describe("captured Zeek 8.2.2 log batches (conformance/captured-zeek-8.2.2-logs.json)", () => {
  const saved = readCapturedLogs();
  const byId = new Map(saved.map((vector) => [vector.id, vector]));

  it("holds the ZmqcLogTest::LOG tail and the worker's cluster.log batch, each re-encoding to its bytes", () => {
    expect(saved.map(({ id }) => id)).toEqual([
      "zeek-8.2.2/zeek-bin-serializer/zmqc-log-test-tail",
      "zeek-8.2.2/zeek-bin-serializer/cluster-log-worker",
    ]);
    for (const vector of saved) {
      expect(vector.expect, vector.id).toBe("roundtrip");
      expect(hex(encodeZeekLogBatch(decodeZeekLogBatch(Buffer.from(vector.hex, "hex")))), vector.id).toBe(
        vector.hex,
      );
    }
  });

  it("the tail decodes to make_info(2000) … make_info(2004)", () => {
    const batch = decodeZeekLogBatch(
      Buffer.from(byId.get("zeek-8.2.2/zeek-bin-serializer/zmqc-log-test-tail")?.hex ?? "", "hex"),
    );
    expect(batch).toMatchObject({
      stream: LOG_STREAM,
      writer: ASCII_WRITER,
      filter: DEFAULT_FILTER,
      path: LOG_PATH,
      trailingBytes: 0,
    });
    expect(batch.fields).toEqual(LOG_FIELDS);
    expect(batch.records.map(canonicalRecord)).toEqual(
      Array.from({ length: RECORDS % WRITE_BUFFER_SIZE }, (_, k) =>
        canonicalRecord(makeInfo(TAIL_START + k)),
      ),
    );
  });

  it("the cluster.log batch decodes to worker-1's normalised hello", () => {
    const batch = decodeZeekLogBatch(
      Buffer.from(byId.get("zeek-8.2.2/zeek-bin-serializer/cluster-log-worker")?.hex ?? "", "hex"),
    );
    expect(batch).toMatchObject({
      stream: CLUSTER_STREAM,
      writer: ASCII_WRITER,
      filter: DEFAULT_FILTER,
      path: "cluster",
    });
    expect(batch.fields).toEqual(CLUSTER_FIELDS);
    expect(batch.records).toEqual([
      [
        LogValues.time(NORMAL_TS),
        LogValues.string("worker-1"),
        LogValues.string(`got hello from manager (${NORMAL_MANAGER_ID})`),
      ],
    ]);
  });
});
