// Node child processes that resolve modules the way this process does (tsx from source, dist otherwise).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startMeasured } from "./process.js";

const PEER = fileURLToPath(new URL("./peers/node-peer.ts", import.meta.url));

/**
 * This process's Node flags for a child: `--import tsx` resolves from the working directory, so a bare specifier
 * is made absolute while this process can still resolve it.
 */
export function nodeFlags(): string[] {
  return process.execArgv.map((arg, i, all) =>
    all[i - 1] === "--import" && !arg.startsWith(".") && !arg.startsWith("/") && !arg.includes(":")
      ? import.meta.resolve(arg)
      : arg,
  );
}

/** The arguments of `node` running one of the benchmark's Node ends (peers/node-peer.ts). */
export function peerArgs(args: readonly string[]): string[] {
  return [...nodeFlags(), PEER, ...args];
}

/** The arguments of `node` running another of the benchmark's Node programs, peers/<name>.ts. */
export function scriptArgs(name: string, args: readonly string[]): string[] {
  return [...nodeFlags(), fileURLToPath(new URL(`./peers/${name}.ts`, import.meta.url)), ...args];
}

/**
 * Runs a package's own benchmark script with `--json <file>` (measured) and returns what it wrote. A script that
 * has not finished within `timeoutMs` is stopped and reported with its last output lines: a hung benchmark must
 * fail the run, never stall it (CI runs the smoke run).
 */
export async function runJsonBench<T>(
  name: string,
  script: string,
  args: readonly string[],
  timeoutMs = 20 * 60_000,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "zmqc-bench-"));
  const json = join(dir, "result.json");
  try {
    const bench = startMeasured(name, process.execPath, [...nodeFlags(), script, ...args, "--json", json]);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      void bench.stop();
    }, timeoutMs);
    const cost = await bench.done.finally(() => clearTimeout(timer));
    if (timedOut) {
      const last = bench.lines().slice(-5).join(" | ");
      throw new Error(`${name} did not finish within ${timeoutMs / 1000} s (stopped); last output: ${last}`);
    }
    if (cost.code !== 0) throw new Error(`${name} failed (exit ${cost.code})`);
    return JSON.parse(readFileSync(json, "utf8")) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
