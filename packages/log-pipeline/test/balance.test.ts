// Even load across loggers, and a graceful logger stop that loses nothing, with real sockets and files.
//
// PUSH round-robins messages: with uneven batch sizes the loggers get the same number of batches but not of
// records. `balance: "records"` (one PUSH per logger, each batch to the logger with the fewest records so far)
// evens out the records. With it, `retireLogger` + `close({ handoffMs })` hand a logger off while the senders
// keep logging: every record sent is on disk, in one file or the other.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { type AddressInfo, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { createLogStream, type Logger, type LogSender, startLogger, startLogSender } from "../src/index.js";
import { waitUntil } from "./support/wait.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const conn = createLogStream({
  id: "Conn::LOG",
  path: "conn",
  columns: { ts: "time", uid: "string", orig_bytes: "count" },
});

/** A TCP listener on an OS-chosen port that accepts connections and never reads or writes on them. */
async function listenSilently(): Promise<{ endpoint: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `tcp://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function startLoggers(count: number): Promise<Logger[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const dir = mkdtempSync(join(tmpdir(), "zmqc-balance-"));
      dirs.push(dir);
      return startLogger({
        listenLogEndpoint: "tcp://127.0.0.1:*",
        dir,
        rotationIntervalMs: 0,
        log: () => {},
      });
    }),
  );
}

/** Waits (bounded) until `check` holds: for counts another process or socket moves. */
const until = (what: string, check: () => boolean) => waitUntil(what, check, 15_000, undefined, 5);

/** The uids in a logger's conn.log. */
function uidsOf(logger: Logger): string[] {
  let text: string;
  try {
    text = readFileSync(join(logger.dir, "conn.log"), "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => line.split("\t")[1] as string);
}

const share = (part: number, whole: number) => part / whole;

describe("even load across loggers", () => {
  // Four equal senders, each sending batches of 50 and 5 records in turn, to two loggers.
  const SENDERS = 4;
  const BATCHES = 40;
  const recordsPerSender = (BATCHES / 2) * 55;

  async function run(balance: "messages" | "records") {
    const loggers = await startLoggers(2);
    const senders = await Promise.all(
      Array.from({ length: SENDERS }, (_, s) =>
        startLogSender({
          nodeId: `worker-${s}`,
          connectLogEndpoints: loggers.map((logger) => logger.endpoint),
          writeBufferSize: 1000,
          flushInterval: 0,
          lingerMs: 2000,
          balance,
        }),
      ),
    );
    try {
      for (let b = 0; b < BATCHES; b++) {
        for (const [s, sender] of senders.entries()) {
          const size = b % 2 === 0 ? 50 : 5;
          for (let i = 0; i < size; i++)
            sender.write(conn, { ts: 1_764_064_800, uid: `W${s}-${b}-${i}`, orig_bytes: i });
          await sender.flush();
        }
      }
      const total = SENDERS * recordsPerSender;
      await until(
        `${total} records on the loggers`,
        () => loggers.reduce((sum, logger) => sum + logger.stats().recordsWritten, 0) === total,
      );
      const stats = loggers.map((logger) => logger.stats());
      return {
        records: stats.map((s) => share(s.recordsWritten, total)),
        batches: stats.map((s) => share(s.batchesWritten, SENDERS * BATCHES)),
        senders: senders.map((sender) => sender.stats()),
      };
    } finally {
      await Promise.all(senders.map((sender) => sender.close()));
      await Promise.all(loggers.map((logger) => logger.close()));
    }
  }

  it('balance: "records" keeps each logger within 10 % of an even share of records and of batches', async () => {
    const { records, batches, senders } = await run("records");
    console.info(
      `balance "records": records per logger ${records.map((r) => r.toFixed(3)).join(" / ")}, batches ${batches.map((b) => b.toFixed(3)).join(" / ")}`,
    );
    for (const value of [...records, ...batches]) expect(Math.abs(value - 0.5)).toBeLessThanOrEqual(0.05);
    // The sender knows what each logger was handed.
    for (const stats of senders) {
      const perLogger = [...stats.perLogger.values()];
      expect(perLogger).toHaveLength(2);
      expect(perLogger.reduce((sum, logger) => sum + logger.records, 0)).toBe(recordsPerSender);
    }
  });

  it('balance: "messages" (Zeek\'s PUSH round robin) evens out batches; its records follow the batch sizes', async () => {
    const { records, batches } = await run("messages");
    for (const value of batches) expect(Math.abs(value - 0.5)).toBeLessThanOrEqual(0.05);
    // Measured, not asserted: one logger takes the 50-record batches, the other the 5-record ones.
    console.info(`balance "messages": records per logger ${records.map((r) => r.toFixed(3)).join(" / ")}`);
  });
});

describe("graceful logger stop while senders keep sending", () => {
  it("retireLogger + close({ handoffMs }): records sent = records on disk, none twice", async () => {
    const [leaving, staying] = (await startLoggers(2)) as [Logger, Logger];
    const senders: LogSender[] = await Promise.all(
      Array.from({ length: 3 }, (_, s) =>
        startLogSender({
          nodeId: `worker-${s}`,
          connectLogEndpoints: [leaving.endpoint, staying.endpoint],
          writeBufferSize: 25,
          flushInterval: 0,
          lingerMs: 5000,
          balance: "records",
        }),
      ),
    );
    let stop = false;
    const writers = senders.map(async (sender, s) => {
      for (let i = 0; !stop; i++) {
        sender.write(conn, { ts: 1_764_064_800 + i / 1000, uid: `W${s}-${i}`, orig_bytes: i });
        // A batch every 25 records, then the event loop runs: senders that keep logging, not a flood.
        if (i % 25 === 24) await delay(1);
      }
    });
    try {
      await until(
        "the leaving logger has batches from every sender",
        () => leaving.stats().perSender.size === 3,
      );
      await until("some traffic", () => leaving.stats().batchesWritten >= 30);
      // The hand-off: every sender stops routing to the leaving logger and queues its end marker behind the last
      // batch it sent there; the logger waits for all three markers, then drains and closes. Senders go on.
      expect(await Promise.all(senders.map((sender) => sender.retireLogger(leaving.endpoint)))).toEqual([
        true,
        true,
        true,
      ]);
      await leaving.close({ handoffMs: 10_000 });
      expect(leaving.stats()).toMatchObject({ endMarkers: 3, sendersNotHandedOff: [] });
      const before = staying.stats().batchesWritten;
      await until(
        "traffic to the other logger after the stop",
        () => staying.stats().batchesWritten >= before + 30,
      );
    } finally {
      stop = true;
      await Promise.all(writers);
      await Promise.all(senders.map((sender) => sender.drain()));
    }
    const sent = senders.reduce((sum, sender) => sum + sender.stats().recordsSent, 0);
    const dropped = senders.reduce((sum, sender) => sum + sender.stats().recordsDropped, 0);
    const written = senders.reduce((sum, sender) => sum + sender.stats().recordsWritten, 0);
    expect(sent + dropped).toBe(written);
    await until("every record sent is on the staying logger or was on the leaving one", () => {
      return leaving.stats().recordsWritten + staying.stats().recordsWritten === sent;
    });
    await staying.close();
    const uids = [...uidsOf(leaving), ...uidsOf(staying)];
    expect(uids).toHaveLength(sent);
    expect(new Set(uids).size).toBe(sent);
    // What each sender handed each logger is what that logger wrote from it.
    for (const sender of senders) {
      const toLeaving = sender.stats().perLogger.get(leaving.endpoint);
      expect(toLeaving?.retired).toBe(true);
    }
    const handedToLeaving = senders.reduce(
      (sum, sender) => sum + (sender.stats().perLogger.get(leaving.endpoint)?.records ?? 0),
      0,
    );
    expect(uidsOf(leaving)).toHaveLength(handedToLeaving);
    console.info(
      `graceful stop: ${sent} records sent, ${dropped} dropped (counted), ${handedToLeaving} to the leaving logger`,
    );
  });
});

describe('balance: "records" around a logger that takes nothing', () => {
  it("fills that logger's pipe to its HWM, then sends everything else to the other, dropping nothing", async () => {
    const [live] = (await startLoggers(1)) as [Logger];
    // A listener that accepts and never answers ZeroMQ's greeting: with logImmediate false the pipe exists and
    // queues up to logSndhwm batches, then is full. The test holds the port (a closed logger's port could be
    // taken by a parallel test's socket, which then takes batches: once 20 of 40 in CI).
    const silent = await listenSilently();
    const dead = silent.endpoint;
    await using sender = await startLogSender({
      nodeId: "worker-1",
      connectLogEndpoints: [dead, live.endpoint],
      writeBufferSize: 10,
      flushInterval: 0,
      logSndhwm: 4,
      lingerMs: 0,
      balance: "records",
      // A burst bigger than the HWM waits for room instead of being dropped at the live logger.
      overflow: { waitMs: 10_000 },
      log: () => {},
    });
    try {
      for (let i = 0; i < 400; i++) sender.write(conn, { ts: 1_764_064_800, uid: `C${i}`, orig_bytes: i });
      await sender.flush();
      const stats = sender.stats();
      expect(stats.recordsDropped).toBe(0);
      const toDead = stats.perLogger.get(dead)?.batches ?? 0;
      // What the dead logger's pipe could queue (its HWM, and ZeroMQ's slack), no more; the rest went to the live one.
      console.info(`a logger that takes nothing got ${toDead} of 40 batches (logSndhwm 4)`);
      expect(toDead).toBeGreaterThan(0);
      expect(toDead).toBeLessThan(20);
      expect(stats.perLogger.get(live.endpoint)?.batches).toBe(40 - toDead);
      await until("the live logger has its share", () => live.stats().batchesWritten === 40 - toDead);
    } finally {
      await live.close();
      await silent.close();
    }
  });

  it("a hand-off that a sender never ends times out and names that sender", async () => {
    const [logger] = (await startLoggers(1)) as [Logger];
    // Zeek's PUSH round robin: this sender cannot retire a logger, so no end marker comes.
    await using sender = await startLogSender({
      nodeId: "zeek-like",
      connectLogEndpoints: [logger.endpoint],
      writeBufferSize: 5,
      flushInterval: 0,
      log: () => {},
    });
    for (let i = 0; i < 5; i++) sender.write(conn, { ts: 1_764_064_800, uid: `C${i}`, orig_bytes: i });
    await sender.flush();
    await until("the batch arrived", () => logger.stats().batchesWritten === 1);
    await expect(sender.retireLogger(logger.endpoint)).rejects.toThrow(/balance: "records"/);
    await logger.close({ handoffMs: 200 });
    expect(logger.stats()).toMatchObject({
      endMarkers: 0,
      sendersNotHandedOff: ["zeek-like"],
      recordsWritten: 5,
    });
  });
});
