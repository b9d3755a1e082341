// Zeek clusters logging to a Zeek logger and to a zmqc logger, file against file.
//
// The cluster is Zeek's `logging` scenario cut down (support/zeek-cluster.ts): a manager running the proxy
// thread, a LOGGER at LOG_PULL_PORT and two workers, each writing ZMQC_RECORDS records of ZmqcCluster::LOG
// (zeek/zmqc-cluster-stream.zeek: time, string, count, nested addr/port record, enum, optional interval and
// bool, int, double, subnet, set[string], vector[count], optional vector[string]) at startup; every node also
// sends cluster.log. It runs twice on the same layout: once with a real Zeek logger (the reference), once with
// startLogger bound at the LOGGER's port. Then zmqc senders (startLogSender, the same stream declared with
// createLogStream) log the same records to a Zeek logger and to a zmqc logger. Every run waits for the
// records on the logger's disk, counts them, and stops the logger the way it is stopped in production
// (SIGTERM for Zeek, which then rotates and closes its files; close() for ours, with rotateOnClose).
//
// What may differ between a Zeek logger's file and ours, and nothing else does (checked below):
// - the #open/#close times and the rotated file name (`<path>.<open>.log`): they are the run's wall clock;
// - the order of batches from different workers (each PUSH socket's batches stay in order; the interleaving of
//   two senders is the order they arrived in);
// - cluster.log rows that exist only because a Zeek logger is a cluster node (its own hellos and node_downs,
//   and the other nodes' "got hello from logger"): a zmqc logger is only a PULL socket.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ChildExit, Cleanup, describeWithZeek, reservePorts } from "@zmqc/zeek-harness";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  formatZeekDate,
  type Logger,
  type LoggerStats,
  type LogSenderStats,
  startLogger,
  startLogSender,
} from "../src/index.js";
import { CLUSTER_PATH, clusterStream, makeRecord } from "./support/cluster-records.js";
import { dataLines, logFiles, startClusterNode, waitUntil } from "./support/zeek-cluster.js";

/** Records each worker writes: a full batch of Log::write_buffer_size (1000) and a rest sent at termination. */
const RECORDS = 1234;
const WORKERS = ["worker-1", "worker-2"] as const;
const STEP_MS = 15_000;

/** The rows every run's cluster.log must hold, from the manager and the workers (ids cut off). */
const MANAGER_ROWS = [
  "manager\tgot hello from worker-1",
  "manager\tgot hello from worker-2",
  "manager\tnode down: worker-1",
  "manager\tnode down: worker-2",
];

interface LoggerRun {
  readonly kind: "zeek" | "zmqc";
  /** The logger's `.log` files after it stopped, by name (latin1, so every byte is one character). */
  readonly files: ReadonlyMap<string, string>;
  /** How the Zeek nodes ended (the Zeek logger under "logger"). */
  readonly exits: ReadonlyMap<string, ChildExit>;
  /** The zmqc logger's stats and warnings. */
  readonly stats?: LoggerStats;
  readonly warnings: readonly string[];
  readonly senderStats?: readonly LogSenderStats[];
  /** Wall-clock seconds around the run. */
  readonly started: number;
  readonly ended: number;
}

/** What a Zeek logger may print besides "received termination signal" (see the first test). */
const UNKNOWN_NODE_WARNING =
  /^warning in \S+\/cluster\/backend\/zeromq\/main\.zeek, line \d+: unsubscription of unknown node with id 'zeromq_(worker-[12]|logger)_/;

const cleanup = new Cleanup();
afterAll(() => cleanup.run());

const portOf = (endpoint: string) => Number(/:(\d+)$/.exec(endpoint)?.[1]);
/** A cluster.log row (TSV or JSON) as `node<TAB>message`, the node id in parentheses cut off. */
const clusterRow = (line: string) => {
  const text = line.startsWith("{")
    ? (({ node, message }: { node: string; message: string }) => `${node}\t${message}`)(JSON.parse(line))
    : line.split("\t").slice(1).join("\t");
  return text.replace(/ \(zeromq_[^)]*\)$/, "");
};

