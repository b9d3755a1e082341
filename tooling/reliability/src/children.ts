// Children of the scenarios: each in its own process group (startChild), run from this package with tsx, so the
// workspace packages resolve from src (or from dist with TEST_DIST=1, as in @zmqc/vitest-config).
import { fileURLToPath } from "node:url";
import { type Child, startChild } from "@zmqc/zeek-harness";

/** tooling/reliability: tsx and the workspace packages resolve from here. */
export const PACKAGE_DIR = fileURLToPath(new URL("../", import.meta.url));
const TEST_DIST = process.env.TEST_DIST !== undefined && process.env.TEST_DIST !== "0";
const CONDITIONS = TEST_DIST ? [] : ["--conditions=@zmqc/source"];

/** Parses a JSON line, or undefined. */
export function parseLine(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A child that prints JSON lines. */
export interface JsonChild {
  readonly child: Child;
  /** Takes the next line (not taken yet) whose fields include `expected`, waiting at most `ms`. */
  waitFor(expected: Readonly<Record<string, unknown>>, ms?: number): Promise<Record<string, unknown>>;
}

/** Starts `src/children/<script>.ts` with `config` as its argument. */
export function startJsonChild(
  name: string,
  script: string,
  config: unknown,
  options: { hardTimeoutMs?: number } = {},
): JsonChild {
  const runner = fileURLToPath(new URL(`./children/${script}.ts`, import.meta.url));
  const child = startChild(
    name,
    process.execPath,
    [...CONDITIONS, "--import", "tsx", runner, JSON.stringify(config)],
    {
      cwd: PACKAGE_DIR,
      hardTimeoutMs: options.hardTimeoutMs ?? 60_000,
    },
  );
  return {
    child,
    async waitFor(expected, ms = 5000) {
      const matches = (line: string) => {
        const report = parseLine(line);
        return (
          report !== undefined && Object.entries(expected).every(([key, value]) => report[key] === value)
        );
      };
      return parseLine(await child.takeLine(JSON.stringify(expected), matches, ms)) ?? {};
    },
  };
}
