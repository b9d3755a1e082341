import type { ProcessCost } from "./process.js";

/** How much to run: `smoke` proves it works (CI), `quick` is the default, `full` the long run. */
export type RunMode = "smoke" | "quick" | "full";

export interface RunOptions {
  readonly mode: RunMode;
  readonly log: (line: string) => void;
}

/** One round of one stack. */
export interface StackRound {
  readonly received: number;
  readonly eventsPerSecond: number;
  readonly processes: readonly ProcessCost[];
}

/** One stack's rounds, summarised. */
export interface StackSummary {
  readonly id: string;
  readonly label: string;
  /** Why it did not run (a baseline that is not installed), or undefined. */
  readonly missing: string | undefined;
  readonly median: number;
  /** Half the min–max range, in % of the median. */
  readonly spreadPercent: number;
  readonly perRound: readonly number[];
  /** Fewer events than sent in some round (a loss, or a timeout). */
  readonly lost: boolean;
  /** Median CPU % (of one core) and peak RSS per process role, over the rounds. */
  readonly processes: readonly { name: string; cpuPercent: number; maxRssMb: number }[];
  /** The process closest to 100 % CPU: what limits the stack on this machine. */
  readonly limiter: string | undefined;
  /** Latency cases: each percentile's value per round (µs), e.g. { p50: [...], p99: [...], "p99.9": [...] }. */
  readonly percentiles?: Readonly<Record<string, readonly number[]>>;
}

/** A case's result: its stacks, and the subject's ratio to each baseline. */
export interface CaseResult {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  readonly count: number;
  /** What `count` counts, when not the unit's (e.g. "round trips" for a latency in µs). */
  readonly countUnit?: string;
  readonly rounds: number;
  /** How the rounds ran, when not "stacks interleaved round by round". */
  readonly method?: string;
  /** Over what span the CPU column was measured, when not the whole round (start-up included). */
  readonly cpuSpan?: string;
  readonly stacks: readonly StackSummary[];
  readonly subject: string;
  /** subject median ÷ baseline median, and the same ratio per round (rounds run side by side). */
  readonly ratios: readonly Ratio[];
  /** A case measured over time (the soak): its chart is lines of [x, y] points instead of bars. */
  readonly series?: {
    readonly x: string;
    readonly y: string;
    readonly lines: readonly { label: string; points: readonly (readonly [number, number])[] }[];
  };
  /** Lines of prose the report prints under the table (what a case found that a table does not say). */
  readonly notes?: readonly string[];
}

/** One stack's figure ÷ another's, per round (rounds ran side by side) and the median of those. */
export interface Ratio {
  readonly subject?: string;
  readonly baseline: string;
  /** What is divided, when not the case's main figure (e.g. "p99"). */
  readonly metric?: string;
  readonly median: number;
  readonly perRound: readonly number[];
}