/** Where a logger writes (and keeps, after its rotation at shutdown) a path: `<dir>/<path>.log` while running. */
async function startEitherLogger(
  kind: "zeek" | "zmqc",
  root: string,
  env: Record<string, string>,
  format: "tsv" | "json" = "tsv",
) {
  const dir = join(root, "logger");
  const warnings: string[] = [];
  if (kind === "zmqc") {
    const logger: Logger = cleanup.add(
      await startLogger({
        listenLogEndpoint: "tcp://127.0.0.1:*",
        dir,
        format,
        rotateOnClose: true,
        log: (line) => warnings.push(line),
      }),
      (l) => l.close(),
    );
    return {
      dir,
      warnings,
      port: portOf(logger.endpoint),
      stop: () => logger.close(),
      stats: () => logger.stats(),
    };
  }
  const [port] = (await reservePorts(1)) as [number];
  const zeek = startClusterNode({
    root,
    node: "logger",
    script: format === "json" ? "cluster-logger-json.zeek" : "cluster-logger.zeek",
    env: { ...env, LOG_PULL_PORT: `${port}/tcp` },
  });
  cleanup.add(zeek.child, (child) => child.dispose());
  return {
    dir,
    warnings,
    port,
    exit: undefined as ChildExit | undefined,
    async stop() {
      // Zeek writes what it holds, rotates and closes its files on SIGTERM (not on SIGKILL).
      zeek.child.kill("SIGTERM");
      this.exit = await zeek.child.waitForExit(STEP_MS);
    },
    stats: () => undefined,
    child: zeek.child,
  };
}

/** Zeek workers (and manager) logging to a Zeek or a zmqc logger. */
async function runZeekCluster(kind: "zeek" | "zmqc", format: "tsv" | "json" = "tsv"): Promise<LoggerRun> {
  const root = cleanup.add(mkdtempSync(join(tmpdir(), `zmqc-cluster-${kind}-${format}-`)), (dir) =>
    rmSync(dir, { recursive: true, force: true }),
  );
  const started = Date.now() / 1000;
  const [xpub, xsub] = (await reservePorts(2)) as [number, number];
  const base = { XPUB_PORT: `${xpub}/tcp`, XSUB_PORT: `${xsub}/tcp`, ZMQC_RECORDS: String(RECORDS) };
  const logger = await startEitherLogger(kind, root, base, format);
  const env = {
    ...base,
    LOG_PULL_PORT: `${logger.port}/tcp`,
    // A Zeek logger is a cluster node: the manager lets the workers finish only once it is up too.
    ZMQC_WAIT_FOR: [...WORKERS, ...(kind === "zeek" ? ["logger"] : [])].join(","),
  };
  const nodes = ["manager", ...WORKERS].map((node) => {
    const started = startClusterNode({
      root,
      node,
      script: node === "manager" ? "cluster-manager.zeek" : "cluster-worker.zeek",
      env,
    });
    cleanup.add(started.child, (child) => child.dispose());
    return [node, started.child] as const;
  });
  const exits = new Map<string, ChildExit>(
    await Promise.all(nodes.map(async ([node, child]) => [node, await child.waitForExit(STEP_MS)] as const)),
  );
  // The workers and the manager are gone, their last batches sent: wait for them on the logger's disk.
  const file = (path: string) => join(logger.dir, `${path}.log`);
  await waitUntil(
    `${kind} logger: every record on disk`,
    () =>
      dataLines(file(CLUSTER_PATH)).length >= RECORDS * WORKERS.length &&
      MANAGER_ROWS.every((row) => dataLines(file("cluster")).map(clusterRow).includes(row))
        ? true
        : undefined,
    STEP_MS,
    () =>
      `: ${dataLines(file(CLUSTER_PATH)).length} records; cluster.log ${JSON.stringify(dataLines(file("cluster")))}; ${logger.warnings.join("; ")}`,
  );
  await logger.stop();
  if ("exit" in logger && logger.exit !== undefined) exits.set("logger", logger.exit);
  return {
    kind,
    files: logFiles(logger.dir),
    exits,
    ...(logger.stats() === undefined ? {} : { stats: logger.stats() as LoggerStats }),
    warnings: logger.warnings,
    started,
    ended: Date.now() / 1000,
  };
}

