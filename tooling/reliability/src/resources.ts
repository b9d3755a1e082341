// What a process holds, sampled during the soak: memory (RSS, V8 heap) and open handles (libuv resources, file
// descriptors). Read from inside a child (resourcesOf) or from outside through /proc (procResources).
import { readdirSync, readFileSync } from "node:fs";

/** One sample of a process's resources; `heapUsed` and `handles` only where the process reports them itself. */
export interface Resources {
  readonly rss: number;
  readonly fds: number;
  readonly heapUsed?: number;
  readonly handles?: number;
}

/**
 * libuv resources that come and go with the traffic itself (a pending timer, a file write in flight), not
 * resources the process holds: left out of the handle count, which must stay exactly flat.
 */
const TRANSIENT = new Set([
  "Timeout",
  "Immediate",
  "FSReqCallback",
  "FSReqPromise",
  "WriteWrap",
  "ShutdownWrap",
]);

/** This process's resources. */
export function resourcesOf(): Required<Resources> {
  const memory = process.memoryUsage();
  return {
    rss: memory.rss,
    heapUsed: memory.heapUsed,
    handles: process.getActiveResourcesInfo().filter((kind) => !TRANSIENT.has(kind)).length,
    fds: readdirSync("/proc/self/fd").length,
  };
}

/** Another process's RSS and open file descriptors, from /proc (Linux). */
export function procResources(pid: number): Resources {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN);
  return { rss: kb * 1024, fds: readdirSync(`/proc/${pid}/fd`).length };
}

/** The median of a non-empty list. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** A series' middle and last thirds (the first is warm-up: JIT, buffers, the first GCs), by median and range. */
export interface Thirds {
  readonly middleMedian: number;
  readonly lastMedian: number;
  readonly middleMin: number;
  readonly middleMax: number;
  readonly lastMin: number;
  readonly lastMax: number;
}

/** Splits samples (in order) into thirds; needs at least 3. */
export function thirds(samples: readonly number[]): Thirds {
  if (samples.length < 3) throw new Error(`need at least 3 samples, got ${samples.length}`);
  const third = Math.floor(samples.length / 3);
  const middle = samples.slice(third, 2 * third);
  const last = samples.slice(2 * third);
  return {
    middleMedian: median(middle),
    lastMedian: median(last),
    middleMin: Math.min(...middle),
    middleMax: Math.max(...middle),
    lastMin: Math.min(...last),
    lastMax: Math.max(...last),
  };
}

/**
 * Whether memory stopped growing: the last third's median is within `ratio` of the middle third's, plus `slackBytes`
 * (generous on purpose: GC timing and allocator caches move these by megabytes; a leak at a steady rate grows
 * without bound, so a long run shows it even with these margins).
 */
export function bounded(t: Thirds, ratio: number, slackBytes: number): boolean {
  return t.lastMedian <= t.middleMedian * ratio + slackBytes;
}
