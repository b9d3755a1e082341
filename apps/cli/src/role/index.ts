/**
 * The runtime of the role apps (`zmqc-manager`, `zmqc-worker`, `zmqc-logger`, `zmqc-broker`) and of `zmqc run`:
 * parse the command line, load the configuration, start the role's pieces, serve metrics, stop on a signal.
 *
 * @packageDocumentation
 */

import { formatConfig, loadConfig, type ResolvedConfig } from "@zmqc/config";
import { Command, Option } from "commander";
import { EXIT_USAGE, oneLine } from "../util/errors.js";
import { createRoleLog } from "./log.js";
import { type RoleName, type RoleSettings, startRole } from "./roles.js";
import { exitOnSignals } from "./signals.js";
import { startStatusServer } from "./status-server.js";

export type { RoleLog, RoleLogOptions } from "./log.js";
export { createRoleLog } from "./log.js";
export type { RoleName, RoleSettings, RoleStatus, RunningRole, SenderStatus } from "./roles.js";
export { startRole } from "./roles.js";

/** The variables the apps read themselves (loadConfig reports other unknown `ZMQC_*` variables). */
export const APP_ENV = [
  "ZMQC_LOG_DIR",
  "ZMQC_DEMO",
  "ZMQC_METRICS_PORT",
  "ZMQC_PRETTY",
  "ZMQC_MAX_MESSAGE_SIZE",
  "ZMQC_RECONNECT_HOLD_MS",
] as const;

const ROLE_SUMMARY: Record<RoleName, string> = {
  manager:
    "a cluster manager: runs the broker when runProxyThread (the default), and the logger when managerIsLogger",
  worker: "a cluster worker (or, with --type proxy, a proxy node)",
  proxy: "a cluster proxy node",
  logger: "a cluster logger: binds the log PULL socket and writes Zeek TSV/JSON log files",
  broker: "the standalone XSUB/XPUB broker (Zeek's supervisor-run proxy thread)",
};

/** A role's command: `--node`, `--config`, `--layout`, `--print-config` and the role's own flags. */
export function roleCommand(role: RoleName, name = `zmqc-${role}`): Command {
  const command = new Command(name)
    .description(`Run ${ROLE_SUMMARY[role]}.`)
    .option("-n, --node <name>", "this node's name in the layout (default: $ZMQC_NODE or $CLUSTER_NODE)")
    .option("-c, --config <file>", "a JSON or YAML configuration file (default: $ZMQC_CONFIG)")
    .option("-l, --layout <file>", "a JSON or YAML cluster layout (default: $ZMQC_LAYOUT)")
    .option("--print-config", "print the configuration in force, with where each value came from, and exit")
    .option("--json", "with --print-config: JSON instead of YAML")
    .option(
      "--metrics-port <port>",
      "serve /metrics, /healthz and /status here (default: the layout's metricsPort)",
    )
    .option("--pretty", "human-readable log lines (default when stdout is a TTY)")
    .addOption(
      new Option("--exit-with-stdin", "stop when stdin ends (how zmqc cluster up runs nodes)").hideHelp(),
    )
    .addHelpText(
      "after",
      `
Examples:
  $ ${name} --layout cluster.yaml --node ${role === "broker" ? "manager" : `${role}-1`}
  $ CLUSTER_NODE=${role}-1 ZMQC_LAYOUT=cluster.yaml ${name}
  $ ${name} --layout cluster.yaml --node ${role}-1 --print-config`,
    );
  // Every role accepts every role flag, so one command line can start any node (`cluster up` does); the help
  // shows the ones that matter for this role.
  const flag = (option: Option, relevant: boolean) =>
    command.addOption(relevant ? option : option.hideHelp());
  flag(
    new Option("--type <type>", "the node type to run as").choices(["worker", "proxy"]),
    role === "worker",
  );
  flag(
    new Option("--log-dir <dir>", "where the logger writes its files (default: $ZMQC_LOG_DIR or ./logs)"),
    role === "manager" || role === "logger",
  );
  flag(
    new Option("--broker-mode <mode>", "native (fastest) or managed (keeps Zeek's proxy statistics)").choices(
      ["native", "managed"],
    ),
    role === "manager" || role === "broker",
  );
  flag(
    new Option(
      "--max-message-size <bytes>",
      "the largest frame the broker and the logger accept; a peer sending more is cut off (default: $ZMQC_MAX_MESSAGE_SIZE or -1, no limit)",
    ),
    role === "manager" || role === "broker" || role === "logger",
  );
  flag(
    new Option(
      "--reconnect-hold-ms <ms>",
      "after a broker restart, how long events wait for their subscribers to come back before they are dropped and counted (default: $ZMQC_RECONNECT_HOLD_MS or 1000; 0 = Zeek's way, no hold)",
    ),
    role !== "broker",
  );
  flag(
    new Option("--demo", "send demo traffic (pings and conn logs)"),
    role === "manager" || role === "worker",
  );
  return command;
}

interface RoleFlags {
  node?: string;
  config?: string;
  layout?: string;
  printConfig?: boolean;
  json?: boolean;
  metricsPort?: string;
  pretty?: boolean;
  type?: "worker" | "proxy";
  logDir?: string;
  brokerMode?: "native" | "managed";
  maxMessageSize?: string;
  reconnectHoldMs?: string;
  demo?: boolean;
  exitWithStdin?: boolean;
}

/**
 * Runs a role until SIGINT/SIGTERM: the whole program of a role app. Exits 2 with one line on a bad command line
 * or configuration, 1 on an unexpected error, 0 after a clean stop.
 *
 * @example
 * ```ts
 * #!/usr/bin/env node
 * import { runRoleMain } from "@zmqc/cli/role";
 * await runRoleMain("worker", process.argv.slice(2));
 * ```
 */
