// A zmqc logger in its own process (src/children/logger.ts), as the scenarios drive it.
import { mkdtemp } from "node:fs/promises";
import { join } from "node:path";
import type { Cleanup } from "@zmqc/zeek-harness";
import { type JsonChild, startJsonChild } from "./children.js";

export interface LoggerProcess {
  readonly json: JsonChild;
  /** Where it writes its logs. */
  readonly dir: string;
  /** Its counters now (asked over stdin), and its `resources`. */
  stats(): Promise<Record<string, number>>;
  /** SIGTERM, and its final counters. */
  stop(): Promise<Record<string, unknown>>;
  /**
   * Closes it after every sender's end marker came (at most `handoffMs`; the senders must have called
   * `retireLogger`), and its final counters.
   */
  handOff(handoffMs: number): Promise<Record<string, unknown>>;
}

/**
 * Starts a logger bound at `endpoint`, writing into a new directory under `root`; cleaned up with the test, and
 * killed after `hardTimeoutMs` (default 60 s) whatever happens.
 */
export async function startLoggerProcess(
  cleanup: Cleanup,
  name: string,
  endpoint: string,
  root: string,
  options: { hardTimeoutMs?: number } = {},
): Promise<LoggerProcess> {
  const dir = await mkdtemp(join(root, `${name}-`));
  const json = cleanup.add(startJsonChild(name, "logger", { endpoint, dir }, options), (l) =>
    l.child.dispose(),
  );
  await json.waitFor({ event: "ready" }, 20_000);
  return {
    json,
    dir,
    async stats() {
      json.child.writeLine("stats");
      return (await json.waitFor({ event: "stats" })) as Record<string, number>;
    },
    async stop() {
      json.child.kill("SIGTERM");
      const closed = await json.waitFor({ event: "closed" }, 15_000);
      await json.child.waitForExit(5000);
      return closed;
    },
    async handOff(handoffMs) {
      json.child.writeLine(`handoff ${handoffMs}`);
      const closed = await json.waitFor({ event: "closed" }, handoffMs + 15_000);
      await json.child.waitForExit(5000);
      return closed;
    },
  };
}
