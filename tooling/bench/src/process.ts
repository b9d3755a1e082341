// Child processes whose cost the kernel measures (py/rusage.py: wait4's CPU time and peak RSS), so every stack —
// C, Python, Node, Zeek — is measured the same way.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const RUSAGE = fileURLToPath(new URL("../py/rusage.py", import.meta.url));
/** Debian's python3 (the one with python3-zmq); the first python3 on PATH may be another. */
export const PYTHON = process.env.ZMQC_PYTHON ?? "/usr/bin/python3";

/** What a finished process cost. */
export interface ProcessCost {
  readonly name: string;
  readonly code: number;
  readonly cpuSeconds: number;
  readonly maxRssKb: number;
  /** CPU time ÷ wall time of the measured span, in % of one core (100 = one core busy). */
  cpuPercent?: number;
}

/** A measured child process. */
export interface Measured {
  readonly name: string;
  readonly child: ChildProcess;
  /** The next stdout line that satisfies `match`, within `ms`. */
  line(match: (line: string) => boolean, ms: number): Promise<string>;
  /** Every stdout line so far. */
  lines(): readonly string[];
  /** Resolves with its cost when it has exited. */
  readonly done: Promise<ProcessCost>;
  stop(): Promise<ProcessCost>;
}

/** Starts `command args` under the rusage wrapper. */
export function startMeasured(
  name: string,
  command: string,
  args: readonly string[],
  env: Record<string, string> = {},
  cwd?: string,
): Measured {
  const child = spawn(PYTHON, [RUSAGE, command, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
    ...(cwd ? { cwd } : {}),
  });
  const seen: string[] = [];
  const waiters: { match: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  let partial = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    partial += chunk.toString();
    const parts = partial.split("\n");
    partial = parts.pop() ?? "";
    for (const line of parts) {
      seen.push(line);
      const index = waiters.findIndex((waiter) => waiter.match(line));
      if (index >= 0) waiters.splice(index, 1)[0]?.resolve(line);
    }
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    if (stderr.length > 100_000) stderr = stderr.slice(-50_000);
  });
  const done = new Promise<ProcessCost>((resolve) => {
    child.once("exit", () => {
      const last = stderr.trim().split("\n").at(-1) ?? "";
      try {
        const usage = JSON.parse(last) as { code: number; cpu_s: number; max_rss_kb: number };
        // A failure (not the SIGTERM that ends a forwarder) shows what the program said.
        if (usage.code !== 0 && usage.code !== -15 && stderr.trim()) {
          process.stderr.write(`[${name}] exit ${usage.code}:\n${stderr.trim().slice(-2000)}\n`);
        }
        resolve({ name, code: usage.code, cpuSeconds: usage.cpu_s, maxRssKb: usage.max_rss_kb });
      } catch {
        resolve({ name, code: -1, cpuSeconds: Number.NaN, maxRssKb: Number.NaN });
        if (stderr.trim()) process.stderr.write(`[${name}] ${stderr.trim().slice(-2000)}\n`);
      }
    });
  });
  return {
    name,
    child,
    lines: () => seen,
    line(match, ms) {
      const found = seen.find(match);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${name}: no expected line within ${ms} ms\n${stderr.slice(-2000)}`)),
          ms,
        );
        waiters.push({
          match,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        void done.then(() => {
          clearTimeout(timer);
          reject(new Error(`${name} exited before the expected line\n${stderr.slice(-2000)}`));
        });
      });
    },
    done,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      const cost = await done;
      clearTimeout(timer);
      return cost;
    },
  };
}

/**
 * The endpoints of a forwarder or broker peer, from the line each prints once bound: "<xpub endpoint> <xsub
 * endpoint>" (publishers connect to the XSUB, subscribers to the XPUB).
 */
export async function boundEndpoints(
  forwarder: Measured,
  ms: number,
): Promise<{ xpubEndpoint: string; xsubEndpoint: string }> {
  const line = await forwarder.line((text) => text.startsWith("tcp://"), ms);
  const [xpubEndpoint = "", xsubEndpoint = ""] = line.split(" ");
  return { xpubEndpoint, xsubEndpoint };
}

let ticksPerSecond: number | undefined;

/** The pid of the measured program: the rusage wrapper's child (throws once it has exited). */
function measuredPid(process: Measured): string {
  const wrapper = process.child.pid;
  const pid = readFileSync(`/proc/${wrapper}/task/${wrapper}/children`, "utf8").trim().split(/\s+/)[0];
  if (!pid) throw new Error(`${process.name} has exited`);
  return pid;
}

/**
 * CPU seconds (user + system) the measured program has used so far, from /proc (NaN once it has exited): sampled
 * when a measured span starts, so that start-up (a Node process's first half second) is left out of that span.
 */
export function cpuSecondsNow(process: Measured): number {
  try {
    ticksPerSecond ??= Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    const stat = readFileSync(`/proc/${measuredPid(process)}/stat`, "utf8");
    // Fields after the command name (which may hold spaces, inside parentheses): utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return Number.NaN;
  }
}

/** Resident memory of the measured program (the rusage wrapper's child) now, in MB (NaN once it has exited). */
export function rssMbNow(process: Measured): number {
  try {
    const status = readFileSync(`/proc/${measuredPid(process)}/status`, "utf8");
    return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]) / 1024;
  } catch {
    return Number.NaN;
  }
}

/**
 * The CPU time of processes, sampled from /proc every `everyMs`, so that CPU can be read over a span known only
 * afterwards (a subscriber reports when its first and last events came): start-up and shutdown stay out of it.
 */
export class CpuSampler {
  private readonly samples = new Map<Measured, { t: number; cpu: number }[]>();
  private readonly timer: NodeJS.Timeout;

  constructor(everyMs = 50) {
    this.timer = setInterval(() => {
      for (const process of this.samples.keys()) this.sample(process);
    }, everyMs);
  }

  add(process: Measured): void {
    this.samples.set(process, []);
    this.sample(process);
  }

  private sample(process: Measured): void {
    const cpu = cpuSecondsNow(process);
    if (Number.isFinite(cpu)) this.samples.get(process)?.push({ t: performance.now(), cpu });
  }

  /**
   * CPU % of one core between `from` and `to` (performance.now() times), from the samples nearest inside that span;
   * undefined when the span holds less than `minMs` of samples (too short for /proc's 10 ms ticks).
   */
  percentBetween(process: Measured, from: number, to: number, minMs = 200): number | undefined {
    const all = this.samples.get(process) ?? [];
    const first = all.find((sample) => sample.t >= from);
    const last = all.findLast((sample) => sample.t <= to);
    if (!first || !last || last.t - first.t < minMs) return undefined;
    return ((last.cpu - first.cpu) / ((last.t - first.t) / 1000)) * 100;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/**
 * Stops every process and sets each one's CPU %: over `span` (when the sampler has enough of it), else over the
 * whole round from `started` (start-up included).
 */
export async function stopAndCost(
  all: readonly Measured[],
  sampler: CpuSampler,
  started: number,
  span?: { from: number; to: number },
): Promise<ProcessCost[]> {
  sampler.stop();
  const costs: ProcessCost[] = [];
  const wallSeconds = (performance.now() - started) / 1000;
  for (const process of all) {
    const cost = await process.stop();
    cost.cpuPercent =
      (span && sampler.percentBetween(process, span.from, span.to)) ?? (cost.cpuSeconds / wallSeconds) * 100;
    costs.push(cost);
  }
  return costs;
}
