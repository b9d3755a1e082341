import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { createLogStream, startLogger, startLogSender } from "@zmqc/log-pipeline";
import { afterEach, describe, expect, it } from "vitest";
import { type ReadCell, readTsvLog } from "./support/zeek-cut.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const dns = createLogStream({
  id: "DNS::LOG",
  path: "dns",
  columns: {
    ts: "time",
    uid: "string",
    query: { type: "string", optional: true },
    answers: { type: { vector: "string" }, optional: true },
  },
});

/** A logger writing into a fresh temporary directory (removed after the test), and a sender logging to it. */
async function loggerAndSender(
  loggerOptions: { rotateOnClose?: boolean } = {},
  senderOptions: { writeBufferSize?: number } = {},
) {
  const dir = mkdtempSync(join(tmpdir(), "zmqc-logger-"));
  dirs.push(dir);
  const logger = await startLogger({
    listenLogEndpoint: "tcp://127.0.0.1:*",
    dir,
    rotationIntervalMs: 0,
    ...loggerOptions,
  });
  const sender = await startLogSender({
    nodeId: "w1",
    connectLogEndpoints: [logger.endpoint],
    flushInterval: 0,
    lingerMs: 1000,
    ...senderOptions,
  });
  return { dir, logger, sender };
}

describe("startLogger", () => {
  it("writes every record a sender sends to a Zeek TSV file, and closes it with #close", async () => {
    const { dir, logger, sender } = await loggerAndSender({}, { writeBufferSize: 4 });
    for (let i = 0; i < 10; i++) {
      sender.write(dns, {
        ts: 1_764_064_800 + i / 4,
        uid: `C${i}`,
        query: i % 3 ? `host${i}.example` : undefined,
        answers: i % 2 ? ["192.0.2.1", "x\ty"] : [],
      });
    }
    await sender.drain();
    await logger.written(10);
    await logger.close();
    const text = readFileSync(join(dir, "dns.log"), "utf8");
    expect(text.startsWith("#separator \\x09\n#set_separator\t,\n")).toBe(true);
    expect(text).toMatch(/\n#close\t\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d\n$/);
    const read = readTsvLog(Buffer.from(text));
    expect(read.fields).toEqual(["ts", "uid", "query", "answers"]);
    expect(read.rows).toHaveLength(10);
    const show = (cell: ReadCell | undefined): unknown =>
      cell?.kind === "value"
        ? Buffer.from(cell.bytes).toString("utf8")
        : cell?.kind === "list"
          ? cell.elements.map(show)
          : cell?.kind;
    expect(read.rows[1]?.map(show)).toEqual([
      "1764064800.250000",
      "C1",
      "host1.example",
      ["192.0.2.1", "x\ty"],
    ]);
    expect(read.rows[0]?.map(show)).toEqual(["1764064800.000000", "C0", "unset", "empty"]);
    expect(logger.stats()).toMatchObject({
      batchesWritten: 3,
      recordsWritten: 10,
      writeErrors: 0,
      decodeErrors: 0,
    });
  });
  it("rotateOnClose: close() rotates every file to <path>.<open>.log, as a terminating Zeek logger does", async () => {
    const { dir, logger, sender } = await loggerAndSender({ rotateOnClose: true });
    for (let i = 0; i < 3; i++) sender.write(dns, { ts: 1_764_064_800 + i, uid: `C${i}` });
    await sender.drain();
    await logger.written(3);
    await logger.close();
    const names = readdirSync(dir);
    expect(names).toHaveLength(1);
    const date = /^dns\.(\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d)\.log$/.exec(names[0] ?? "")?.[1];
    expect(date, names[0]).toBeDefined();
    const text = readFileSync(join(dir, names[0] as string), "utf8");
    expect(text.split("\n").filter((line) => line !== "" && !line.startsWith("#"))).toHaveLength(3);
    expect(text).toMatch(/\n#close\t\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d\n$/);
  });

  it("written(n) resolves when n records are on disk, and rejects on a timeout, at close and for a bad count", async () => {
    const { dir, logger, sender } = await loggerAndSender({}, { writeBufferSize: 2 });
    await logger.written(0);
    // Asked before anything is sent: settled by the batches as they are written.
    const firstTwo = logger.written(2, { timeoutMs: -1 });
    // Its outcome is taken at once: it settles (rejects) during close(), before the test looks at it.
    const five = logger.written(5, { timeoutMs: -1 }).then(
      () => "resolved",
      (error: unknown) => error,
    );
    for (let i = 0; i < 4; i++) sender.write(dns, { ts: 1_764_064_800 + i, uid: `C${i}` });
    await firstTwo;
    await sender.drain();
    await logger.written(4);
    // No fifth record comes: a short wait times out, naming what it saw.
    await expect(logger.written(5, { timeoutMs: 50 })).rejects.toMatchObject({
      code: "TIMEOUT",
      message: "4 of 5 records written within 50 ms",
    });
    await expect(logger.written(1.5)).rejects.toMatchObject({ code: "CONFIG" });
    await logger.close();
    // The waiter from before was still waiting for its fifth record when the logger stopped.
    expect(await five).toMatchObject({ code: "CLOSED", message: "the logger stopped after 4 records" });
    await logger.written(4);
    await expect(logger.written(6)).rejects.toMatchObject({ code: "CLOSED" });
    const lines = readFileSync(join(dir, "dns.log"), "utf8").split("\n");
    expect(lines.filter((line) => line.startsWith("1764064800"))).toHaveLength(1);
  });

  it("rotate() resolves with the files it rotated", async () => {
    const { dir, logger, sender } = await loggerAndSender();
    sender.write(dns, { ts: 1_764_064_800, uid: "C0" });
    await sender.drain();
    await logger.written(1);
    const rotated = await logger.rotate();
    expect(rotated).toHaveLength(1);
    expect(rotated[0]).toMatchObject({ path: "dns", terminating: false });
    expect(readdirSync(dir)).toEqual([basename(rotated[0]?.file ?? "")]);
    expect(await logger.rotate()).toEqual([]);
    expect(logger.stats().rotations).toBe(2);
    await logger.close();
  });
});
