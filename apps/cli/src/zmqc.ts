#!/usr/bin/env node
import { NODE_TYPES } from "@zmqc/config";
/**
 * `zmqc`: run a Zeek-compatible ZeroMQ cluster locally, operate it, and talk to it.
 */
import { Command, Option } from "commander";
import { clusterUp } from "./commands/cluster-up.js";
import { type RoleName, runRoleMain } from "./role/index.js";
import { EXIT_USAGE } from "./util/errors.js";

const ROLES: readonly RoleName[] = [...NODE_TYPES, "broker"];

function program(): Command {
  const zmqc = new Command("zmqc")
    .description("ZeroMQ cluster messaging, wire-compatible with Zeek's ZeroMQ cluster backend.")
    .showSuggestionAfterError(true)
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : EXIT_USAGE));

  const cluster = zmqc.command("cluster").description("run and inspect a whole cluster");
  cluster
    .command("up")
    .description("run every node of a layout as its own process until Ctrl-C, then stop them in order")
    .option("-l, --layout <file>", "a cluster layout (default: the embedded five-node cluster on free ports)")
    .option("-c, --config <file>", "a configuration file with options and/or the layout")
    .option("--demo", "workers ping the manager and write conn logs, so there is traffic to see")
    .option("--log-dir <dir>", "where loggers write their files", "logs")
    .option("--run-dir <dir>", "where each node's output and the generated configuration go", ".zmqc")
    .addOption(new Option("--no-live", "print plain lines instead of a redrawn table"))
    .addHelpText(
      "after",
      `
Stop order: workers and proxies, then the manager, loggers last, each after the ones before have exited.

Examples:
  $ zmqc cluster up --demo                       # the default cluster with traffic; logs in ./logs
  $ zmqc cluster up --layout cluster.yaml         # your layout (zeekctl node.cfg as YAML or JSON)`,
    )
    .action(
      async (flags: {
        layout?: string;
        config?: string;
        demo?: boolean;
        logDir: string;
        runDir: string;
        live: boolean;
      }) => {
        const live = flags.live && process.stdout.isTTY === true;
        process.exitCode = await clusterUp({ ...flags, live });
      },
    );

  zmqc
    .command("run")
    .description(`run one node in the foreground: ${ROLES.join(", ")} (see zmqc run <role> --help)`)
    .argument("<role>")
    .allowUnknownOption(true)
    .allowExcessArguments(true);
  return zmqc;
}

const argv = process.argv.slice(2);
if (argv[0] === "run" && argv[1] !== undefined && !argv[1].startsWith("-")) {
  const role = argv[1] as RoleName;
  if (!ROLES.includes(role)) {
    process.stderr.write(`zmqc run: unknown role '${role}'; use one of ${ROLES.join(", ")}\n`);
    process.exit(EXIT_USAGE);
  }
  await runRoleMain(role, argv.slice(2), `zmqc run ${role}`);
} else if (argv[0] === "broker" || argv[0] === "logger") {
  await runRoleMain(argv[0], argv.slice(1), `zmqc ${argv[0]}`);
} else {
  await program().parseAsync(argv, { from: "user" });
}
