import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { testDist } from "@zmqc/vitest-config";
import { type Child, type ChildOptions, startChild } from "@zmqc/zeek-harness";

/** The cli app's directory: where the children run (`--import tsx` resolves from there). */
export const APP = fileURLToPath(new URL("../..", import.meta.url));

/** `node … zmqc` as a user runs it: from source (tsx) or, under TEST_DIST=1, the built bin. */
export function zmqcArgs(args: readonly string[], app = "cli"): string[] {
  const root = join(APP, "..", app);
  if (testDist) return [join(root, "dist", app === "cli" ? "zmqc.js" : "main.js"), ...args];
  const entry = join(root, "src", app === "cli" ? "zmqc.ts" : "main.ts");
  return ["--conditions=@zmqc/source", "--import", "tsx", entry, ...args];
}

/** Starts the `zmqc` command (or a role app: `app` = manager, worker, logger, broker) as a child process. */
export function startZmqc(args: readonly string[], options: ChildOptions & { app?: string } = {}): Child {
  const { app = "cli", ...childOptions } = options;
  return startChild(`zmqc ${args.join(" ")}`, process.execPath, zmqcArgs(args, app), {
    cwd: APP,
    ...childOptions,
  });
}

/** A temporary directory, removed by the returned function. */
export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
