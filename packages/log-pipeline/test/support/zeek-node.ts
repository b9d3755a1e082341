// One real Zeek process of a ZeroMQ cluster for the writer tests, after packages/wire-format/test/zeek/
// zeek-cluster.ts: `zeek -b <script>` as CLUSTER_NODE=<node> in a fresh temp dir (its logs land there), in its
// own process group, killed on a hard timeout or when the test process exits.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { findZeek, reservePorts, zeekPath } from "@zmqc/zeek-harness";

export { reservePorts };

/** The directory of the writer tests' Zeek scripts. */
export const SCRIPTS_DIR = fileURLToPath(new URL("./zeek/", import.meta.url));

/** How a Zeek run ended. */
export interface ZeekExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running Zeek. */
export interface ZeekNode {
  /** Its working directory, where it writes its logs. */
  readonly dir: string;
  /** Resolves when Zeek has exited and its output is drained; never rejects. */
  readonly exited: Promise<ZeekExit>;
  /** Waits for Zeek to exit by itself, at most `ms`; rejects (and kills Zeek) if it does not. */
  waitForExit(ms: number): Promise<ZeekExit>;
  /** Kills Zeek's process group (idempotent), waits for it and removes its directory. */
  dispose(): Promise<void>;
}

const liveGroups = new Set<number>();
process.on("exit", () => {
  for (const group of liveGroups) killGroup(group);
});

function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

/** How {@link startZeekNode} runs Zeek. */
export interface ZeekNodeOptions {
  /** A file in {@link SCRIPTS_DIR}. */
  readonly script: string;
  /** `CLUSTER_NODE`, a node of `layout`. */
  readonly node: string;
  /** cluster-layout.zeek, written into the working directory. */
  readonly layout: string;
  /** Variables laid over `process.env` (e.g. `TZ`, the ports). */
  readonly env?: Readonly<Record<string, string>>;
  /** Options before the script, after `-b`. */
  readonly args?: readonly string[];
  /** Zeek's process group is killed when this passes (default 30 s). */
  readonly hardTimeoutMs?: number;
}

/** Starts Zeek and returns at once. */
export function startZeekNode(options: ZeekNodeOptions): ZeekNode {
  const install = findZeek();
  if (install === undefined) throw new Error("Zeek is not available");
  const dir = mkdtempSync(join(tmpdir(), "zmqc-writers-zeek-"));
  writeFileSync(join(dir, "cluster-layout.zeek"), options.layout);
  const child: ChildProcess = spawn(
    install.zeek,
    ["-b", ...(options.args ?? []), join(SCRIPTS_DIR, options.script)],
    {
      cwd: dir,
      env: {
        ...process.env,
        CLUSTER_NODE: options.node,
        ...(zeekPath() === undefined ? {} : { ZEEKPATH: `${dir}:${zeekPath()}` }),
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout?.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk));
  const output = () => ({
    stdout: Buffer.concat(stdout).toString("utf8"),
    stderr: Buffer.concat(stderr).toString("utf8"),
  });
  const pid = child.pid;
  if (pid !== undefined) liveGroups.add(pid);
  let running = pid !== undefined;
  const kill = () => {
    if (running && pid !== undefined) killGroup(pid);
  };
  const exited = new Promise<ZeekExit>((resolve) => {
    const done = (exit: ZeekExit) => {
      running = false;
      if (pid !== undefined) liveGroups.delete(pid);
      resolve(exit);
    };
    child.on("error", (error) => done({ code: null, signal: null, stdout: "", stderr: error.message }));
    child.on("close", (code, signal) => done({ code, signal, ...output() }));
  });
  const hardTimer = setTimeout(kill, options.hardTimeoutMs ?? 30_000);
  void exited.then(() => clearTimeout(hardTimer));
  return {
    dir,
    exited,
    async waitForExit(ms) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), ms);
      });
      const result = await Promise.race([exited, timeout]);
      clearTimeout(timer);
      if (result !== undefined) return result;
      kill();
      const { stderr: err } = output();
      throw new Error(`Zeek (${options.script}) did not exit within ${ms} ms\n${err.slice(-3000)}`);
    },
    async dispose() {
      kill();
      await exited;
      clearTimeout(hardTimer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
