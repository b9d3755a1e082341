// Our log writers against Zeek 8.2.2's own, byte for byte.
//
// One real Zeek (test/support/zeek/zmqc-writers.zeek) is the MANAGER of a ZeroMQ cluster whose LOGGER is this
// test's PULL socket. It writes the same records twice at once: into its own files (TSV and JSON, one path per
// filter config) and as zeek-bin-serializer batches to us. We write those batches with LogFileWriter and
// compare every file with Zeek's, apart from the #open/#close times (those two lines are normalised; they are
// checked separately against the run's wall clock in Zeek's TZ). The batches are also written from plain cells
// (decodeZeekLogRows), and the records built in TypeScript (writers-records.ts) are written too, with their sets
// in the order Zeek's batches carry them (Zeek's hash order), and must give the same bytes. Finally an
// independent zeek-cut-like reader parses our TSV back and gets every value.
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type DecodedLogBatch,
  decodeLogFrames,
  decodeZeekLogBatch,
  decodeZeekLogRows,
  decodeZeekLogView,
  encodeZeekLogValue,
  type LogBatch,
  type LogRows,
  type LogValue,
  ZEEK_BIN_SERIALIZER,
} from "@zmqc/wire-format";
import { describeWithZeek } from "@zmqc/zeek-harness";
import { beforeAll, expect, it } from "vitest";
import { Pull } from "zeromq";
import {
  formatZeekDate,
  LogFileWriter,
  type LogFormat,
  payloadBatch,
  type WritableBatch,
  ZeekJsonFormat,
  ZeekTsvFormat,
} from "../src/index.js";
import {
  FIRST_FIELDS,
  FIRST_STREAM,
  FIRSTS,
  LOG_FIELDS,
  LOG_STREAM,
  makeFirst,
  makeInfo,
  RECORDS,
} from "./support/writers-records.js";
import { type ReadCell, readTsvLog } from "./support/zeek-cut.js";
import { reservePorts, startZeekNode, type ZeekExit } from "./support/zeek-node.js";

/** Zeek's TZ, and ours: +05:45, so a local-time bug cannot hide behind UTC. */
const TIME_ZONE = "Asia/Kathmandu";
const STEP_TIMEOUT_MS = 15_000;
const CUSTOM = {
  separator: "|",
  setSeparator: ";",
  emptyField: "EMPTY",
  unsetField: "NONE",
  metaPrefix: "@@",
};

/** Every path the script's filters write, and the format options that mirror each filter's $config. */
const PATHS: Readonly<Record<string, { stream: string; format: () => LogFormat }>> = {
  zmqc_writers: { stream: LOG_STREAM, format: () => new ZeekTsvFormat({ timeZone: TIME_ZONE }) },
  zmqc_writers_json: { stream: LOG_STREAM, format: () => new ZeekJsonFormat() },
  zmqc_writers_iso: {
    stream: LOG_STREAM,
    format: () => new ZeekJsonFormat({ timestamps: "JSON::TS_ISO8601" }),
  },
  zmqc_writers_millis: {
    stream: LOG_STREAM,
    format: () => new ZeekJsonFormat({ timestamps: "JSON::TS_MILLIS" }),
  },
  zmqc_writers_millis_unsigned: {
    stream: LOG_STREAM,
    format: () => new ZeekJsonFormat({ timestamps: "JSON::TS_MILLIS_UNSIGNED" }),
  },
  zmqc_writers_unset: { stream: LOG_STREAM, format: () => new ZeekJsonFormat({ includeUnsetFields: true }) },
  zmqc_writers_tsv: {
    stream: LOG_STREAM,
    format: () => new ZeekTsvFormat({ tsv: true, timeZone: TIME_ZONE }),
  },
  zmqc_writers_ascii: {
    stream: LOG_STREAM,
    format: () => new ZeekTsvFormat({ utf8: false, timeZone: TIME_ZONE }),
  },
  zmqc_writers_custom: {
    stream: LOG_STREAM,
    format: () => new ZeekTsvFormat({ ...CUSTOM, timeZone: TIME_ZONE }),
  },
  zmqc_writers_first: { stream: FIRST_STREAM, format: () => new ZeekTsvFormat({ timeZone: TIME_ZONE }) },
  zmqc_writers_first_custom: {
    stream: FIRST_STREAM,
    format: () => new ZeekTsvFormat({ ...CUSTOM, timeZone: TIME_ZONE }),
  },
};

const LAYOUT = `redef Cluster::manager_is_logger = F;
redef Cluster::nodes = {
	["manager"] = [$node_type=Cluster::MANAGER, $ip=127.0.0.1],
	["logger"] = [$node_type=Cluster::LOGGER, $ip=127.0.0.1, $p=to_port(getenv("LOG_PULL_PORT"))],
};
`;

