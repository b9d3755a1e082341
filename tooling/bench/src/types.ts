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
}

/** A case's result: its stacks, and the subject's ratio to each baseline. */
export interface CaseResult {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  readonly count: number;
  readonly rounds: number;
  readonly stacks: readonly StackSummary[];
  readonly subject: string;
  /** subject median ÷ baseline median, and the same ratio per round (rounds run side by side). */
  readonly ratios: readonly {
    subject?: string;
    baseline: string;
    median: number;
    perRound: readonly number[];
  }[];
}
