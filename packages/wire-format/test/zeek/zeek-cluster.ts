// A real Zeek manager of a one-node ZeroMQ cluster, its XPUB/XSUB proxy on 127.0.0.1 ports the OS picked, and
// the raw zeromq.js sockets a test uses to talk to it; startZeekNode runs any node of a larger layout. Every wait
// is bounded and races Zeek's exit, so a Zeek that dies early fails the test at once, with its stderr.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { findZeek, reservePorts, zeekPath } from "@zmqc/zeek-harness";

export { reservePorts };

import { XPublisher, XSubscriber } from "zeromq";

/** The directory of the interop scripts (publish-values.zeek, receive-values.zeek, log-worker.zeek, …). */
export const SCRIPTS_DIR = fileURLToPath(new URL("./scripts/", import.meta.url));

/** How a Zeek run ended. */
export interface ZeekExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running Zeek process (one node of a cluster). */
export interface ZeekNode {
  /** Its working directory (a fresh temp dir holding cluster-layout.zeek): Zeek writes its logs here. */
  readonly dir: string;
  /** Resolves when Zeek has exited and its output is drained; never rejects. */
  readonly exited: Promise<ZeekExit>;
  /** Output so far, for error messages. */
  output(): { stdout: string; stderr: string };
  /** Waits for Zeek to exit by itself, at most `ms`; rejects (and kills Zeek) if it does not. */
  waitForExit(ms: number): Promise<ZeekExit>;
  /** Kills Zeek's process group (idempotent), waits for it to go and removes its directory. */
  dispose(): Promise<void>;
}

/** A running Zeek manager. */
export interface ZeekManager extends ZeekNode {
  /** The proxy's XPUB: connect an XSubscriber here to receive what Zeek publishes. */
  readonly xpubEndpoint: string;
  /** The proxy's XSUB: connect an XPublisher here to publish to Zeek. */
  readonly xsubEndpoint: string;
}

// Process groups still running, killed if this worker exits first: a detached group outlives its parent, and
// these Zeeks (exit_only_after_terminate=T) would idle forever.
const liveGroups = new Set<number>();
process.on("exit", () => {
  for (const group of liveGroups) killGroup(group);
});

function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone (ESRCH).
  }
}

const LAYOUT = `redef Cluster::manager_is_logger = T;
redef Cluster::nodes = {
	["manager"] = [$node_type=Cluster::MANAGER, $ip=127.0.0.1, $p=to_port(getenv("LOG_PULL_PORT"))],
};
`;

/**
 * Starts `zeek -b <script>` as `CLUSTER_NODE=manager` of a one-node layout written into a fresh temp dir (its
 * cwd), with `XPUB_PORT`/`XSUB_PORT`/`LOG_PULL_PORT` set to ports reserved just before. It returns at once: Zeek
 * binds its proxy during zeek_init, and zeromq.js sockets retry their connects until it does.
 *
 * @param script - a file in {@link SCRIPTS_DIR}.
 * @param hardTimeoutMs - Zeek's process group is killed when this passes, whatever the test is doing.
 */
export async function startZeekManager(script: string, hardTimeoutMs = 30_000): Promise<ZeekManager> {
  const [xpub, xsub, logPull] = (await reservePorts(3)) as [number, number, number];
  const node = startZeekNode({
    script,
    node: "manager",
    layout: LAYOUT,
    env: { XPUB_PORT: `${xpub}/tcp`, XSUB_PORT: `${xsub}/tcp`, LOG_PULL_PORT: `${logPull}/tcp` },
    hardTimeoutMs,
    dirPrefix: "zmqc-zeek-events-",
  });
  return { ...node, xpubEndpoint: `tcp://127.0.0.1:${xpub}`, xsubEndpoint: `tcp://127.0.0.1:${xsub}` };
}

/** How {@link startZeekNode} runs one Zeek node. */
export interface ZeekNodeOptions {
  /** A file in {@link SCRIPTS_DIR}. */
  readonly script: string;
  /** `CLUSTER_NODE`: the node's name in `layout`. */
  readonly node: string;
  /** The text of cluster-layout.zeek, written into the node's working directory. */
  readonly layout: string;
  /** Variables laid over `process.env`, e.g. `XPUB_PORT`. */
  readonly env?: Readonly<Record<string, string>>;
  /** Options before the script, after `-b`; e.g. `["-D"]` for deterministic seeds (hash order, unique_id). */
  readonly args?: readonly string[];
  /** Zeek's process group is killed when this passes, whatever the test is doing (default 30 s). */
  readonly hardTimeoutMs?: number;
  /** Prefix of the working directory's name under the OS temp dir. */
  readonly dirPrefix?: string;
}

