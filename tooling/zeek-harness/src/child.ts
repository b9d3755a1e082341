// Child processes for interop, fault and discovery tests (Python peers, brokers and nodes in their own process, Zeek
// nodes), shared by every package's tests: each runs in its own process group, its stdout is read line by line, every wait is bounded and fails at once, with
// the child's output, when the child exits first. Whatever a test leaves running is killed by its Cleanup, and
// by this module's exit hook if the test worker itself goes away.
import { spawn } from "node:child_process";

/** How a child ended, with everything it printed. */
export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running child process. */
export interface Child {
  /** A name for messages, e.g. "python peer". */
  readonly name: string;
  readonly pid: number;
  /** Resolves when the child has exited and its output is drained; never rejects. */
  readonly exited: Promise<ChildExit>;
  /** True until the child has exited. */
  running(): boolean;
  /** Output so far. */
  output(): { stdout: string; stderr: string };
  /**
   * The first stdout line not taken yet that satisfies `match` (lines that came earlier count too): the line is
   * taken, so the next call finds the next one. Rejects after `ms`, or as soon as the child exits without it.
   */
  takeLine(what: string, match: (line: string) => boolean, ms?: number): Promise<string>;
  /** Writes one line to the child's stdin. */
  writeLine(line: string): void;
  /** Sends a signal to the child's process group. */
  kill(signal: NodeJS.Signals): void;
  /**
   * Waits for the child to exit by itself, at most `ms`; if it does not, ends it (SIGTERM, then SIGKILL) and
   * rejects with its output.
   */
  waitForExit(ms: number): Promise<ChildExit>;
  /** Kills the process group (idempotent) and waits until the child is gone. */
  dispose(): Promise<void>;
}

/** How {@link startChild} runs a child. */
export interface ChildOptions {
  readonly cwd?: string;
  /** Variables laid over `process.env`. */
  readonly env?: Readonly<Record<string, string>>;
  /** The process group is SIGKILLed when this passes, whatever the test is doing (default 60 s). */
  readonly hardTimeoutMs?: number;
}

/** How long {@link Child.waitForExit} lets a child that outlived its bound go after SIGTERM, before SIGKILL. */
const TERM_GRACE_MS = 1000;

/** The default bound of a wait for a line. */
export const LINE_TIMEOUT_MS = 5000;

// Process groups still running, killed if this test worker exits first: a detached group outlives its parent.
const liveGroups = new Set<number>();
process.on("exit", () => {
  for (const group of liveGroups) killGroup(group, "SIGKILL");
});

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone (ESRCH).
  }
}

/** The end of a child's output, for an error message. */
export function describeOutput(name: string, { stdout, stderr }: { stdout: string; stderr: string }): string {
  const part = (label: string, text: string) =>
    text.trim() === "" ? "" : `\n${name} ${label}:\n${text.length > 3000 ? `…${text.slice(-3000)}` : text}`;
  return part("stdout", stdout) + part("stderr", stderr);
}