interface Run {
  readonly exit: ZeekExit;
  /** Zeek's files by name. */
  readonly files: ReadonlyMap<string, Buffer>;
  /** The payloads of the batches for each path, in arrival order. */
  readonly payloads: ReadonlyMap<string, Uint8Array[]>;
  /** Wall-clock seconds around the run. */
  readonly started: number;
  readonly ended: number;
}

const expectedRecords = (path: string) =>
  (PATHS[path]?.stream ?? "") === LOG_STREAM ? RECORDS : FIRSTS.length;

async function runZeek(): Promise<Run> {
  const pull = new Pull({ linger: 0, receiveTimeout: STEP_TIMEOUT_MS });
  const [xpub, xsub] = (await reservePorts(2)) as [number, number];
  await pull.bind("tcp://127.0.0.1:*");
  const logPull = /:(\d+)$/.exec(pull.lastEndpoint ?? "")?.[1];
  const started = Date.now() / 1000;
  const zeek = startZeekNode({
    script: "zmqc-writers.zeek",
    node: "manager",
    layout: LAYOUT,
    env: {
      XPUB_PORT: `${xpub}/tcp`,
      XSUB_PORT: `${xsub}/tcp`,
      LOG_PULL_PORT: `${logPull}/tcp`,
      TZ: TIME_ZONE,
    },
  });
  try {
    const payloads = new Map<string, Uint8Array[]>();
    const counts = new Map<string, number>();
    const complete = () =>
      Object.keys(PATHS).every((path) => (counts.get(path) ?? 0) >= expectedRecords(path));
    while (!complete()) {
      const frames = await pull.receive().catch(async (error: Error) => {
        const exit = await Promise.race([zeek.exited, Promise.resolve(undefined)]);
        throw new Error(`waiting for batches (${[...counts]}): ${error.message}\n${exit?.stderr ?? ""}`);
      });
      const message = decodeLogFrames(frames);
      if (message.format !== ZEEK_BIN_SERIALIZER) continue;
      const payload = Uint8Array.from(message.payload);
      const batch = decodeZeekLogBatch(payload);
      if (!(batch.path in PATHS)) continue;
      payloads.set(batch.path, [...(payloads.get(batch.path) ?? []), payload]);
      counts.set(batch.path, (counts.get(batch.path) ?? 0) + batch.records.length);
    }
    const exit = await zeek.waitForExit(STEP_TIMEOUT_MS);
    const ended = Date.now() / 1000;
    const files = new Map(
      readdirSync(zeek.dir)
        .filter((name) => name.endsWith(".log"))
        .map((name) => [name, readFileSync(join(zeek.dir, name))]),
    );
    return { exit, files, payloads, started, ended };
  } finally {
    pull.close();
    await zeek.dispose();
  }
}

/** Replaces the times of the `open` and `close` meta lines (whatever the prefix and separator) with `<time>`. */
function normaliseTimes(content: string, prefix = "#", separator = "\t"): string {
  return content
    .split("\n")
    .map((line) =>
      line.startsWith(`${prefix}open${separator}`) || line.startsWith(`${prefix}close${separator}`)
        ? `${line.slice(0, line.indexOf(separator))}${separator}<time>`
        : line,
    )
    .join("\n");
}

function metaOf(path: string): { prefix: string; separator: string } {
  return path.endsWith("custom") ? { prefix: "@@", separator: "|" } : { prefix: "#", separator: "\t" };
}

