// The log benchmark's stacks against Zeek itself (issue #8): a real Zeek 8.2.2 worker logs BENCH_RECORDS records of
// a 20-column conn-like stream (zeek/bench-conn.zeek) to a logger that is either a real Zeek logger or a zmqc logger
// (startLogger in the benchmark's sink process). The worker writes everything first, queued in its PUSH (no HWM),
// and only then is the logger started: what is timed is the logger alone, from the first byte of its conn.log to
// the last, both files watched the same way by this process.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { fileURLToPath } from "node:url";
// The modules themselves: the harness's index imports vitest.
import { type Child, startChild } from "../../../tooling/zeek-harness/src/child.js";
import { findZeek, zeekPath } from "../../../tooling/zeek-harness/src/find-zeek.js";
import { reservePorts } from "../../../tooling/zeek-harness/src/ports.js";

const SCRIPT = fileURLToPath(new URL("./zeek/bench-conn.zeek", import.meta.url));
const LAYOUT = `redef Cluster::manager_is_logger = F;
redef Cluster::nodes = {
	["manager"] = [$node_type=Cluster::MANAGER, $ip=127.0.0.1],
	["logger"] = [$node_type=Cluster::LOGGER, $ip=127.0.0.1, $p=to_port(getenv("LOG_PULL_PORT"))],
	["worker-1"] = [$node_type=Cluster::WORKER, $ip=127.0.0.1, $manager="manager"],
};
`;
/** A round that has not finished by then has lost something: reported instead of hanging. */
const ROUND_LIMIT_MS = 120_000;
const CLOCK_TICKS = 100; // USER_HZ: /proc/<pid>/stat counts CPU in 1/100 s on Linux

/** The Zeek binary, or undefined when this machine has none (the Zeek stacks are then left out). */
export function zeekBinary(): string | undefined {
  return findZeek()?.zeek;
}

/** One Zeek node of the benchmark's cluster in `<root>/<node>`. */
function startNode(zeek: string, root: string, node: string, env: Record<string, string>): Child {
  const dir = join(root, node);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "cluster-layout.zeek"), LAYOUT);
  const path = zeekPath();
  return startChild(`Zeek ${node}`, zeek, ["-b", SCRIPT], {
    cwd: dir,
    env: { CLUSTER_NODE: node, ...(path === undefined ? {} : { ZEEKPATH: `${dir}:${path}` }), ...env },
    hardTimeoutMs: ROUND_LIMIT_MS + 30_000,
  });
}

/** User + system CPU of a process so far (µs), from /proc. */
function processCpuMicros(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS) * 1e6;
  } catch {
    return Number.NaN;
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** A Zeek worker that has written its records into its PUSH, waiting for a logger at `endpoint`. */
export interface ZeekWorker {
  /** The logger's PULL endpoint the worker pushes to. */
  readonly endpoint: string;
  /** Where a Zeek logger of this round writes (`<root>/logger`). */
  readonly root: string;
  /** Starts a real Zeek logger at the endpoint. */
  startZeekLogger(): Child;
  stop(): Promise<void>;
}

/** Starts the worker and resolves once it has written `records` records. */
export async function startZeekWorker(zeek: string, records: number): Promise<ZeekWorker> {
  const [pull, xpub, xsub] = await reservePorts(3);
  const root = mkdtempSync(join(tmpdir(), "zmqc-logbench-zeek-"));
  const env = {
    LOG_PULL_PORT: `${pull}/tcp`,
    XPUB_PORT: `${xpub}/tcp`,
    XSUB_PORT: `${xsub}/tcp`,
    BENCH_RECORDS: String(records),
  };
  const worker = startNode(zeek, root, "worker-1", env);
  const loggers: Child[] = [];
  try {
    await worker.takeLine("written", (line) => line === "written", ROUND_LIMIT_MS);
  } catch (error) {
    await worker.dispose();
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  return {
    endpoint: `tcp://127.0.0.1:${pull}`,
    root,
    startZeekLogger() {
      const logger = startNode(zeek, root, "logger", env);
      loggers.push(logger);
      return logger;
    },
    async stop() {
      await Promise.all([worker.dispose(), ...loggers.map((logger) => logger.dispose())]);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** When a log file got its first byte and when it reached `bytes` (hrtime ns). */
export interface FileTiming {
  readonly first: bigint;
  readonly last: bigint;
}

/**
 * Watches `file` (every millisecond) until it holds `bytes` bytes: a file's header and data lines are the same
 * length from either logger (the files match field for field; only the `#open` time differs, and it has a fixed
 * width).
 */
export async function watchFile(
  file: string,
  bytes: number,
  options: { readonly pid?: number; readonly stop?: () => boolean } = {},
): Promise<FileTiming & { cpuMicros: number }> {
  const { pid, stop } = options;
  const deadline = Date.now() + ROUND_LIMIT_MS;
  let first: bigint | undefined;
  let cpu0 = Number.NaN;
  for (;;) {
    const size = sizeOf(file);
    const now = process.hrtime.bigint();
    if (size > 0 && first === undefined) {
      first = now;
      if (pid !== undefined) cpu0 = processCpuMicros(pid);
    }
    if (first !== undefined && (size >= bytes || stop?.())) {
      const cpuMicros = pid === undefined ? Number.NaN : processCpuMicros(pid) - cpu0;
      return { first, last: now, cpuMicros };
    }
    if (first === undefined && stop?.())
      throw new Error(`${file}: the logger finished before the file was seen`);
    if (Date.now() > deadline)
      throw new Error(`${file}: ${size} of ${bytes} bytes after ${ROUND_LIMIT_MS} ms`);
    await delay(1);
  }
}

/** The data lines (not `#` lines) of a TSV log, and their bytes. */
export function dataLines(file: string): { lines: number; bytes: number } {
  // Scanned as bytes: a string of the whole file and one per line would leave the sink process hundreds of MB of
  // garbage, collected during the next run it times.
  const bytes = readFileSync(file);
  let lines = 0;
  let dataBytes = 0;
  for (let start = 0; start < bytes.length; ) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    if (end > start && bytes[start] !== 0x23) {
      lines++;
      dataBytes += end - start + 1;
    }
    start = end + 1;
  }
  return { lines, bytes: dataBytes };
}
