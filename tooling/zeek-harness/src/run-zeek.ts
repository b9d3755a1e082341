import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findZeek, zeekUnavailableReason } from "./find-zeek.js";

/** How {@link runZeek} runs Zeek. */
export interface RunZeekOptions {
  /** Working directory; Zeek writes its `*.log` files here. Default: a fresh temp dir, removed afterwards. */
  readonly cwd?: string | undefined;
  /** Variables laid over `process.env`, e.g. `CLUSTER_NODE`, `XPUB_PORT`, `ZEEKPATH`; `undefined` unsets one. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /**
   * Upper bound on the run, in ms (default {@link DEFAULT_ZEEK_TIMEOUT_MS}). When it passes, Zeek's process
   * group is killed and the promise rejects. It never delays a run that finishes sooner.
   */
  readonly timeoutMs?: number | undefined;
}

/** How a Zeek run ended, with everything it printed. */
export interface ZeekResult {
  /** Exit code, or `null` when Zeek died from a signal. */
  readonly code: number | null;
  /** The signal that ended Zeek, or `null` when it exited. */
  readonly signal: NodeJS.Signals | null;
  /** Everything Zeek wrote to stdout (`print` output), as UTF-8. */
  readonly stdout: string;
  /** Everything Zeek wrote to stderr (reporter warnings and errors), as UTF-8. */
  readonly stderr: string;
}

/** Default {@link RunZeekOptions.timeoutMs}: below vitest's 20 s test timeout, so this error is the one seen. */
export const DEFAULT_ZEEK_TIMEOUT_MS = 15_000;

// Groups still running, killed if this process exits first: a detached group outlives its parent, and a Zeek
// with a cluster backend loaded idles forever instead of exiting.
const liveGroups = new Set<number>();
let exitHookInstalled = false;

/**
 * Runs the Zeek that {@link findZeek} finds with `args`, stdin closed, and collects its output.
 *
 * Zeek runs in its own process group so that a timeout kills it and anything it started (log rotation runs
 * shell helpers, for example).
 *
 * @param args - Zeek's command line, e.g. `["-b", "-e", "print 1;"]`.
 * @param options - working directory, extra environment, time limit.
 * @returns the exit code or signal, stdout and stderr; a non-zero exit resolves, it does not reject.
 * @throws (rejects) when Zeek is not available, cannot be started, or outlives `timeoutMs`.
 */
export function runZeek(args: readonly string[], options: RunZeekOptions = {}): Promise<ZeekResult> {
  const install = findZeek();
  if (install === undefined) return Promise.reject(new Error(zeekUnavailableReason()));
  const timeoutMs = options.timeoutMs ?? DEFAULT_ZEEK_TIMEOUT_MS;
  const ownDir = options.cwd === undefined ? mkdtempSync(join(tmpdir(), "zmqc-zeek-")) : undefined;
  const command = `zeek ${JSON.stringify(args)}`;

  return new Promise((resolve, reject) => {
    const child = spawn(install.zeek, args, {
      cwd: options.cwd ?? ownDir,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const pid = child.pid;
    if (pid !== undefined) trackGroup(pid);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));

    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (pid !== undefined) killGroup(pid);
    }, timeoutMs);

    let settled = false;
    const finish = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      if (pid !== undefined) liveGroups.delete(pid);
      if (ownDir !== undefined) rmSync(ownDir, { recursive: true, force: true });
      return true;
    };

    child.on("error", (error) => {
      if (pid !== undefined) killGroup(pid);
      if (finish()) reject(new Error(`could not run ${install.zeek}: ${error.message}`, { cause: error }));
    });
    // "close", not "exit": it fires once stdout and stderr are drained, so no output is lost.
    child.on("close", (code, signal) => {
      if (!finish()) return;
      const out = Buffer.concat(stdout).toString("utf8");
      const err = Buffer.concat(stderr).toString("utf8");
      if (timedOut) {
        const message = `${command} did not finish within ${timeoutMs} ms; killed its process group.`;
        reject(new Error(`${message}${tail(err)}`));
        return;
      }
      resolve({ code, signal, stdout: out, stderr: err });
    });
  });
}

function trackGroup(pid: number): void {
  liveGroups.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const group of liveGroups) killGroup(group);
  });
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone (ESRCH): nothing to kill.
  }
}

/** The end of Zeek's stderr, so a timeout error says where Zeek was stuck. */
function tail(stderr: string): string {
  const text = stderr.trim();
  if (text === "") return "";
  return `\nstderr (end):\n${text.length > 2000 ? `…${text.slice(-2000)}` : text}`;
}
