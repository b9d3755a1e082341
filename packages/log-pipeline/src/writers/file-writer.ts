import { constants } from "node:fs";
import { access, type FileHandle, mkdir, open, rename } from "node:fs/promises";
import { join } from "node:path";
import { ZmqcError } from "@zmqc/config";
import type { LogField } from "@zmqc/wire-format";
import { ByteSink } from "./byte-sink.js";
import { batchRecordCount, formatBatch, isLogPayload, type LogFormat, type WritableBatch } from "./format.js";
import { ZeekJsonFormat } from "./json-format.js";
import { defaultRotationName, logQueueRotationName, type RotationNamer } from "./rotation.js";
import { checkTimeZone, type TimeZone } from "./time.js";
import { ZeekTsvFormat } from "./tsv-format.js";

/** A file that {@link LogFileWriter.rotate} renamed (Zeek's `Log::RotationInfo`). */
export interface RotatedFile {
  /** The log path, e.g. `conn`. */
  readonly path: string;
  /** The rotated file's full name. */
  readonly file: string;
  /** Start of the file's period (epoch milliseconds): its first open, or the rotation before. */
  readonly open: number;
  /** When it was rotated (epoch milliseconds). */
  readonly close: number;
  /** True when it was rotated because the writer closed. */
  readonly terminating: boolean;
}

/** How {@link LogFileWriter} rotates. */
export interface LogRotationOptions {
  /**
   * The rotated file's name without the extension: `"default"` (Zeek's `<path>.<open>`), `"log-queue"` (the
   * supervisor's `<path>__<open>__<close>__` for zeek-archiver), or a function.
   */
  readonly naming?: "default" | "log-queue" | RotationNamer;
  /** Metadata of `"log-queue"` names, e.g. `{ log_suffix: "logger-1" }`. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Where rotated files go (Zeek's `Log::default_rotation_dir`; created when needed). Default: the log dir. */
  readonly dir?: string;
  /**
   * Called after each file is rotated, like Zeek's postprocessor; running a command is the caller's choice.
   * An error it throws is rethrown by `rotate()` once every requested path is rotated.
   */
  readonly onRotated?: (file: RotatedFile) => void | Promise<void>;
  /**
   * `"lazy"` (default, as Zeek): the next file is opened by the next write for the path, so an idle path leaves
   * no header-only files. `"eager"`: a fresh file with its header is opened at once.
   */
  readonly reopen?: "lazy" | "eager";
}

/** Options of {@link LogFileWriter.open}. */
export interface LogFileWriterOptions {
  /** The directory of the logs (created when needed); each path is written to `<dir>/<path>.<extension>`. */
  readonly dir: string;
  /** `"tsv"` (default), `"json"`, a {@link LogFormat}, or a function choosing one per path. */
  readonly format?: "tsv" | "json" | LogFormat | ((path: string) => LogFormat);
  /**
   * Zone of rotated names and of the `#open`/`#close` times of the `"tsv"` format (a LogFormat given here has
   * its own); default `"local"`, as Zeek.
   */
  readonly timeZone?: TimeZone;
  /** The extension (Zeek's `ZEEK_LOG_SUFFIX`), default `log`. */
  readonly extension?: string;
  /**
   * A file already there when a path is first written: `"append"` (default: nothing is lost; a new header
   * starts a new section, which zeek-cut reads, on a line of its own even after a torn last line) or
   * `"truncate"` (what Zeek does).
   */
  readonly existing?: "append" | "truncate";
  /** Rotation names, directory, hook and reopening; rotations happen only when `rotate()` is called. */
  readonly rotation?: LogRotationOptions;
  /** The clock, epoch milliseconds (default `Date.now`); `#open`, `#close` and rotation times come from it. */
  readonly clock?: () => number;
}

/** Beyond this, the format buffer goes back to its initial size after the batch. */
const MAX_KEPT_SINK_BYTES = 16 << 20;

interface PathState {
  readonly format: LogFormat;
  /** The open file, or undefined between a rotation and the next write. */
  handle: FileHandle | undefined;
  /** The columns of the open file's header. */
  fields: readonly LogField[] | undefined;
  /** Start of the current period (epoch milliseconds). */
  periodStart: number;
}

function configError(message: string): ZmqcError {
  return new ZmqcError("CONFIG", message);
}

/** A log path must name a file inside the directory: no separators, no `.`/`..`, no NUL. */
function checkPath(path: string): void {
  if (path === "" || path === "." || path === ".." || /[/\\\0]/.test(path))
    throw new ZmqcError("PROTOCOL", `log path '${path}' is not a plain file name; refusing to write it`);
}

function sameFields(a: readonly LogField[], b: readonly LogField[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (field, i) => field.name === b[i]?.name && field.type === b[i]?.type && field.subtype === b[i]?.subtype,
    )
  );
}

/** Writes all of `bytes`, however many write(2) calls it takes. */
async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
    offset += bytesWritten;
  }
}

