/**
 * Runs every node of a layout as its own process (like zeekctl), watches them through their `/status` endpoints,
 * and stops them in an order that truncates nothing: workers and proxies, then the manager, loggers last, each
 * group only after the one before has exited.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import type { NodeType } from "@zmqc/config";
import { type RoleStatus, upEverywhere } from "../role/roles.js";

/** One node to run. */
export interface SupervisedNode {
  readonly name: string;
  readonly type: NodeType;
  /** Where its `/status` is served (the layout's, or one the supervisor chose). */
  readonly ip: string;
  readonly metricsPort: number;
}

/** How to start the nodes. */
export interface SupervisorOptions {
  readonly nodes: readonly SupervisedNode[];
  /** Arguments every node gets (`--config`, `--layout`, `--log-dir`, `--demo`). */
  readonly sharedArgs: readonly string[];
  /** Where each node's output goes, as `<runDir>/<name>.log`. */
  readonly runDir: string;
  /** The `zmqc` entry script and the Node flags to run it with (default: this process's). */
  readonly entry?: string;
  readonly execArgv?: readonly string[];
  /** How long a node may take to stop before it is killed (ms). Default 20 000. */
  readonly stopTimeoutMs?: number;
  readonly onEvent?: (event: SupervisorEvent) => void;
}

/** What happens to the cluster, for the live view. */
export type SupervisorEvent =
  | { readonly type: "started"; readonly name: string; readonly pid: number }
  | { readonly type: "joined"; readonly name: string }
  | { readonly type: "all-up"; readonly nodes: number; readonly afterMs: number }
  | {
      readonly type: "exited";
      readonly name: string;
      readonly code: number | null;
      readonly signal: string | null;
      readonly expected: boolean;
    }
  | { readonly type: "stopping"; readonly names: readonly string[] }
  | { readonly type: "killed"; readonly name: string };

/** A node's process and what was last seen of it. */
export interface NodeProcess {
  readonly node: SupervisedNode;
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exitCode: number | null | undefined;
  stopping: boolean;
  status: RoleStatus | undefined;
  /** Whether the node's status says it has joined and sees every other node of the layout up. */
  up: boolean;
}

/** The order of an orderly stop (zeek#4755: loggers last, so nothing the others wrote is cut off). */
export const STOP_ORDER: readonly (readonly NodeType[])[] = [["worker", "proxy"], ["manager"], ["logger"]];

const POLL_INTERVAL_MS = 500;

/** A running cluster of processes. */
export class Supervisor {
  readonly processes: NodeProcess[] = [];
  private readonly startedAt = performance.now();
  private poller: NodeJS.Timeout | undefined;
  private allUpSeen = false;
  private stopped: Promise<boolean> | undefined;

  private constructor(private readonly options: SupervisorOptions) {}

  /** Spawns every node (loggers first, then the manager, proxies and workers, as zeekctl starts them). */
  static start(options: SupervisorOptions): Supervisor {
    const supervisor = new Supervisor(options);
    mkdirSync(options.runDir, { recursive: true });
    const startOrder: NodeType[] = ["logger", "manager", "proxy", "worker"];
    const nodes = [...options.nodes].sort((a, b) => startOrder.indexOf(a.type) - startOrder.indexOf(b.type));
    for (const node of nodes) supervisor.spawnNode(node);
    supervisor.poller = setInterval(() => void supervisor.poll(), POLL_INTERVAL_MS);
    return supervisor;
  }

  /** Whether every node has joined and sees every other one up. */
  allUp(): boolean {
    return this.processes.every((proc) => proc.up);
  }

  /** Stops every node in {@link STOP_ORDER}; resolves true when all of them exited 0. Idempotent. */
  stop(): Promise<boolean> {
    this.stopped ??= this.stopInOrder();
    return this.stopped;
  }

  /** Kills every node at once (a second Ctrl-C). */
  kill(): void {
    for (const proc of this.processes) if (proc.exitCode === undefined) proc.child.kill("SIGKILL");
  }

