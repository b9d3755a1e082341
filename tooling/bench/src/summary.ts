import { median, spreadPercent } from "./stats.js";
import type { CaseResult, StackRound, StackSummary } from "./types.js";

interface Input {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  readonly count: number;
  readonly countUnit?: string;
  readonly rounds: number;
  readonly cpuSpan?: string;
  readonly method?: string;
  readonly notes?: readonly string[];
  readonly stacks: readonly {
    id: string;
    label: string;
    missing: string | undefined;
    rounds: readonly StackRound[];
  }[];
  readonly subject: string;
  readonly baselines: readonly string[];
  /** More [stack, baseline] pairs to report, e.g. a batched mode against Zeek. */
  readonly pairs?: readonly (readonly [string, string])[];
}

/** Medians, spreads, per-process costs and the subject's ratios (per round too: rounds ran side by side). */
export function summarise(input: Input): CaseResult {
  const stacks: StackSummary[] = input.stacks.map((stack) => {
    const perRound = stack.rounds.map((round) => round.eventsPerSecond);
    const names = [...new Set(stack.rounds.flatMap((round) => round.processes.map((p) => p.name)))];
    const processes = names.map((name) => {
      const costs = stack.rounds.flatMap((round) => round.processes.filter((p) => p.name === name));
      return {
        name,
        cpuPercent: median(costs.map((cost) => cost.cpuPercent ?? Number.NaN)),
        maxRssMb: Math.max(...costs.map((cost) => cost.maxRssKb / 1024)),
      };
    });
    const busiest = [...processes].sort((a, b) => b.cpuPercent - a.cpuPercent)[0];
    return {
      id: stack.id,
      label: stack.label,
      missing: stack.missing,
      median: median(perRound),
      spreadPercent: spreadPercent(perRound),
      perRound,
      lost: stack.rounds.some((round) => round.received < input.count),
      processes,
      limiter:
        busiest && Number.isFinite(busiest.cpuPercent)
          ? `${busiest.name} at ${busiest.cpuPercent.toFixed(0)} % CPU`
          : undefined,
    };
  });
  const pairs = [
    ...input.baselines.map((baseline) => [input.subject, baseline] as const),
    ...(input.pairs ?? []),
  ];
  const ratios = pairs.flatMap(([id, baseline]) => {
    const subject = stacks.find((stack) => stack.id === id);
    const other = stacks.find((stack) => stack.id === baseline);
    if (!subject || !other || other.perRound.length === 0 || subject.perRound.length === 0) return [];
    const perRound = subject.perRound.map((value, i) => value / (other.perRound[i] ?? Number.NaN));
    return [{ subject: id, baseline, median: median(perRound), perRound }];
  });
  return { ...input, stacks, ratios };
}