/** True for an empty file or one whose last byte is a newline (a crashed writer may leave half a line). */
async function endsWithNewline(handle: FileHandle): Promise<boolean> {
  const { size } = await handle.stat();
  if (size === 0) return true;
  const last = Buffer.alloc(1);
  await handle.read(last, 0, 1, size - 1);
  return last[0] === 0x0a;
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Zeek's ASCII log writer as files: one file per log path in a directory, append-only. A path's file is opened
 * (with its header) by the first batch for it; each batch is formatted whole and handed to the OS in one
 * `write` (nothing stays buffered in JavaScript); `rotate()` and `close()` write `#close`, fsync and close.
 * Operations run one at a time, in call order. Timing rotations is the caller's job (see `nextRotation`).
 *
 * @example
 * ```ts
 * await using logs = await LogFileWriter.open({ dir: "/var/log/zeek", rotation: { naming: "log-queue" } });
 * await logs.write(decodeZeekLogRows(payload));
 * await logs.rotate();
 * ```
 */
export class LogFileWriter implements AsyncDisposable {
  readonly dir: string;
  private readonly formatFor: (path: string) => LogFormat;
  private readonly extension: string;
  private readonly existing: "append" | "truncate";
  private readonly namer: RotationNamer;
  private readonly rotation: LogRotationOptions;
  private readonly clock: () => number;
  private readonly paths = new Map<string, PathState>();
  private queue: Promise<unknown> = Promise.resolve();
  /** Every batch is formatted into this one buffer (operations run one at a time, so it is never shared). */
  private readonly sink = new ByteSink();
  private closing: Promise<void> | undefined;

  private constructor(options: LogFileWriterOptions) {
    if (typeof options.dir !== "string" || options.dir === "")
      throw configError("dir must be a directory name");
    const timeZone = options.timeZone ?? "local";
    checkTimeZone(timeZone);
    this.dir = options.dir;
    this.formatFor = resolveFormat(options.format ?? "tsv", timeZone);
    this.extension = options.extension ?? "log";
    if (this.extension === "" || /[/\\\0]/.test(this.extension))
      throw configError(`extension '${this.extension}' is not a plain file name extension`);
    this.existing = options.existing ?? "append";
    if (this.existing !== "append" && this.existing !== "truncate")
      throw configError(`existing must be "append" or "truncate", not '${String(this.existing)}'`);
    this.rotation = options.rotation ?? {};
    const naming = this.rotation.naming ?? "default";
    if (naming === "default") this.namer = defaultRotationName(timeZone);
    else if (naming === "log-queue") this.namer = logQueueRotationName(timeZone, this.rotation.metadata);
    else if (typeof naming === "function") this.namer = naming;
    else throw configError(`rotation naming must be "default", "log-queue" or a function`);
    const reopen = this.rotation.reopen ?? "lazy";
    if (reopen !== "lazy" && reopen !== "eager")
      throw configError(`rotation reopen must be "lazy" or "eager"`);
    this.clock = options.clock ?? Date.now;
  }

  /** Checks the options and creates the directory; throws ZmqcError CONFIG for bad options. */
  static async open(options: LogFileWriterOptions): Promise<LogFileWriter> {
    const writer = new LogFileWriter(options);
    await mkdir(writer.dir, { recursive: true });
    return writer;
  }

  /** The paths that have a file open now. */
  get openPaths(): string[] {
    return [...this.paths].filter(([, state]) => state.handle !== undefined).map(([path]) => path);
  }

  /** The file a path is written to. */
  fileOf(path: string): string {
    return join(this.dir, `${path}.${this.extension}`);
  }

  /**
   * Appends a batch's records to its path's file, opening the file (and writing its header) first if needed.
   * Throws ZmqcError PROTOCOL for a path that is not a plain file name, or columns that differ from those of the
   * file's header (rotate the path first), and CLOSED after close().
   */
  write(batch: WritableBatch): Promise<void> {
    return this.enqueue(async () => {
      checkPath(batch.path);
      const state = this.stateOf(batch.path);
      if (
        state.handle !== undefined &&
        state.fields !== undefined &&
        !sameFields(state.fields, batch.fields)
      ) {
        throw new ZmqcError(
          "PROTOCOL",
          `batch for ${batch.path} has columns ${batch.fields.map((f) => f.name).join(",")} but ` +
            `${this.fileOf(batch.path)} was opened with ${state.fields.map((f) => f.name).join(",")}; rotate it first`,
        );
      }
      if (batchRecordCount(batch) === 0 && state.handle === undefined) return;
      const handle = state.handle ?? (await this.openFile(batch.path, state, batch.fields, this.existing));
      const sink = this.sink;
      sink.reset();
      if (!(isLogPayload(batch) && state.format.writePayload?.(batch, sink)))
        sink.text(formatBatch(state.format, batch));
      await writeAll(handle, sink.view());
      // A huge batch does not pin its buffer for the writer's lifetime.
      if (sink.buffer.length > MAX_KEPT_SINK_BYTES) this.sink.shrink();
    });
  }

  /**
   * Rotates one path or every path: writes `#close`, fsyncs, closes and renames the file (see
   * {@link LogRotationOptions}), then calls `onRotated`. A path with no file open since the last rotation only
   * starts a new period, as in Zeek. A name that is taken gets `-1`, `-2`, … before the extension, where Zeek
   * would overwrite the older file.
   *
   * @param path - the path to rotate; all paths when omitted.
   * @param options - `terminating`: passed to the names and the hook (Zeek sets it for rotations at shutdown).
   * @returns the rotated files.
   */
  rotate(path?: string, options: { readonly terminating?: boolean } = {}): Promise<RotatedFile[]> {
    return this.enqueue(() => this.rotateNow(path, options.terminating ?? false));
  }

  /**
   * Writes `#close`, fsyncs and closes every file (with `rotate: true`, rotates them instead, as a terminating
   * Zeek with a rotation interval does). Idempotent; writes after it fail with ZmqcError CLOSED.
   */
  close(options: { readonly rotate?: boolean } = {}): Promise<void> {
    this.closing ??= this.enqueue(async () => {
      if (options.rotate) await this.rotateNow(undefined, true);
      for (const state of this.paths.values()) await this.closeFile(state, this.clock());
    }, true);
    return this.closing;
  }

  /** `close()`, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private enqueue<T>(task: () => Promise<T>, closing = false): Promise<T> {
    if (this.closing !== undefined && !closing)
      return Promise.reject(new ZmqcError("CLOSED", `log writer for ${this.dir} is closed`));
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private stateOf(path: string): PathState {
    let state = this.paths.get(path);
    if (state === undefined) {
      state = {
        format: this.formatFor(path),
        handle: undefined,
        fields: undefined,
        periodStart: this.clock(),
      };
      this.paths.set(path, state);
    }
    return state;
  }

  private async openFile(
    path: string,
    state: PathState,
    fields: readonly LogField[],
    existing: "append" | "truncate",
  ): Promise<FileHandle> {
    // "a+": appends, and can read the last byte of what is there.
    const handle = await open(this.fileOf(path), existing === "truncate" ? "w" : "a+", 0o666);
    try {
      let header = state.format.header(path, fields, this.clock());
      if (existing === "append" && !(await endsWithNewline(handle))) header = `\n${header}`;
      await writeAll(handle, Buffer.from(header, "utf8"));
    } catch (error) {
      await handle.close();
      throw error;
    }
    state.handle = handle;
    state.fields = fields;
    return handle;
  }

  private async closeFile(state: PathState, at: number): Promise<void> {
    const handle = state.handle;
    if (handle === undefined) return;
    state.handle = undefined;
    try {
      await writeAll(handle, Buffer.from(state.format.footer(at), "utf8"));
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  private async rotateNow(only: string | undefined, terminating: boolean): Promise<RotatedFile[]> {
    const rotated: RotatedFile[] = [];
    let hookError: { error: unknown } | undefined;
    if (only !== undefined) checkPath(only);
    const targets = only === undefined ? [...this.paths] : [[only, this.stateOf(only)] as const];
    for (const [path, state] of targets) {
      const open = state.periodStart;
      const fields = state.fields;
      const hadFile = state.handle !== undefined;
      const close = this.clock();
      await this.closeFile(state, close);
      state.periodStart = close;
      if (!hadFile) continue;
      const file = await this.rotationTarget({ path, open, close, terminating });
      await rename(this.fileOf(path), file);
      const info: RotatedFile = { path, file, open, close, terminating };
      rotated.push(info);
      if (this.rotation.reopen === "eager" && !terminating && fields !== undefined)
        await this.openFile(path, state, fields, "truncate");
      try {
        await this.rotation.onRotated?.(info);
      } catch (error) {
        hookError ??= { error };
      }
    }
    if (hookError !== undefined) throw hookError.error;
    return rotated;
  }

  private async rotationTarget(info: { path: string; open: number; close: number; terminating: boolean }) {
    const dir = this.rotation.dir ?? this.dir;
    await mkdir(dir, { recursive: true });
    const base = join(dir, this.namer(info));
    let file = `${base}.${this.extension}`;
    for (let n = 1; await exists(file); n++) file = `${base}-${n}.${this.extension}`;
    return file;
  }
}

function resolveFormat(
  format: NonNullable<LogFileWriterOptions["format"]>,
  timeZone: TimeZone,
): (path: string) => LogFormat {
  if (format === "tsv") {
    const tsv = new ZeekTsvFormat({ timeZone });
    return () => tsv;
  }
  if (format === "json") {
    const json = new ZeekJsonFormat();
    return () => json;
  }
  if (typeof format === "function") return format;
  if (typeof format === "object" && format !== null && typeof format.formatRecord === "function")
    return () => format;
  throw configError(`format must be "tsv", "json", a LogFormat or a function`);
}