  private spawnNode(node: SupervisedNode): void {
    const role = node.type;
    const args = [
      ...portableExecArgv(this.options.execArgv ?? process.execArgv),
      this.options.entry ?? (process.argv[1] as string),
      "run",
      role,
      "--node",
      node.name,
      "--metrics-port",
      String(node.metricsPort),
      "--exit-with-stdin",
      ...this.options.sharedArgs,
    ];
    const output = openSync(join(this.options.runDir, `${node.name}.log`), "a");
    // Its own process group: a Ctrl-C at the terminal reaches only the supervisor, which stops nodes in order.
    // The stdin pipe ends when the supervisor dies, however it dies, and the node then stops too.
    const child = spawn(process.execPath, args, {
      stdio: ["pipe", output, output],
      detached: true,
      env: { ...process.env, ZMQC_PRETTY: "0" },
    });
    closeSync(output);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once("exit", (code, signal) => resolve({ code, signal }));
    });
    const proc: NodeProcess = {
      node,
      child,
      exited,
      exitCode: undefined,
      stopping: false,
      status: undefined,
      up: false,
    };
    this.processes.push(proc);
    child.once("error", () => {}); // reported through "exit"
    void exited.then(({ code, signal }) => {
      proc.exitCode = code;
      proc.up = false;
      this.emit({ type: "exited", name: node.name, code, signal, expected: proc.stopping });
    });
    this.emit({ type: "started", name: node.name, pid: child.pid ?? -1 });
  }

  private async poll(): Promise<void> {
    await Promise.all(
      this.processes.map(async (proc) => {
        if (proc.exitCode !== undefined) return;
        const status = await fetchStatus(proc.node);
        if (status === undefined) return;
        proc.status = status;
        const wasUp = proc.up;
        proc.up = upEverywhere(status);
        if (proc.up && !wasUp) this.emit({ type: "joined", name: proc.node.name });
      }),
    );
    if (!this.allUpSeen && this.allUp()) {
      this.allUpSeen = true;
      this.emit({
        type: "all-up",
        nodes: this.processes.length,
        afterMs: Math.round(performance.now() - this.startedAt),
      });
    }
  }

  private async stopInOrder(): Promise<boolean> {
    if (this.poller) clearInterval(this.poller);
    let clean = true;
    const timeoutMs = this.options.stopTimeoutMs ?? 20_000;
    const groups = [...STOP_ORDER, ["worker", "proxy", "manager", "logger"] as NodeType[]];
    for (const types of groups) {
      const group = this.processes.filter((proc) => types.includes(proc.node.type) && !proc.stopping);
      if (group.length === 0) continue;
      this.emit({ type: "stopping", names: group.map((proc) => proc.node.name) });
      const results = await Promise.all(group.map((proc) => this.stopOne(proc, timeoutMs)));
      if (results.includes(false)) clean = false;
    }
    return clean;
  }

  private async stopOne(proc: NodeProcess, timeoutMs: number): Promise<boolean> {
    proc.stopping = true;
    if (proc.exitCode !== undefined) return proc.exitCode === 0;
    proc.child.kill("SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    const result = await Promise.race([proc.exited, timedOut]);
    clearTimeout(timer);
    if (result === "timeout") {
      this.emit({ type: "killed", name: proc.node.name });
      proc.child.kill("SIGKILL");
      await proc.exited;
      return false;
    }
    return result.code === 0;
  }

  private emit(event: SupervisorEvent): void {
    this.options.onEvent?.(event);
  }
}

/**
 * Node flags for a child that may run elsewhere: `--import tsx` (running from source) resolves from the working
 * directory, so bare specifiers are made absolute where this process can resolve them.
 */
export function portableExecArgv(execArgv: readonly string[]): string[] {
  return execArgv.map((arg, i) => {
    const previous = execArgv[i - 1];
    const value = previous === "--import" || previous === "--loader" ? arg : undefined;
    if (value === undefined || value.startsWith(".") || value.startsWith("/") || value.includes(":"))
      return arg;
    try {
      return import.meta.resolve(value);
    } catch {
      return arg;
    }
  });
}

async function fetchStatus(node: SupervisedNode): Promise<RoleStatus | undefined> {
  try {
    const host = node.ip.includes(":") ? `[${node.ip}]` : node.ip;
    const response = await fetch(`http://${host}:${node.metricsPort}/status`, {
      signal: AbortSignal.timeout(2000),
    });
    if (!response.ok) return undefined;
    return (await response.json()) as RoleStatus;
  } catch {
    return undefined; // not listening yet, or busy: asked again next round
  }
}