/** Two zmqc senders (as worker-1 and worker-2) logging the workers' records to a Zeek or a zmqc logger. */
async function runZmqcSenders(kind: "zeek" | "zmqc"): Promise<LoggerRun> {
  const root = cleanup.add(mkdtempSync(join(tmpdir(), `zmqc-senders-${kind}-`)), (dir) =>
    rmSync(dir, { recursive: true, force: true }),
  );
  const started = Date.now() / 1000;
  const [xpub, xsub] = (await reservePorts(2)) as [number, number];
  const logger = await startEitherLogger(kind, root, { XPUB_PORT: `${xpub}/tcp`, XSUB_PORT: `${xsub}/tcp` });
  const senders = await Promise.all(
    WORKERS.map(async (node) => {
      const sender = await startLogSender({
        nodeId: `zmqc_${node}`,
        connectLogEndpoints: [`tcp://127.0.0.1:${logger.port}`],
        flushInterval: 0,
        lingerMs: 5000,
      });
      cleanup.add(sender, (s) => s.close());
      return [node, sender] as const;
    }),
  );
  for (let i = 0; i < RECORDS; i++)
    for (const [node, sender] of senders) sender.write(clusterStream, makeRecord(node, i));
  await Promise.all(senders.map(([, sender]) => sender.flush()));
  // The senders stay open until their records are on the logger's disk (a Zeek logger may still be starting).
  const file = join(logger.dir, `${CLUSTER_PATH}.log`);
  await waitUntil(
    `${kind} logger: every record from zmqc senders on disk`,
    () => (dataLines(file).length >= RECORDS * WORKERS.length ? true : undefined),
    STEP_MS,
    () => `: ${dataLines(file).length} records; ${logger.warnings.join("; ")}`,
  );
  const senderStats = senders.map(([, sender]) => sender.stats());
  await Promise.all(senders.map(([, sender]) => sender.drain()));
  await logger.stop();
  const exits = new Map<string, ChildExit>();
  if ("exit" in logger && logger.exit !== undefined) exits.set("logger", logger.exit);
  return {
    kind,
    files: logFiles(logger.dir),
    exits,
    ...(logger.stats() === undefined ? {} : { stats: logger.stats() as LoggerStats }),
    warnings: logger.warnings,
    senderStats,
    started,
    ended: Date.now() / 1000,
  };
}

/** The one file of a path after rotation at shutdown: `<path>.<YYYY-MM-DD-HH-MM-SS>.log`. */
function rotated(run: LoggerRun, path: string): { name: string; text: string } {
  const names = [...run.files.keys()].filter((name) => name.startsWith(`${path}.`));
  expect(names, `${run.kind} logger's ${path} files`).toHaveLength(1);
  const name = names[0] as string;
  return { name, text: run.files.get(name) as string };
}

