import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Where every scenario writes its ledger (gitignored); `pnpm --filter @zmqc/reliability report` reads them. */
export const RESULTS_DIR = fileURLToPath(new URL("../.results/", import.meta.url));

/**
 * What one scenario ends with: every message it sent is received or counted as dropped by a named counter, and
 * no process that should have lived died.
 */
export interface LedgerInput {
  /** File name (without `.json`) and id, e.g. `hostile-node`. */
  readonly scenario: string;
  /** One line: the fault. */
  readonly title: string;
  /** One or two sentences: what the scenario proves when it passes. */
  readonly proves: string;
  /** What is counted, e.g. "events", "log records", "messages". */
  readonly unit: string;
  readonly sent: number;
  readonly received: number;
  /** Each named counter that accounts for messages that were not received, e.g. `{ msgErrors: 12 }`. */
  readonly dropped: Readonly<Record<string, number>>;
  /**
   * The keys of `dropped` that no counter holds: measured by the scenario (sent minus received minus the counted
   * drops, e.g. what died inside a killed process). Everything else in `dropped` is a counter of the software.
   */
  readonly measured?: readonly string[];
  /** Other figures worth reporting: faults injected, seed, bad inputs tried, processes checked… */
  readonly figures?: Readonly<Record<string, number | string | boolean>>;
  /** What the scenario found wrong and left for later (a todo or an expected failure in its test), in a sentence each. */
  readonly findings?: readonly string[];
  /** Processes that exited or crashed though they should not have (empty when all is well). */
  readonly unexpectedExits: readonly string[];
}

/** A ledger as written to `.results/<scenario>.json`. */
export interface Ledger extends LedgerInput {
  /** sent = received + the sum of dropped. */
  readonly balanced: boolean;
  readonly droppedTotal: number;
  readonly at: string;
}

/** Works out the balance, writes `.results/<scenario>.json` and returns the ledger for the test to assert on. */
export function writeLedger(input: LedgerInput): Ledger {
  const droppedTotal = Object.values(input.dropped).reduce((sum, n) => sum + n, 0);
  const ledger: Ledger = {
    ...input,
    droppedTotal,
    balanced: input.sent === input.received + droppedTotal,
    at: new Date().toISOString(),
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(`${RESULTS_DIR}${input.scenario}.json`, `${JSON.stringify(ledger, null, 2)}\n`);
  return ledger;
}
