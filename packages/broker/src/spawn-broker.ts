import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { isZmqcErrorCode, ZmqcError } from "@zmqc/config";
import { onProcessExit } from "./exit-hook.js";
import { packageScript, SOURCE_CONDITION, tsxLoaderUrl } from "./from-source.js";
import type { BrokerMode, BrokerOptions } from "./options.js";
import type { RunnerReport } from "./runner.js";

/** Options of {@link spawnBroker}: {@link BrokerOptions} (without `log`), and how long it may take to start. */
export interface SpawnBrokerOptions extends Omit<BrokerOptions, "log"> {
  /** How long the child may take to bind its sockets before spawnBroker() kills it and rejects (default 20 s). */
  readonly startTimeoutMs?: number;
  /** Variables laid over `process.env` for the child. */
  readonly env?: Readonly<Record<string, string>>;
}

/** How a spawned broker ended, with what it wrote to stderr (its log lines). */
export interface SpawnedBrokerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/** A broker running in a child process: the standalone broker, as a test sees it. */
export interface SpawnedBroker extends AsyncDisposable {
  readonly pid: number;
  readonly mode: BrokerMode;
  /** The bound XPUB endpoint, read back from the child: nodes connect their XSUB here. */
  readonly xpubEndpoint: string;
  /** The bound XSUB endpoint: nodes connect their XPUB here. */
  readonly xsubEndpoint: string;
  /** Resolves when the child has exited (its stderr drained); never rejects. */
  readonly exited: Promise<SpawnedBrokerExit>;
  /** True until the child has exited. */
  running(): boolean;
  /** What the child has written to stderr so far (the broker's log lines, e.g. CURVE refusals). */
  stderr(): string;
  /** Sends a signal to the child (default SIGTERM, which closes the broker cleanly; SIGKILL for a crash). */
  kill(signal?: NodeJS.Signals): void;
  /**
   * Stops the broker cleanly (SIGTERM: it closes its sockets and exits 0), SIGKILLs it if it has not exited after
   * `graceMs` (default 5 s), and resolves with its exit. Idempotent.
   */
  close(graceMs?: number): Promise<SpawnedBrokerExit>;
}

/** What a test broker binds unless told otherwise: ephemeral 127.0.0.1 ports, linger 0. */
export const TEST_BROKER_DEFAULTS = {
  listenXpubEndpoint: "tcp://127.0.0.1:*",
  listenXsubEndpoint: "tcp://127.0.0.1:*",
  lingerMs: 0,
} as const satisfies BrokerOptions;

/** The command line of the runner: dist/broker-runner.js, or src/runner.ts through tsx when running from source. */
function runnerCommand(options: Omit<SpawnBrokerOptions, "startTimeoutMs" | "env">): string[] {
  const { url, fromSource } = packageScript(import.meta.url, "./runner.ts", "./broker-runner.js");
  const flags = fromSource ? [SOURCE_CONDITION, "--import", tsxLoaderUrl()] : [];
  return [...flags, fileURLToPath(url), JSON.stringify(options)];
}

/**
 * Spawns a real broker in a child process (`node dist/broker-runner.js`, or its TypeScript source through tsx in
 * the monorepo) for integration tests that need the broker outside the test's process: to kill it with SIGKILL,
 * restart it on the same ports, or run it standalone as Zeek's supervisor-runs-zmq-proxy does. Defaults as
 * {@link startTestBroker}: ephemeral 127.0.0.1 ports (read back from the child) and linger 0. Resolves once both
 * sockets are bound; rejects with the child's reason (e.g. `Failed to bind xpub socket …`, and the error's
 * `code`, such as `BIND`) when it cannot start. The child also stops when this process exits.
 *
 * @example
 * ```ts
 * await using broker = await spawnBroker({ mode: "managed" });
 * // … connect nodes to broker.xpubEndpoint / broker.xsubEndpoint …
 * broker.kill("SIGKILL");
 * expect((await broker.exited).signal).toBe("SIGKILL");
 * await using again = await spawnBroker({
 *   listenXpubEndpoint: broker.xpubEndpoint,
 *   listenXsubEndpoint: broker.xsubEndpoint,
 * });
 * ```
 */
