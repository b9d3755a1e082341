/**
 * The live view of `zmqc cluster up`: a table redrawn every second on a terminal, plain lines otherwise (one per
 * change, and a summary every ten seconds).
 */
import type { Writable } from "node:stream";
import type { RoleStatus } from "../role/roles.js";
import type { NodeProcess, Supervisor, SupervisorEvent } from "./supervisor.js";

/** Options of {@link ClusterView}. */
export interface ClusterViewOptions {
  readonly out: Writable;
  /** Redraw a table (a terminal) or print lines. */
  readonly live: boolean;
  readonly logDir: string;
  readonly runDir: string;
  /** How often a line-mode summary is printed (ms). Default 10 000; 0 = never. */
  readonly summaryEveryMs?: number;
}

/** Counters summed across a node's status. */
export interface NodeFigures {
  readonly events: number;
  readonly drops: number;
  readonly logRecords: number;
}

const NODE_DROPS = [
  "xpubDrops",
  "onloopDrops",
  "publishQueueDrops",
  "closeDrops",
  "reconnectDrops",
  "handlerQueueDrops",
  "msgErrors",
  "formatErrors",
  "decodeErrors",
  "typeErrors",
] as const;

/** Events in and out, every counted drop, and log records (written by a logger, sent by any other node). */
export function figuresOf(status: RoleStatus | undefined): NodeFigures {
  if (status === undefined) return { events: 0, drops: 0, logRecords: 0 };
  const node = status.node ?? {};
  const events = (node.eventsPublished ?? 0) + (node.eventsReceived ?? 0);
  let drops = NODE_DROPS.reduce((sum, key) => sum + (node[key] ?? 0), 0);
  drops += status.sender?.recordsDropped ?? 0;
  const logger = status.logger as
    | { recordsWritten?: number; msgErrors?: number; decodeErrors?: number }
    | undefined;
  drops += (logger?.msgErrors ?? 0) + (logger?.decodeErrors ?? 0);
  const logRecords = logger?.recordsWritten ?? status.sender?.recordsSent ?? 0;
  return { events, drops, logRecords };
}

/** Renders the supervisor's cluster. */
export class ClusterView {
  private readonly rates = new Map<string, { at: number; events: number; rate: number }>();
  private timer: NodeJS.Timeout | undefined;
  private lastSummary = performance.now();
  private stopping = false;

  constructor(
    private readonly supervisor: () => Supervisor | undefined,
    private readonly options: ClusterViewOptions,
  ) {
    this.timer = setInterval(() => this.tick(), 1000);
  }

  /** Reports one supervisor event. */
  event(event: SupervisorEvent): void {
    if (event.type === "stopping") this.stopping = true;
    if (this.options.live && !this.stopping && event.type !== "exited") {
      this.draw();
      return;
    }
    const line = describe(event);
    if (line) this.options.out.write(`${line}\n`);
  }

  /** Stops redrawing. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private tick(): void {
    const supervisor = this.supervisor();
    if (!supervisor) return;
    const now = performance.now();
    for (const proc of supervisor.processes) {
      const { events } = figuresOf(proc.status);
      const last = this.rates.get(proc.node.name);
      const rate = last && now > last.at ? ((events - last.events) * 1000) / (now - last.at) : 0;
      this.rates.set(proc.node.name, { at: now, events, rate });
    }
    if (this.stopping) return;
    if (this.options.live) {
      this.draw();
      return;
    }
    const every = this.options.summaryEveryMs ?? 10_000;
    if (every > 0 && now - this.lastSummary >= every) {
      this.lastSummary = now;
      this.options.out.write(`${this.summary(supervisor)}\n`);
    }
  }

  private summary(supervisor: Supervisor): string {
    const parts = supervisor.processes.map((proc) => {
      const { drops, logRecords } = figuresOf(proc.status);
      const rate = this.rates.get(proc.node.name)?.rate ?? 0;
      return `${proc.node.name} ${stateOf(proc)} ${rate.toFixed(0)} ev/s ${drops} drops ${logRecords} log records`;
    });
    return `status: ${parts.join(" | ")}`;
  }

  private draw(): void {
    const supervisor = this.supervisor();
    if (!supervisor) return;
    const rows = supervisor.processes.map((proc) => {
      const { drops, logRecords } = figuresOf(proc.status);
      const rate = this.rates.get(proc.node.name)?.rate ?? 0;
      return [
        proc.node.name,
        proc.node.type,
        stateOf(proc),
        String(proc.child.pid ?? "-"),
        rate.toFixed(1),
        String(drops),
        String(logRecords),
      ];
    });
    const header = ["NODE", "TYPE", "STATE", "PID", "EVENTS/S", "DROPS", "LOG RECORDS"];
    const widths = header.map((title, i) =>
      Math.max(title.length, ...rows.map((row) => (row[i] as string).length)),
    );
    const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] as number)).join("  ");
    const up = supervisor.processes.filter((proc) => proc.up).length;
    const text = [
      `zmqc cluster: ${up}/${supervisor.processes.length} nodes up${supervisor.allUp() ? " (all nodes up)" : ""}. Ctrl-C stops it.`,
      "",
      line(header),
      ...rows.map(line),
      "",
      `logs: ${this.options.logDir}   node output: ${this.options.runDir}/<node>.log   metrics: http://<ip>:<metricsPort>/metrics`,
    ];
    this.options.out.write(`\x1b[H\x1b[2J${text.join("\n")}\n`);
  }
}

function stateOf(proc: NodeProcess): string {
  if (proc.exitCode !== undefined) return proc.stopping ? "stopped" : `crashed(${proc.exitCode ?? "signal"})`;
  if (proc.stopping) return "stopping";
  if (proc.up) return "up";
  return proc.status?.joined ? "joined" : "starting";
}

function describe(event: SupervisorEvent): string | undefined {
  switch (event.type) {
    case "started":
      return `started ${event.name} (pid ${event.pid})`;
    case "joined":
      return `${event.name} is up and sees every other node`;
    case "all-up":
      return `all nodes up (${event.nodes} nodes, ${(event.afterMs / 1000).toFixed(1)} s)`;
    case "stopping":
      return `stopping ${event.names.join(", ")}`;
    case "killed":
      return `${event.name} did not stop in time: killed`;
    case "exited": {
      const how = event.signal ? `signal ${event.signal}` : `exit ${event.code}`;
      return event.expected ? `${event.name} stopped (${how})` : `${event.name} exited unexpectedly (${how})`;
    }
  }
}