/** Starts `command args` with stdin, stdout and stderr piped, in its own process group; returns at once. */
export function startChild(
  name: string,
  command: string,
  args: readonly string[],
  options: ChildOptions = {},
): Child {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
    detached: true,
  });
  const pid = child.pid;
  if (pid === undefined) {
    // Not started (e.g. ENOENT): the reason comes as an "error" event, which must not go unhandled.
    child.once("error", () => {});
    throw new Error(`could not start ${name}: ${command}`);
  }
  liveGroups.add(pid);
  let alive = true;

  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const output = () => ({
    stdout: Buffer.concat(stdout).toString("utf8"),
    stderr: Buffer.concat(stderr).toString("utf8"),
  });

  const lines: string[] = [];
  const taken: boolean[] = [];
  interface Waiter {
    readonly match: (line: string) => boolean;
    readonly resolve: (line: string) => void;
  }
  const waiters: Waiter[] = [];
  let partial = "";
  const onLine = (line: string) => {
    lines.push(line);
    const index = waiters.findIndex((waiter) => waiter.match(line));
    taken.push(index >= 0);
    if (index >= 0) waiters.splice(index, 1)[0]?.resolve(line);
  };
  child.stdout.on("data", (chunk: Buffer) => {
    stdout.push(chunk);
    partial += chunk.toString("utf8");
    const parts = partial.split("\n");
    partial = parts.pop() ?? "";
    for (const line of parts) onLine(line);
  });
  child.stdout.on("end", () => {
    if (partial !== "") onLine(partial);
    partial = "";
  });
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
  // A child that exits while the test still writes to it must not crash the test worker with EPIPE.
  child.stdin.on("error", () => {});

  const exited = new Promise<ChildExit>((resolve) => {
    const done = (exit: ChildExit) => {
      alive = false;
      liveGroups.delete(pid);
      resolve(exit);
    };
    child.on("error", (error) => done({ code: null, signal: null, stdout: "", stderr: String(error) }));
    // "close", not "exit": stdout and stderr are drained by then.
    child.on("close", (code, signal) => done({ code, signal, ...output() }));
  });
  const hardTimer = setTimeout(() => killGroup(pid, "SIGKILL"), options.hardTimeoutMs ?? 60_000);
  hardTimer.unref();
  void exited.then(() => clearTimeout(hardTimer));

  const kill = (signal: NodeJS.Signals) => {
    if (alive) killGroup(pid, signal);
  };

  return {
    name,
    pid,
    exited,
    running: () => alive,
    output,
    takeLine(what, match, ms = LINE_TIMEOUT_MS) {
      const index = lines.findIndex((line, i) => !taken[i] && match(line));
      if (index >= 0) {
        taken[index] = true;
        return Promise.resolve(lines[index] as string);
      }
      return new Promise<string>((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined;
        const waiter: Waiter = {
          match,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        };
        const fail = (reason: string) => {
          const at = waiters.indexOf(waiter);
          if (at < 0) return;
          waiters.splice(at, 1);
          clearTimeout(timer);
          reject(new Error(`${name}: ${what}: ${reason}${describeOutput(name, output())}`));
        };
        waiters.push(waiter);
        timer = setTimeout(() => fail(`timed out after ${ms} ms`), ms);
        void exited.then((exit) => fail(`exited first (code ${exit.code}, signal ${exit.signal})`));
      });
    },
    writeLine(line) {
      child.stdin.write(`${line}\n`);
    },
    kill,
    async waitForExit(ms) {
      let timer: NodeJS.Timeout | undefined;
      const result = await Promise.race([
        exited,
        new Promise<undefined>((resolve) => {
          timer = setTimeout(() => resolve(undefined), ms);
        }),
      ]);
      clearTimeout(timer);
      if (result !== undefined) return result;
      // SIGTERM first: a child that buffers its stdout (Zeek does, into a pipe) flushes it on the way out, so
      // the error shows what it printed; SIGKILL whatever is left after a grace period.
      kill("SIGTERM");
      const grace = setTimeout(() => kill("SIGKILL"), TERM_GRACE_MS);
      const exit = await exited;
      clearTimeout(grace);
      throw new Error(
        `${name} did not exit within ${ms} ms (then ended by ${exit.signal ?? `exit ${exit.code}`})${describeOutput(name, exit)}`,
      );
    },
    async dispose() {
      kill("SIGKILL");
      await exited;
    },
  };
}

/** Things to undo after a test, undone in reverse order; `afterEach(() => cleanup.run())`. */
export class Cleanup {
  readonly #steps: (() => unknown)[] = [];

  /** Registers `step` and returns `value`, e.g. `const child = cleanup.add(startChild(...), (c) => c.dispose())`. */
  add<T>(value: T, step: (value: T) => unknown): T {
    this.#steps.push(() => step(value));
    return value;
  }

  /** Runs every step (newest first), even when one fails; rethrows the first failure. */
  async run(): Promise<void> {
    let failure: unknown;
    for (let step = this.#steps.pop(); step !== undefined; step = this.#steps.pop()) {
      try {
        await step();
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== undefined) throw failure;
  }
}