export async function spawnBroker(options: SpawnBrokerOptions = {}): Promise<SpawnedBroker> {
  const { startTimeoutMs = 20_000, env, ...brokerOptions } = options;
  const args = runnerCommand({ ...TEST_BROKER_DEFAULTS, ...brokerOptions });
  const child = spawn(process.execPath, args, {
    // The runner and tsx's loader are absolute: the caller's cwd does not matter.
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const { pid } = child;
  if (pid === undefined) {
    child.once("error", () => {});
    throw new Error(`could not start a broker process: ${process.execPath}`);
  }
  // Killed if this process exits first (its stdin ends too, which stops it anyway).
  const cancelExitKill = onProcessExit(() => {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  });
  // A child that exits while nobody writes to it must not crash the parent with EPIPE.
  child.stdin.on("error", () => {});
  const stderr: Buffer[] = [];
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
  const stderrText = () => Buffer.concat(stderr).toString("utf8");
  let alive = true;
  const exited = new Promise<SpawnedBrokerExit>((resolve) => {
    const done = (code: number | null, signal: NodeJS.Signals | null, extra = "") => {
      alive = false;
      cancelExitKill();
      resolve({ code, signal, stderr: stderrText() + extra });
    };
    child.once("error", (error) => done(null, null, String(error)));
    child.once("close", (code, signal) => done(code, signal));
  });
  const kill = (signal: NodeJS.Signals = "SIGTERM") => {
    if (alive) child.kill(signal);
  };

  let started: Extract<RunnerReport, { xpubEndpoint: string }>;
  try {
    started = await firstReport(child.stdout, exited, startTimeoutMs);
  } catch (error) {
    kill("SIGKILL");
    await exited;
    throw error;
  }
  // Its stdout says nothing more; keep the pipe drained.
  child.stdout.resume();

  let closing: Promise<SpawnedBrokerExit> | undefined;
  const broker: SpawnedBroker = {
    pid,
    mode: started.mode as BrokerMode,
    xpubEndpoint: started.xpubEndpoint,
    xsubEndpoint: started.xsubEndpoint,
    exited,
    running: () => alive,
    stderr: stderrText,
    kill,
    close(graceMs = 5000) {
      closing ??= (async () => {
        kill("SIGTERM");
        const timer = setTimeout(() => kill("SIGKILL"), graceMs);
        const exit = await exited;
        clearTimeout(timer);
        return exit;
      })();
      return closing;
    },
    async [Symbol.asyncDispose]() {
      await broker.close();
    },
  };
  return broker;
}

/** Reads the runner's first stdout line: its endpoints, or why it could not start. */
function firstReport(
  stdout: NodeJS.ReadableStream,
  exited: Promise<SpawnedBrokerExit>,
  ms: number,
): Promise<Extract<RunnerReport, { xpubEndpoint: string }>> {
  return new Promise((resolve, reject) => {
    let text = "";
    const onData = (chunk: Buffer) => {
      text += chunk.toString("utf8");
      const end = text.indexOf("\n");
      if (end < 0) return;
      finish();
      const line = text.slice(0, end);
      let parsed: RunnerReport;
      try {
        parsed = JSON.parse(line) as RunnerReport;
      } catch {
        reject(new Error(`broker process: unexpected output ${JSON.stringify(line)}`));
        return;
      }
      if ("error" in parsed) {
        const message = `broker process could not start: ${parsed.error}`;
        reject(isZmqcErrorCode(parsed.code) ? new ZmqcError(parsed.code, message) : new Error(message));
      } else {
        resolve(parsed);
      }
    };
    const timer = setTimeout(() => {
      finish();
      reject(new ZmqcError("TIMEOUT", `broker process did not report its endpoints within ${ms} ms`));
    }, ms);
    const finish = () => {
      clearTimeout(timer);
      stdout.off("data", onData);
    };
    stdout.on("data", onData);
    void exited.then((exit) => {
      finish();
      reject(
        new Error(
          `broker process exited before binding (code ${exit.code}, signal ${exit.signal})${exit.stderr ? `: ${exit.stderr.trim()}` : ""}`,
        ),
      );
    });
  });
}
