import { loadConfig } from "@zmqc/config";
import { figuresOf } from "../cluster/view.js";
import { APP_ENV } from "../role/index.js";
import { type RoleStatus, upEverywhere } from "../role/roles.js";

/** One node's answer to `/status`, or why there is none. */
export interface NodeReport {
  readonly name: string;
  readonly endpoint: string | undefined;
  readonly status?: RoleStatus;
  readonly problem?: string;
}

/**
 * `zmqc cluster status`: asks every node of the layout with a metricsPort for its `/status` and prints one line
 * each. Resolves with the exit status: 0 when every node answered and sees every other one up, 1 otherwise.
 */
export async function clusterStatus(
  flags: { config?: string; layout?: string; json?: boolean },
  out: (text: string) => void,
): Promise<number> {
  const config = loadConfig({ file: flags.config, layoutFile: flags.layout, extraEnv: APP_ENV });
  if (config.cluster === undefined)
    throw new Error("no cluster layout: pass --layout <file> or --config <file>");
  const reports = await Promise.all(
    Object.entries(config.cluster.nodes).map(async ([name, spec]): Promise<NodeReport> => {
      if (spec.metricsPort === undefined)
        return { name, endpoint: undefined, problem: "no metricsPort in the layout" };
      const host = spec.ip.includes(":") ? `[${spec.ip}]` : spec.ip;
      const endpoint = `http://${host}:${spec.metricsPort}`;
      try {
        const response = await fetch(`${endpoint}/status`, { signal: AbortSignal.timeout(3000) });
        if (!response.ok) return { name, endpoint, problem: `HTTP ${response.status}` };
        return { name, endpoint, status: (await response.json()) as RoleStatus };
      } catch (error) {
        return {
          name,
          endpoint,
          problem: `not answering (${(error as Error).cause ?? (error as Error).message})`,
        };
      }
    }),
  );
  const healthy = (report: NodeReport) => report.status !== undefined && upEverywhere(report.status);
  if (flags.json) out(`${JSON.stringify(reports, null, 2)}\n`);
  else {
    for (const report of reports) {
      if (report.status === undefined) {
        out(`${report.name}: ${report.problem}\n`);
        continue;
      }
      const { status } = report;
      const down = status.members.filter((m) => !m.self && !m.up).map((m) => m.name);
      const { events, drops, logRecords } = figuresOf(status);
      const view = down.length === 0 ? "sees every node up" : `waiting for ${down.join(", ")}`;
      out(
        `${report.name}: ${status.role}, pid ${status.pid}, ${status.joined ? "joined" : "joining"}, ${view}; ${events} events, ${drops} drops, ${logRecords} log records\n`,
      );
    }
  }
  return reports.every(healthy) ? 0 : 1;
}