/** Writes batches for one path with LogFileWriter into a fresh directory and returns the file's bytes. */
async function writeWithOurs(path: string, batches: readonly WritableBatch[]): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), "zmqc-writers-ours-"));
  try {
    const spec = PATHS[path];
    if (spec === undefined) throw new Error(`no path ${path}`);
    const writer = await LogFileWriter.open({ dir, format: spec.format(), timeZone: TIME_ZONE });
    for (const batch of batches) await writer.write(batch);
    await writer.close();
    return readFileSync(join(dir, `${path}.log`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A value's set elements in the order of another value's (Zeek's hash order), matched by their encoding. */
function inOrderOf(built: LogValue, zeek: LogValue | undefined): LogValue {
  if (!built.present || built.type !== "set" || !zeek?.present || zeek.type !== "set") return built;
  const key = (value: LogValue) => Buffer.from(encodeZeekLogValue(value)).toString("hex");
  const byKey = new Map(built.elements.map((element) => [key(element), element]));
  return { ...built, elements: zeek.elements.map((element) => byKey.get(key(element)) ?? element) };
}

/** A value with sets sorted by encoding and strings as bytes, for comparing records regardless of set order. */
function canonical(value: LogValue): unknown {
  if (!value.present) return value;
  switch (value.type) {
    case "string":
    case "file":
    case "func":
      return { ...value, value: Buffer.from(value.value).toString("hex") };
    case "set":
      return {
        ...value,
        elements: value.elements
          .map((element) => Buffer.from(encodeZeekLogValue(element)).toString("hex"))
          .sort(),
      };
    case "vector":
      return { ...value, elements: value.elements.map(canonical) };
    default:
      return Number.isNaN((value as { value?: unknown }).value) ? { ...value, value: "NaN" } : value;
  }
}

describeWithZeek("log writers vs. Zeek 8.2.2's own log files, byte for byte", () => {
  let run: Run;
  let batches: Map<string, DecodedLogBatch[]>;

  beforeAll(async () => {
    run = await runZeek();
    batches = new Map(
      [...run.payloads].map(([path, payloads]) => [
        path,
        payloads.map((payload) => decodeZeekLogBatch(payload)),
      ]),
    );
  }, 60_000);

  it("Zeek exited cleanly; its only complaints are the ISO8601 times it cannot format", () => {
    expect(run.exit, run.exit.stderr).toMatchObject({ code: 0, signal: null, stdout: "" });
    const lines = run.exit.stderr.split("\n").filter((line) => line !== "");
    expect(lines).toContain("received termination signal");
    for (const line of lines.filter((l) => l !== "received termination signal"))
      expect(line).toMatch(
        /^error: zmqc_writers_iso\/Log::WRITER_ASCII: json formatter: failure getting time: /,
      );
  });

  it("Zeek wrote a file for every path, and sent every path's records", () => {
    expect([...run.files.keys()].filter((name) => name.startsWith("zmqc_writers")).sort()).toEqual(
      Object.keys(PATHS)
        .map((path) => `${path}.log`)
        .sort(),
    );
    for (const path of Object.keys(PATHS)) {
      // Every record is a line of Zeek's file (JSON, TSV, or after the header).
      const lines = (run.files.get(`${path}.log`)?.toString("utf8") ?? "")
        .split("\n")
        .filter((line) => line !== "");
      const meta = lines.filter((line) => line.startsWith(metaOf(path).prefix)).length;
      expect(lines.length - meta - (path === "zmqc_writers_tsv" ? 1 : 0), path).toBe(expectedRecords(path));
    }
    for (const [path, list] of batches) {
      expect(list.flatMap((batch) => batch.records)).toHaveLength(expectedRecords(path));
      for (const batch of list)
        expect(batch.fields).toEqual(PATHS[path]?.stream === LOG_STREAM ? LOG_FIELDS : FIRST_FIELDS);
    }
  });

  it("the records Zeek sent are the ones writers-records.ts builds (sets compared as sets)", () => {
    const zeek = (batches.get("zmqc_writers") ?? []).flatMap((batch) => batch.records);
    expect(zeek.map((record) => record.map(canonical))).toEqual(
      Array.from({ length: RECORDS }, (_, i) => makeInfo(i).map(canonical)),
    );
    const first = (batches.get("zmqc_writers_first") ?? []).flatMap((batch) => batch.records);
    expect(first.map((record) => record.map(canonical))).toEqual(
      FIRSTS.map((_, i) => makeFirst(i).map(canonical)),
    );
  });

  for (const path of Object.keys(PATHS)) {
    const { prefix, separator } = metaOf(path);
    const zeekFile = () =>
      normaliseTimes(run.files.get(`${path}.log`)?.toString("latin1") ?? "", prefix, separator);
    const ours = (content: Buffer) => normaliseTimes(content.toString("latin1"), prefix, separator);

    it(`${path}.log: written from Zeek's batches (typed values), byte for byte`, async () => {
      expect(ours(await writeWithOurs(path, batches.get(path) ?? []))).toBe(zeekFile());
    });

    it(`${path}.log: written from the same batches as plain cells (decodeZeekLogRows), byte for byte`, async () => {
      const rows: LogRows[] = (run.payloads.get(path) ?? []).map((payload) => decodeZeekLogRows(payload));
      expect(ours(await writeWithOurs(path, rows))).toBe(zeekFile());
    });

    it(`${path}.log: written straight from the checked payloads (the logger's path), byte for byte`, async () => {
      const checked = (run.payloads.get(path) ?? []).map((payload) =>
        payloadBatch(decodeZeekLogView(payload), payload),
      );
      expect(ours(await writeWithOurs(path, checked))).toBe(zeekFile());
    });

    it(`${path}.log: written from records built in TypeScript (Zeek's set order), byte for byte`, async () => {
      const zeek = (batches.get(path) ?? []).flatMap((batch) => batch.records);
      const stream = PATHS[path]?.stream;
      const built: LogBatch = {
        stream: stream ?? "",
        writer: "Log::WRITER_ASCII",
        filter: "default",
        path,
        fields: stream === LOG_STREAM ? LOG_FIELDS : FIRST_FIELDS,
        records: zeek.map((zeekRecord, i) =>
          (stream === LOG_STREAM ? makeInfo(i) : makeFirst(i)).map((value, f) =>
            inOrderOf(value, zeekRecord[f]),
          ),
        ),
      };
      expect(ours(await writeWithOurs(path, [built]))).toBe(zeekFile());
    });
  }

  it("#open and #close are Zeek's %Y-%m-%d-%H-%M-%S in its TZ, as formatZeekDate prints the run's wall clock", () => {
    const seconds: string[] = [];
    for (let t = Math.floor(run.started) - 1; t <= Math.ceil(run.ended) + 1; t++)
      seconds.push(formatZeekDate(t, TIME_ZONE));
    for (const [name, content] of run.files) {
      if (!name.startsWith("zmqc_writers") || name.includes("_json") || name.includes("_tsv")) continue;
      const text = content.toString("utf8");
      if (/_(iso|millis|unset)/.test(name)) continue;
      const { prefix, separator } = metaOf(name.replace(/\.log$/, ""));
      for (const key of ["open", "close"]) {
        const line = text.split("\n").find((l) => l.startsWith(`${prefix}${key}${separator}`)) ?? "";
        expect(seconds, `${name} ${line}`).toContain(line.slice(line.indexOf(separator) + 1));
      }
    }
  });

  it("a zeek-cut-like reader gets every value back from our TSV", async () => {
    const content = await writeWithOurs("zmqc_writers", batches.get("zmqc_writers") ?? []);
    const log = readTsvLog(content);
    expect(log.fields).toEqual(LOG_FIELDS.map((field) => field.name));
    const zeek = (batches.get("zmqc_writers") ?? []).flatMap((batch) => batch.records);
    expect(log.rows).toHaveLength(zeek.length);
    log.rows.forEach((row, r) => {
      row.forEach((cell, f) => {
        const value = zeek[r]?.[f] as LogValue;
        expect(readBack(cell, value), `record ${r} ${LOG_FIELDS[f]?.name}`).toBe(true);
      });
    });
  });
});

const utf8 = (value: string | Uint8Array) => Buffer.from(value);

/** True when a cell the reader parsed stands for the value (numbers within the six decimals printed). */
function readBack(cell: ReadCell, value: LogValue): boolean {
  if (!value.present) return cell.kind === "unset";
  if (value.type === "set" || value.type === "vector") {
    // `(empty)` is an empty container, and also one holding only "" (Zeek's format cannot tell them apart).
    if (cell.kind === "empty")
      return value.elements.every(
        (element) => element.present && element.type === "string" && element.value === "",
      );
    return (
      cell.kind === "list" &&
      cell.elements.length === value.elements.length &&
      cell.elements.every((element, i) => readBack(element, value.elements[i] as LogValue))
    );
  }
  const bytes = cell.kind === "value" ? cell.bytes : cell.kind === "empty" ? new Uint8Array() : undefined;
  if (bytes === undefined) return false;
  const read = Buffer.from(bytes).toString("utf8");
  switch (value.type) {
    case "string":
    case "file":
    case "func":
      return Buffer.compare(Buffer.from(bytes), utf8(value.value)) === 0;
    case "enum":
      return read === value.name;
    case "bool":
      return read === (value.value ? "T" : "F");
    case "int":
    case "count":
      return BigInt(read) === value.value;
    case "port":
      return Number(read) === value.number;
    case "double":
    case "time":
    case "interval": {
      const number = read.endsWith("nan") ? Number.NaN : Number(read.replace("inf", "Infinity"));
      if (Number.isNaN(value.value)) return Number.isNaN(number);
      if (!Number.isFinite(value.value)) return number === value.value;
      // Six decimals: within half a unit of the sixth, or the relative precision of a double for huge numbers.
      return Math.abs(number - value.value) <= Math.max(5e-7, Math.abs(value.value) * 1e-15);
    }
    case "addr":
      return sameAddress(read, value.value);
    case "subnet": {
      const [address = "", length = ""] = read.split("/");
      return sameAddress(address, value.address) && Number(length) === value.length;
    }
  }
}

/** Compares address texts by their 16-byte form (dotted tails, :: and all), independently of the writer. */
function sameAddress(a: string, b: string): boolean {
  return addressBytes(a) === addressBytes(b);
}

function addressBytes(text: string): string {
  if (!text.includes(":")) return `v4:${text}`;
  let head = text;
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad !== null) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    head = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [left = "", right] = head.split("::");
  const words = (part: string) => (part === "" ? [] : part.split(":").map((w) => Number.parseInt(w, 16)));
  const l = words(left);
  const r = right === undefined ? [] : words(right);
  const all = [...l, ...new Array<number>(8 - l.length - r.length).fill(0), ...r];
  return `v6:${all.join(":")}`;
}
