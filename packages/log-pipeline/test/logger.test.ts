import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

describe("startLogger", () => {
  it("writes every record a sender sends to a Zeek TSV file, and closes it with #close", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zmqc-logger-"));
    dirs.push(dir);
    const logger = await startLogger({ listenLogEndpoint: "tcp://127.0.0.1:*", dir, rotationIntervalMs: 0 });
    const sender = await startLogSender({
      nodeId: "w1",
      connectLogEndpoints: [logger.endpoint],
      writeBufferSize: 4,
      flushInterval: 0,
      lingerMs: 1000,
    });
    for (let i = 0; i < 10; i++) {
      sender.write(dns, {
        ts: 1_764_064_800 + i / 4,
        uid: `C${i}`,
        query: i % 3 ? `host${i}.example` : undefined,
        answers: i % 2 ? ["192.0.2.1", "x\ty"] : [],
      });
    }
    await sender.drain();
    // Wait for what we expect: every record written.
    const deadline = Date.now() + 10_000;
    while (logger.stats().recordsWritten < 10) {
      if (Date.now() > deadline)
        throw new Error(`only ${logger.stats().recordsWritten} of 10 records written`);
      await new Promise((resolve) => setImmediate(resolve));
    }
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
    const dir = mkdtempSync(join(tmpdir(), "zmqc-logger-"));
    dirs.push(dir);
    const logger = await startLogger({ listenLogEndpoint: "tcp://127.0.0.1:*", dir, rotateOnClose: true });
    const sender = await startLogSender({
      nodeId: "w1",
      connectLogEndpoints: [logger.endpoint],
      flushInterval: 0,
      lingerMs: 1000,
    });
    for (let i = 0; i < 3; i++) sender.write(dns, { ts: 1_764_064_800 + i, uid: `C${i}` });
    await sender.drain();
    const deadline = Date.now() + 10_000;
    while (logger.stats().recordsWritten < 3) {
      if (Date.now() > deadline)
        throw new Error(`only ${logger.stats().recordsWritten} of 3 records written`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await logger.close();
    const names = readdirSync(dir);
    expect(names).toHaveLength(1);
    const date = /^dns\.(\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d)\.log$/.exec(names[0] ?? "")?.[1];
    expect(date, names[0]).toBeDefined();
    const text = readFileSync(join(dir, names[0] as string), "utf8");
    expect(text.split("\n").filter((line) => line !== "" && !line.startsWith("#"))).toHaveLength(3);
    expect(text).toMatch(/\n#close\t\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d\n$/);
  });
});