const metaLines = (text: string) => text.split("\n").filter((line) => line.startsWith("#"));
/** The meta lines with the #open/#close times cut off. */
const header = (text: string) =>
  metaLines(text).map((line) => (/^#(open|close)\t/.test(line) ? line.slice(0, line.indexOf("\t")) : line));
const rows = (text: string) => text.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
const key = (line: string) => {
  const [, node, seq] = line.split("\t");
  return `${node}/${seq}`;
};

/** Every (node, seq) exactly once, and each node's records in the order it wrote them. */
function expectEveryRecordOnce(lines: readonly string[], label: string) {
  expect(lines, label).toHaveLength(RECORDS * WORKERS.length);
  expect(new Set(lines.map(key)).size, `${label}: distinct records`).toBe(RECORDS * WORKERS.length);
  for (const node of WORKERS) {
    const seqs = lines
      .filter((line) => line.split("\t")[1] === node)
      .map((line) => Number(line.split("\t")[2]));
    expect(seqs, `${label}: ${node}'s records in order`).toEqual(
      Array.from({ length: RECORDS }, (_, i) => i),
    );
  }
}

/** Compares two logs' data rows field for field, matched by (node, seq); `asSets` names columns compared as sets. */
function fieldDifferences(
  ours: readonly string[],
  theirs: readonly string[],
  fields: readonly string[],
  asSets = new Set<number>(),
) {
  const byKey = new Map(theirs.map((line) => [key(line), line.split("\t")]));
  const differences: string[] = [];
  for (const line of ours) {
    const mine = line.split("\t");
    const other = byKey.get(key(line));
    if (other === undefined) {
      differences.push(`${key(line)}: missing`);
      continue;
    }
    fields.forEach((field, f) => {
      const a = asSets.has(f) ? (mine[f] ?? "").split(",").sort().join(",") : mine[f];
      const b = asSets.has(f) ? (other[f] ?? "").split(",").sort().join(",") : other[f];
      if (a !== b)
        differences.push(`${key(line)} ${field}: ${JSON.stringify(mine[f])} vs ${JSON.stringify(other[f])}`);
    });
  }
  return differences;
}

describeWithZeek("Zeek and zmqc loggers in a Zeek cluster, file against file", () => {
  let zeekLogger: LoggerRun;
  let zmqcLogger: LoggerRun;
  let sendersToZeek: LoggerRun;
  let sendersToZmqc: LoggerRun;
  let zeekJsonLogger: LoggerRun;
  let zmqcJsonLogger: LoggerRun;

  beforeAll(async () => {
    [zeekLogger, zmqcLogger, sendersToZeek, sendersToZmqc, zeekJsonLogger, zmqcJsonLogger] =
      await Promise.all([
        runZeekCluster("zeek"),
        runZeekCluster("zmqc"),
        runZmqcSenders("zeek"),
        runZmqcSenders("zmqc"),
        runZeekCluster("zeek", "json"),
        runZeekCluster("zmqc", "json"),
      ]);
  }, 60_000);

  it("every Zeek node exited cleanly, saying only that it was told to", () => {
    for (const run of [zeekLogger, zmqcLogger, sendersToZeek, zeekJsonLogger, zmqcJsonLogger]) {
      for (const [node, exit] of run.exits) {
        expect(exit, `${run.kind}: ${node}\n${exit.stderr}`).toMatchObject({ code: 0, signal: null });
        // A node sometimes warns about a worker's unsubscriptions when it never saw that worker's hello: the
        // workers all finish at once, so one may leave before its hello reached another (Zeek's cluster protocol,
        // nothing to do with logging).
        const lines = exit.stderr
          .split("\n")
          .filter((line) => line !== "" && !UNKNOWN_NODE_WARNING.test(line));
        expect(lines, `${run.kind}: ${node}`).toEqual(["received termination signal"]);
      }
    }
    expect([...zeekLogger.exits.keys()].sort()).toEqual(["logger", "manager", ...WORKERS]);
    expect([...zmqcLogger.exits.keys()].sort()).toEqual(["manager", ...WORKERS]);
  });

  it("each logger has every record, once, each worker's in order; the zmqc logger counted no errors", () => {
    for (const run of [zeekLogger, zmqcLogger, sendersToZeek, sendersToZmqc])
      expectEveryRecordOnce(rows(rotated(run, CLUSTER_PATH).text), `${run.kind} logger`);
    for (const run of [zmqcLogger, sendersToZmqc]) {
      expect(run.warnings).toEqual([]);
      expect(run.stats).toMatchObject({ msgErrors: 0, formatErrors: 0, decodeErrors: 0, writeErrors: 0 });
      expect(run.stats?.recordsWritten).toBe(run.stats?.recordsReceived);
    }
    for (const stats of [...(sendersToZeek.senderStats ?? []), ...(sendersToZmqc.senderStats ?? [])])
      expect(stats).toMatchObject({
        recordsWritten: RECORDS,
        recordsSent: RECORDS,
        batchesDropped: 0,
        recordsBuffered: 0,
      });
  });

  it("both loggers rotate at shutdown to <path>.<period start>.log; #open (the file's open) is not before it", () => {
    // Zeek's rotated name has the start of the file's period (when the logger first saw the path), its #open
    // the moment the writer opened the file, which can be a second later (Zeek's logger buffers records up to
    // Log::flush_interval before its writer thread opens the file). Ours: the same two moments, milliseconds
    // apart, so the name and #open can also straddle a second. Both are wall-clock times of the run, in Zeek's
    // %Y-%m-%d-%H-%M-%S, local time.
    for (const run of [zeekLogger, zmqcLogger, sendersToZeek, sendersToZmqc]) {
      const seconds: string[] = [];
      for (let t = Math.floor(run.started) - 1; t <= Math.ceil(run.ended) + 1; t++)
        seconds.push(formatZeekDate(t, "local"));
      const paths =
        run === sendersToZeek || run === sendersToZmqc ? [CLUSTER_PATH] : [CLUSTER_PATH, "cluster"];
      for (const path of paths) {
        const { name, text } = rotated(run, path);
        const period = /^[a-z_]+\.(\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d)\.log$/.exec(name)?.[1] ?? "";
        const open = /\n#open\t(.*)\n/.exec(text)?.[1] ?? "";
        const close = /\n#close\t(.*)\n$/.exec(text)?.[1] ?? "";
        for (const time of [period, open, close]) expect(seconds, `${run.kind} ${name}`).toContain(time);
        expect(period <= open && open <= close, `${run.kind} ${name}: ${period} ≤ ${open} ≤ ${close}`).toBe(
          true,
        );
      }
    }
  });

  it(`${CLUSTER_PATH}: Zeek workers → zmqc logger is Zeek workers → Zeek logger, header and every field`, () => {
    const zeek = rotated(zeekLogger, CLUSTER_PATH).text;
    const ours = rotated(zmqcLogger, CLUSTER_PATH).text;
    expect(header(ours)).toEqual(header(zeek));
    const fields = (metaLines(zeek).find((line) => line.startsWith("#fields\t")) ?? "").split("\t").slice(1);
    expect(fieldDifferences(rows(ours), rows(zeek), fields)).toEqual([]);
    // Line for line too, once the two workers' interleaving is taken out.
    expect([...rows(ours)].sort()).toEqual([...rows(zeek)].sort());
  });

  it("cluster.log: same header; the same rows, but for those about the Zeek logger as a cluster node", () => {
    const zeek = rotated(zeekLogger, "cluster").text;
    const ours = rotated(zmqcLogger, "cluster").text;
    expect(header(ours)).toEqual(header(zeek));
    const ourRows = rows(ours).map(clusterRow);
    const zeekRows = rows(zeek).map(clusterRow);
    for (const row of MANAGER_ROWS) {
      expect(ourRows).toContain(row);
      expect(zeekRows).toContain(row);
    }
    // Ours come from the manager and the workers only; the Zeek logger also logs its own view of the cluster.
    // Which hellos and node_downs a node sees besides the manager's is a race of Zeek's cluster protocol (the
    // workers finish together; the manager, which runs the proxy, may or may not be seen leaving).
    for (const row of ourRows)
      expect(row).toMatch(/^(manager|worker-[12])\t(got hello from|node down:) (manager|worker-[12])$/);
    const loggerRows = zeekRows.filter((row) => row.startsWith("logger\t"));
    expect(loggerRows.length).toBeGreaterThan(0);
    for (const row of zeekRows)
      expect(row).toMatch(
        /^(manager|worker-[12]|logger)\t(got hello from|node down:) (manager|worker-[12]|logger)$/,
      );
    // The manager waited for the Zeek logger's hello before letting the workers finish.
    expect(zeekRows).toContain("manager\tgot hello from logger");
  });

  it(`${CLUSTER_PATH}: zmqc senders → Zeek logger is zmqc senders → zmqc logger, header and every field`, () => {
    const zeek = rotated(sendersToZeek, CLUSTER_PATH).text;
    const ours = rotated(sendersToZmqc, CLUSTER_PATH).text;
    expect(header(ours)).toEqual(header(zeek));
    expect([...rows(ours)].sort()).toEqual([...rows(zeek)].sort());
  });

  it(`${CLUSTER_PATH}: zmqc senders' records are Zeek workers' records (sets compared as sets), header and all`, () => {
    // createLogStream declares the same columns, makeRecord builds the same values; only set element order may
    // differ (a Zeek worker sends sets in its hash order, a zmqc sender in insertion order).
    const fromZeek = rotated(zeekLogger, CLUSTER_PATH).text;
    const fromZmqc = rotated(sendersToZeek, CLUSTER_PATH).text;
    expect(header(fromZmqc)).toEqual(header(fromZeek));
    const types = (metaLines(fromZeek).find((line) => line.startsWith("#types\t")) ?? "")
      .split("\t")
      .slice(1);
    const fields = (metaLines(fromZeek).find((line) => line.startsWith("#fields\t")) ?? "")
      .split("\t")
      .slice(1);
    const sets = new Set(types.flatMap((type, i) => (type.startsWith("set[") ? [i] : [])));
    expect(sets.size).toBeGreaterThan(0);
    expect(fieldDifferences(rows(fromZmqc), rows(fromZeek), fields, sets)).toEqual([]);
  });
  it(`${CLUSTER_PATH} as JSON lines (LogAscii::use_json): the zmqc logger's lines are the Zeek logger's, byte for byte`, () => {
    const zeek = rows(rotated(zeekJsonLogger, CLUSTER_PATH).text);
    const ours = rows(rotated(zmqcJsonLogger, CLUSTER_PATH).text);
    for (const [label, lines] of [
      ["zeek", zeek],
      ["zmqc", ours],
    ] as const) {
      // Every (node, seq) once, each worker's in order.
      const records = lines.map((line) => JSON.parse(line) as { node: string; seq: number });
      expect(new Set(records.map(({ node, seq }) => `${node}/${seq}`)).size, label).toBe(
        RECORDS * WORKERS.length,
      );
      for (const node of WORKERS)
        expect(
          records.filter((record) => record.node === node).map(({ seq }) => seq),
          `${label}: ${node}`,
        ).toEqual(Array.from({ length: RECORDS }, (_, i) => i));
    }
    expect(metaLines(rotated(zmqcJsonLogger, CLUSTER_PATH).text)).toEqual([]);
    expect([...ours].sort()).toEqual([...zeek].sort());
    // The JSON logs hold the same records as the TSV ones (the same workers, the same seeds).
    expect(ours).toHaveLength(rows(rotated(zmqcLogger, CLUSTER_PATH).text).length);
    for (const run of [zeekJsonLogger, zmqcJsonLogger])
      for (const row of rows(rotated(run, "cluster").text).map(clusterRow))
        expect(row).toMatch(
          /^(manager|worker-[12]|logger)\t(got hello from|node down:) (manager|worker-[12]|logger)$/,
        );
  });
});