/**
 * Starts `zeek -b [args] <script>` as `CLUSTER_NODE=<node>`, in a fresh temp dir holding `layout` as
 * cluster-layout.zeek, in its own process group. It returns at once, without waiting for Zeek to start.
 */
export function startZeekNode(options: ZeekNodeOptions): ZeekNode {
  const { script, node: name, layout, hardTimeoutMs = 30_000 } = options;
  const install = findZeek();
  if (install === undefined) throw new Error("Zeek is not available");
  const dir = mkdtempSync(join(tmpdir(), options.dirPrefix ?? "zmqc-zeek-"));
  writeFileSync(join(dir, "cluster-layout.zeek"), layout);

  const child: ChildProcess = spawn(
    install.zeek,
    ["-b", ...(options.args ?? []), join(SCRIPTS_DIR, script)],
    {
      cwd: dir,
      env: {
        ...process.env,
        CLUSTER_NODE: name,
        // cluster-layout.zeek is in dir. Without zeek-config, Zeek's built-in path (which starts with ".") finds it.
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
    child.on("error", (error) => {
      done({
        code: null,
        signal: null,
        stdout: "",
        stderr: `could not run ${install.zeek}: ${error.message}`,
      });
    });
    // "close", not "exit": stdout and stderr are drained by then.
    child.on("close", (code, signal) => done({ code, signal, ...output() }));
  });
  const hardTimer = setTimeout(kill, hardTimeoutMs);
  void exited.then(() => clearTimeout(hardTimer));

  return {
    dir,
    exited,
    output,
    async waitForExit(ms) {
      const result = await Promise.race([exited, delay(ms)]);
      if (result !== undefined) return result;
      kill();
      throw new Error(`Zeek ${name} (${script}) did not exit within ${ms} ms${describeOutput(output())}`);
    },
    async dispose() {
      kill();
      await exited;
      clearTimeout(hardTimer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function delay(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms).unref());
}

/** Zeek's output, for an error message. */
export function describeOutput({ stdout, stderr }: { stdout: string; stderr: string }): string {
  const part = (label: string, text: string) =>
    text.trim() === "" ? "" : `\n${label}:\n${text.length > 3000 ? `…${text.slice(-3000)}` : text}`;
  return part("Zeek stdout", stdout) + part("Zeek stderr", stderr);
}

/**
 * Awaits `step` (one socket receive or send), failing with Zeek's output when Zeek exits first or the socket's
 * own timeout (receiveTimeout/sendTimeout) passes.
 */
export async function whileZeekRuns<T>(
  zeek: Pick<ZeekNode, "exited" | "output">,
  what: string,
  step: Promise<T>,
): Promise<T> {
  const outcome = await Promise.race([
    step.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    ),
    zeek.exited.then((exit) => ({ exit })),
  ]);
  if ("value" in outcome) return outcome.value;
  const reason =
    "exit" in outcome
      ? `Zeek exited (code ${outcome.exit.code}, signal ${outcome.exit.signal})`
      : String((outcome.error as Error)?.message ?? outcome.error);
  throw new Error(`${what}: ${reason}${describeOutput(zeek.output())}`);
}

/** Socket options every test socket uses: drop everything on close, never wait longer than `timeoutMs`. */
export function socketOptions(timeoutMs: number) {
  return { linger: 0, receiveTimeout: timeoutMs, sendTimeout: timeoutMs } as const;
}

/** An XSubscriber connected to Zeek's proxy XPUB. */
export function connectSubscriber(zeek: ZeekManager, timeoutMs: number): XSubscriber {
  const socket = new XSubscriber(socketOptions(timeoutMs));
  socket.connect(zeek.xpubEndpoint);
  return socket;
}

/** An XPublisher connected to Zeek's proxy XSUB. */
export function connectPublisher(zeek: ZeekManager, timeoutMs: number): XPublisher {
  const socket = new XPublisher(socketOptions(timeoutMs));
  socket.connect(zeek.xsubEndpoint);
  return socket;
}