export async function runRoleMain(
  role: RoleName,
  argv: readonly string[],
  name = `zmqc-${role}`,
): Promise<void> {
  const command = roleCommand(role, name).exitOverride((error) => {
    process.exit(error.exitCode === 0 ? 0 : EXIT_USAGE);
  });
  command.parse([...argv], { from: "user" });
  await runRole(role, command.opts<RoleFlags>(), name);
}

async function runRole(requested: RoleName, flags: RoleFlags, program: string): Promise<void> {
  const env = process.env;
  let config: ResolvedConfig;
  try {
    config = loadConfig({
      file: flags.config,
      layoutFile: flags.layout,
      node: flags.node,
      extraEnv: APP_ENV,
    });
  } catch (error) {
    return usageExit(program, error);
  }
  if (flags.printConfig) {
    process.stdout.write(formatConfig(config, flags.json ? "json" : "yaml"));
    return;
  }
  const role = requested === "worker" && flags.type === "proxy" ? "proxy" : requested;
  const spec = config.node?.spec;
  if (role !== "broker") {
    const problem =
      spec === undefined
        ? "a cluster node needs a layout (--layout or $ZMQC_LAYOUT) and its name in it (--node or $CLUSTER_NODE)"
        : spec.type !== role
          ? `node '${config.node?.name}' is a ${spec.type} in the layout, not a ${role}; run zmqc-${spec.type === "proxy" ? "worker --type proxy" : spec.type}`
          : undefined;
    if (problem) return usageExit(program, new Error(problem));
  }
  let metricsPort: number | undefined;
  let maxMessageSize: number | undefined;
  let reconnectHoldMs: number | undefined;
  try {
    metricsPort =
      wholeNumberFlag("--metrics-port", flags.metricsPort ?? env.ZMQC_METRICS_PORT, {
        max: 65_535,
        meaning: "a port number (0–65535)",
      }) ?? spec?.metricsPort;
    maxMessageSize = wholeNumberFlag(
      "--max-message-size",
      flags.maxMessageSize ?? env.ZMQC_MAX_MESSAGE_SIZE,
      {
        minusOne: true,
        meaning: "a size in bytes (or -1 for no limit)",
      },
    );
    reconnectHoldMs = wholeNumberFlag(
      "--reconnect-hold-ms",
      flags.reconnectHoldMs ?? env.ZMQC_RECONNECT_HOLD_MS,
      {
        max: 2 ** 31 - 1,
        meaning: "a whole number of ms (0 for no hold)",
      },
    );
  } catch (error) {
    return usageExit(program, error);
  }

  const pretty = flags.pretty ?? (env.ZMQC_PRETTY === undefined ? undefined : env.ZMQC_PRETTY === "1");
  const log = createRoleLog(
    { role, node: config.node?.name ?? role },
    pretty === undefined ? {} : { pretty },
  );
  for (const warning of config.warnings) log.warn(warning);
  const settings: RoleSettings = {
    logDir: flags.logDir ?? env.ZMQC_LOG_DIR ?? "logs",
    demo: flags.demo ?? env.ZMQC_DEMO === "1",
    ...(flags.brokerMode ? { brokerMode: flags.brokerMode } : {}),
    ...(maxMessageSize === undefined ? {} : { maxMessageSize }),
    ...(reconnectHoldMs === undefined ? {} : { reconnectHoldMs }),
  };
  const running = await startRole(role, config, log, settings).catch((error: unknown) => {
    log.fatal({ err: error }, oneLine(error));
    process.exit(1);
  });
  const server =
    metricsPort === undefined
      ? undefined
      : await startStatusServer(spec?.ip ?? "127.0.0.1", metricsPort, running).catch(
          async (error: unknown) => {
            log.fatal({ err: error }, `cannot serve metrics on port ${metricsPort}: ${oneLine(error)}`);
            await running.stop();
            process.exit(1);
          },
        );
  if (server) log.info({ port: server.port }, "serving /metrics, /healthz and /status");
  const stop = async () => {
    await running.stop();
    await server?.close();
  };
  // The last line says what this node did, so nothing it counted is lost with it.
  exitOnSignals(stop, log, () => ({ final: running.status() }));
  if (flags.exitWithStdin) {
    // The supervisor holds the other end: when it is gone, however it went, stop as on SIGTERM.
    process.stdin.on("end", () => process.kill(process.pid, "SIGTERM"));
    process.stdin.on("error", () => process.kill(process.pid, "SIGTERM"));
    process.stdin.resume();
  }
  running.failed.then(async (error) => {
    log.fatal({ err: error }, error.message);
    await stop();
    process.exit(1);
  });
}

function usageExit(program: string, error: unknown): never {
  process.stderr.write(`${program}: ${oneLine(error)}\n`);
  process.exit(EXIT_USAGE);
}

/**
 * A flag (or its variable) that takes a whole number: digits only (and -1 where `minusOne`), up to `max`. Number()
 * alone would take "" as 0 and "1e3" or "0x3e8" too. Undefined when unset.
 *
 * @throws Error naming the flag, for text that is not such a number.
 */
function wholeNumberFlag(
  flag: string,
  text: string | undefined,
  rule: { readonly max?: number; readonly minusOne?: boolean; readonly meaning: string },
): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  const digits = rule.minusOne ? /^(-1|\d+)$/ : /^\d+$/;
  if (digits.test(text) && Number.isSafeInteger(value) && value <= (rule.max ?? Number.MAX_SAFE_INTEGER))
    return value;
  throw new Error(`${flag}: '${text}' is not ${rule.meaning}`);
}
