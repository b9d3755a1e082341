// LogFileWriter: one append-only file per log path, the header at open, each batch handed to the OS in one go,
// #close + fsync + rename on rotation, #close + fsync on close.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ZmqcError } from "@zmqc/config";
import { decodeZeekLogRows, encodeZeekLogBatch, type LogBatch, LogValues, logField } from "@zmqc/wire-format";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LogFileWriter, type LogFileWriterOptions, type RotatedFile, ZeekJsonFormat } from "../src/index.js";

const FIELDS = [
  logField("ts", "time"),
  logField("uid", "string"),
  logField("n", "count", { optional: true }),
];
const batch = (path: string, ...uids: string[]): LogBatch => ({
  stream: "Test::LOG",
  writer: "Log::WRITER_ASCII",
  filter: "default",
  path,
  fields: FIELDS,
  records: uids.map((uid, i) => [
    LogValues.time(1700000000 + i),
    LogValues.string(uid),
    LogValues.absent("count"),
  ]),
});
const header = (path: string, open: string) =>
  "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n" +
  `#path\t${path}\n#open\t${open}\n#fields\tts\tuid\tn\n#types\ttime\tstring\tcount\n`;

let dir: string;
let now: number;
const clock = () => now;
const writers: LogFileWriter[] = [];
async function start(options: Partial<LogFileWriterOptions> = {}): Promise<LogFileWriter> {
  const writer = await LogFileWriter.open({ dir, timeZone: "UTC", clock, ...options });
  writers.push(writer);
  return writer;
}
const read = (name: string) => readFileSync(join(dir, name), "utf8");

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "zmqc-writers-file-"));
  now = Date.UTC(2026, 10, 25, 10, 0, 0);
});
afterEach(async () => {
  for (const writer of writers.splice(0)) await writer.close();
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

describe("LogFileWriter: writing", () => {
  it("opens <dir>/<path>.log with the header at the first batch, appends rows, writes #close on close", async () => {
    const writer = await start();
    await writer.write(batch("conn", "C1", "C2"));
    now += 1000;
    await writer.write(batch("conn", "C3"));
    now += 60_000;
    await writer.close();
    expect(read("conn.log")).toBe(
      `${header("conn", "2026-11-25-10-00-00")}1700000000.000000\tC1\t-\n1700000001.000000\tC2\t-\n` +
        "1700000000.000000\tC3\t-\n#close\t2026-11-25-10-01-01\n",
    );
  });

  it("a batch is on disk (written to the OS) as soon as write() resolves; nothing waits in JavaScript", async () => {
    const writer = await start();
    await writer.write(batch("conn", "C1"));
    expect(read("conn.log").endsWith("\tC1\t-\n")).toBe(true);
    await writer.write(batch("conn", "C2"));
    expect(read("conn.log").endsWith("\tC2\t-\n")).toBe(true);
  });

  it("one file per path; plain-row batches (decodeZeekLogRows) are written the same", async () => {
    const writer = await start();
    await writer.write(batch("conn", "C1"));
    await writer.write(decodeZeekLogRows(encodeZeekLogBatch(batch("dns", "D1"))));
    await writer.close();
    expect(readdirSync(dir).sort()).toEqual(["conn.log", "dns.log"]);
    expect(read("dns.log")).toContain("\n1700000000.000000\tD1\t-\n#close");
    expect(writer.openPaths).toEqual([]);
  });

  it("JSON, or a format chosen per path; JSON files have no header or #close", async () => {
    const writer = await start({
      format: (path) =>
        path === "conn" ? new ZeekJsonFormat() : new ZeekJsonFormat({ timestamps: "JSON::TS_ISO8601" }),
    });
    await writer.write(batch("conn", "C1"));
    await writer.write(batch("dns", "D1"));
    await writer.close();
    expect(read("conn.log")).toBe('{"ts":1700000000.0,"uid":"C1"}\n');
    expect(read("dns.log")).toBe('{"ts":"2023-11-14T22:13:20.000000Z","uid":"D1"}\n');
  });

  it("an existing file is appended to by default (a new header starts a new section), or truncated like Zeek", async () => {
    writeFileSync(join(dir, "conn.log"), "old\n");
    writeFileSync(join(dir, "dns.log"), "old\n");
    await (await start()).write(batch("conn", "C1"));
    await (await start({ existing: "truncate" })).write(batch("dns", "D1"));
    expect(read("conn.log").startsWith("old\n#separator")).toBe(true);
    expect(read("dns.log").startsWith("#separator")).toBe(true);
  });

  it("appending after a torn last line starts the header on a line of its own", async () => {
    writeFileSync(join(dir, "conn.log"), "1700000000.000000\tC0\t");
    await (await start()).write(batch("conn", "C1"));
    expect(read("conn.log").startsWith("1700000000.000000\tC0\t\n#separator")).toBe(true);
  });

  it("a batch with no records opens nothing; the extension is configurable (ZEEK_LOG_SUFFIX)", async () => {
    const writer = await start({ extension: "tsv" });
    await writer.write(batch("conn"));
    expect(readdirSync(dir)).toEqual([]);
    await writer.write(batch("conn", "C1"));
    expect(readdirSync(dir)).toEqual(["conn.tsv"]);
  });

  it("refuses paths that are not plain file names, and columns that differ from the open file's (ZmqcError PROTOCOL)", async () => {
    const writer = await start();
    for (const path of ["", ".", "..", "../x", "a/b", "a\\b", "a\0b"])
      await expect(writer.write(batch(path, "C1")), JSON.stringify(path)).rejects.toMatchObject({
        code: "PROTOCOL",
      });
    await writer.write(batch("conn", "C1"));
    const other: LogBatch = {
      ...batch("conn", "C2"),
      fields: [logField("ts", "double"), ...FIELDS.slice(1)],
    };
    await expect(writer.write(other)).rejects.toThrow(/rotate it first/);
    // The writer goes on; after a rotation the new columns get a new file.
    await writer.write(batch("conn", "C3"));
    await writer.rotate("conn");
    await writer.write(other);
    expect(read("conn.log")).toContain("#types\tdouble\tstring\tcount\n");
  });

  it("runs operations one at a time in call order", async () => {
    const writer = await start();
    const done = [writer.write(batch("conn", "A")), writer.rotate(), writer.write(batch("conn", "B"))];
    await Promise.all(done);
    const rotated = (await done[1]) as RotatedFile[];
    expect(readFileSync(rotated[0]?.file ?? "", "utf8")).toContain("\tA\t");
    expect(read("conn.log")).toContain("\tB\t");
    expect(read("conn.log")).not.toContain("\tA\t");
  });

  it("close is idempotent; writes after it fail with ZmqcError CLOSED; await using closes", async () => {
    const writer = await start();
    await writer.write(batch("conn", "C1"));
    await Promise.all([writer.close(), writer.close()]);
    await expect(writer.write(batch("conn", "C2"))).rejects.toMatchObject({ code: "CLOSED" });
    expect(read("conn.log").match(/#close/g)).toHaveLength(1);
    {
      await using disposable = await LogFileWriter.open({ dir, timeZone: "UTC", clock });
      await disposable.write(batch("dns", "D1"));
    }
    expect(read("dns.log").endsWith("#close\t2026-11-25-10-00-00\n")).toBe(true);
  });

  it("fsyncs each file on close and on rotation, not on writes", async () => {
    const probe = await open(join(dir, "probe"), "w");
    const sync = vi.spyOn(Object.getPrototypeOf(probe) as { sync(): Promise<void> }, "sync");
    await probe.close();
    const writer = await start();
    await writer.write(batch("conn", "C1"));
    await writer.write(batch("dns", "D1"));
    expect(sync).toHaveBeenCalledTimes(0);
    await writer.rotate("conn");
    expect(sync).toHaveBeenCalledTimes(1);
    await writer.close();
    expect(sync).toHaveBeenCalledTimes(2);
  });

  it("bad options are ZmqcError CONFIG", async () => {
    const bad: Partial<LogFileWriterOptions>[] = [
      { dir: "" },
      { format: "xml" as "tsv" },
      { extension: "" },
      { extension: "a/b" },
      { existing: "keep" as "append" },
      { timeZone: "Atlantis/Capital" },
      { rotation: { naming: "daily" as "default" } },
      { rotation: { reopen: "never" as "lazy" } },
      { rotation: { naming: "log-queue", metadata: { "k=": "v" } } },
    ];
    for (const options of bad) {
      const error = await LogFileWriter.open({ dir, ...options }).catch((e: unknown) => e);
      expect(ZmqcError.is(error, "CONFIG"), JSON.stringify(options)).toBe(true);
    }
  });
});

describe("LogFileWriter: rotation", () => {
  it("rotate(): #close, rename to <path>.<open>.log, call the hook; the next write starts a fresh file", async () => {
    const rotated: RotatedFile[] = [];
    const writer = await start({ rotation: { onRotated: (file) => void rotated.push(file) } });
    await writer.write(batch("conn", "C1"));
    now = Date.UTC(2026, 10, 25, 11, 0, 0);
    const result = await writer.rotate();
    const file = join(dir, "conn.2026-11-25-10-00-00.log");
    expect(result).toEqual([
      {
        path: "conn",
        file,
        open: Date.UTC(2026, 10, 25, 10),
        close: Date.UTC(2026, 10, 25, 11),
        terminating: false,
      },
    ]);
    expect(rotated).toEqual(result);
    expect(readFileSync(file, "utf8").endsWith("\tC1\t-\n#close\t2026-11-25-11-00-00\n")).toBe(true);
    expect(existsSync(join(dir, "conn.log"))).toBe(false); // lazy, as Zeek: no file until the next write

    now += 30 * 60_000;
    await writer.write(batch("conn", "C2"));
    expect(read("conn.log").startsWith(header("conn", "2026-11-25-11-30-00"))).toBe(true);
    now = Date.UTC(2026, 10, 25, 12, 0, 0);
    // The period began at the rotation (11:00), not at the first write after it.
    expect((await writer.rotate())[0]?.file).toBe(join(dir, "conn.2026-11-25-11-00-00.log"));
  });

  it("a path with nothing written since the last rotation is not rotated, but its period restarts", async () => {
    const writer = await start();
    await writer.write(batch("conn", "C1"));
    now += HOUR;
    await writer.rotate();
    now += HOUR;
    expect(await writer.rotate()).toEqual([]);
    now += 10 * 60_000;
    await writer.write(batch("conn", "C2"));
    now += HOUR;
    expect((await writer.rotate())[0]?.open).toBe(Date.UTC(2026, 10, 25, 12, 0, 0));
  });

  it("rotate(path) rotates that path only", async () => {
    const writer = await start();
    await writer.write(batch("conn", "C1"));
    await writer.write(batch("dns", "D1"));
    const result = await writer.rotate("dns");
    expect(result.map((file) => file.path)).toEqual(["dns"]);
    expect(writer.openPaths).toEqual(["conn"]);
    await expect(writer.rotate("../x")).rejects.toMatchObject({ code: "PROTOCOL" });
  });

  it("the supervisor's log-queue names, into a rotation directory it creates", async () => {
    const queue = join(dir, "log-queue");
    const writer = await start({
      rotation: { naming: "log-queue", dir: queue, metadata: { log_suffix: "logger-1" } },
    });
    await writer.write(batch("conn", "C1"));
    now += 3_600_000;
    await writer.rotate();
    expect(readdirSync(queue)).toEqual([
      "conn__2026-11-25-10-00-00__2026-11-25-11-00-00__log_suffix=logger-1__.log",
    ]);
  });

  it("a custom name; a name that is taken gets -1, -2 (Zeek would overwrite the older file)", async () => {
    const writer = await start({ rotation: { naming: ({ path }) => `${path}-archive` } });
    for (const uid of ["C1", "C2", "C3"]) {
      await writer.write(batch("conn", uid));
      await writer.rotate();
    }
    expect(readdirSync(dir).sort()).toEqual(["conn-archive-1.log", "conn-archive-2.log", "conn-archive.log"]);
    expect(read("conn-archive-2.log")).toContain("\tC3\t");
  });

  it("eager reopen starts the fresh file (with its header) at once", async () => {
    const writer = await start({ rotation: { reopen: "eager" } });
    await writer.write(batch("conn", "C1"));
    now += HOUR;
    await writer.rotate();
    expect(read("conn.log")).toBe(header("conn", "2026-11-25-11-00-00"));
    await writer.write(batch("conn", "C2"));
    expect(read("conn.log")).toContain("\tC2\t");
  });

  it("close({ rotate: true }) rotates every file as terminating", async () => {
    const rotated: RotatedFile[] = [];
    const writer = await start({
      rotation: { onRotated: (file) => void rotated.push(file), reopen: "eager" },
    });
    await writer.write(batch("conn", "C1"));
    await writer.close({ rotate: true });
    expect(rotated.map(({ path, terminating }) => ({ path, terminating }))).toEqual([
      { path: "conn", terminating: true },
    ]);
    expect(readdirSync(dir)).toEqual(["conn.2026-11-25-10-00-00.log"]);
  });

  it("a failing hook does not stop the other rotations; its error is rethrown afterwards", async () => {
    const writer = await start({
      rotation: {
        onRotated: async ({ path }) => {
          if (path === "conn") throw new Error("postprocessor failed");
        },
      },
    });
    await writer.write(batch("conn", "C1"));
    await writer.write(batch("dns", "D1"));
    await expect(writer.rotate()).rejects.toThrow("postprocessor failed");
    expect(readdirSync(dir).sort()).toEqual(["conn.2026-11-25-10-00-00.log", "dns.2026-11-25-10-00-00.log"]);
    await writer.write(batch("conn", "C2"));
    expect(read("conn.log")).toContain("\tC2\t");
  });
});

const HOUR = 3_600_000;
