import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
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

/** What {@link startDemoCluster} runs. */
export interface DemoClusterOptions {
  /** `--config <file>` and the like; none for the embedded default cluster. */
  readonly args?: readonly string[];
  readonly runDir: string;
  readonly logDir: string;
  /** How many nodes the layout has ("all nodes up (N nodes"). */
  readonly nodes: number;
  /** The node whose status line must show log records written before this resolves (the logger). */
  readonly recordsAt: string;
}

/**
 * `zmqc cluster up --demo` in plain-line mode with a status line every second; resolves once every node is up and
 * `recordsAt` has written log records. The caller disposes of the child.
 */
export async function startDemoCluster(options: DemoClusterOptions): Promise<Child> {
  const up = startZmqc(
    [
      "cluster",
      "up",
      ...(options.args ?? []),
      "--demo",
      "--no-live",
      "--status-every",
      "1",
      "--run-dir",
      options.runDir,
      "--log-dir",
      options.logDir,
    ],
    { hardTimeoutMs: 90_000 },
  );
  try {
    await up.takeLine(
      "all nodes up",
      (line) => line.startsWith(`all nodes up (${options.nodes} nodes`),
      45_000,
    );
    const written = new RegExp(`${options.recordsAt} up \\d+ ev/s 0 drops [1-9]\\d* log records`);
    await up.takeLine(`log records written by ${options.recordsAt}`, (line) => written.test(line), 20_000);
    return up;
  } catch (error) {
    await up.dispose();
    throw error;
  }
}

/**
 * Waits (bounded) until `path` exists: the logger's status counts every record it wrote, cluster.log's included,
 * so "records written" can come before the first conn record reaches its file.
 */
export async function fileAppears(path: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`${path} did not appear within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Whether a TCP port on 127.0.0.1 can be bound right now (a stopped process left nothing listening there). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ host: "127.0.0.1", port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
