#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { ConfigError, NODE_TYPES } from "@zmqc/config";
/**
 * `zmqc`: run a Zeek-compatible ZeroMQ cluster locally, operate it, and talk to it.
 */
import { Command, Option } from "commander";
import { type BrokerFlags, publishCommand, subscribeCommand } from "./commands/client.js";
import { clusterStatus } from "./commands/cluster-status.js";
import { clusterUp } from "./commands/cluster-up.js";
import { DecodeInputError, decodeCommand } from "./commands/decode.js";
import { keygenCommand } from "./commands/keygen.js";
import { type RoleName, runRoleMain } from "./role/index.js";
import { EXIT_USAGE, oneLine } from "./util/errors.js";
import { ValueSyntaxError } from "./util/parse-value.js";

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
    .option("--status-every <seconds>", "in plain-line mode, a status line this often (0 = never)", "10")
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
        statusEvery: string;
      }) => {
        const live = flags.live && process.stdout.isTTY === true;
        process.exitCode = await clusterUp({ ...flags, live });
      },
    );

  cluster
    .command("status")
    .description("ask every node of a layout for its /status (needs metricsPort in the layout)")
    .option("-l, --layout <file>", "the cluster layout")
    .option("-c, --config <file>", "a configuration file (zmqc cluster up writes .zmqc/cluster.json)")
    .option("--json", "the nodes' full status as JSON")
    .addHelpText("after", "\nExamples:\n  $ zmqc cluster status --config .zmqc/cluster.json")
    .action(async (flags: { layout?: string; config?: string; json?: boolean }) => {
      process.exitCode = await clusterStatus(flags, (text) => process.stdout.write(text));
    });

  zmqc
    .command("run")
    .description(`run one node in the foreground: ${ROLES.join(", ")} (see zmqc run <role> --help)`)
    .argument("<role>")
    .allowUnknownOption(true)
    .allowExcessArguments(true);
  zmqc.command("broker").description("run the standalone broker (same as zmqc run broker; see --help)");
  zmqc.command("logger").description("run a logger node (same as zmqc run logger; see --help)");

  zmqc
    .command("keygen")
    .description("make a CURVE key pair (Z85), like Zeek's generate_keypair()")
    .addOption(
      new Option("--format <format>", "output format").choices(["yaml", "env", "json"]).default("yaml"),
    )
    .action((flags: { format: "yaml" | "env" | "json" }) => {
      process.stdout.write(keygenCommand(flags.format));
    });

  const broker = (command: Command) =>
    command
      .option("-c, --config <file>", "a configuration file with the broker endpoints (default: $ZMQC_CONFIG)")
      .option(
        "--xsub <endpoint>",
        "the broker's XPUB, where this client's XSUB connects (connectXsubEndpoint)",
      )
      .option(
        "--xpub <endpoint>",
        "the broker's XSUB, where this client's XPUB connects (connectXpubEndpoint)",
      )
      .option("--timeout <seconds>", "how long to wait for the broker", "10");
  broker(
    zmqc
      .command("publish")
      .description("publish one event as a client (broker-bin-v1 unless configured otherwise)")
      .argument("<topic>", "the topic, e.g. zeek.cluster.worker or zeek.cluster.node.worker-1.")
      .argument("<event>", "the event name, e.g. Demo::ping")
      .argument(
        "[args...]",
        "arguments: 5 count, -5 int, 1.5 double, T/F bool, 10.0.0.1 addr, 80/tcp port, or type:value",
      ),
  )
    .addHelpText(
      "after",
      `
Argument types: count:N int:N double:X bool:T|F string:S addr:A subnet:A/N port:N/tcp time:EPOCH interval:SECS enum:NAME

Examples:
  $ zmqc publish --config .zmqc/cluster.json zeek.cluster.node.manager. Demo::ping worker-1 count:7
  $ zmqc publish --xsub tcp://127.0.0.1:5555 --xpub tcp://127.0.0.1:5556 zeek.cluster.worker My::event 1.2.3.4 80/tcp`,
    )
    .action(async (topic: string, event: string, args: string[], flags: BrokerFlags) => {
      await publishCommand(topic, event, args, flags);
    });
  broker(
    zmqc
      .command("subscribe")
      .description("print every event published under the prefixes, decoded, until Ctrl-C")
      .argument("<prefix...>", "topic prefixes, e.g. zeek.cluster.")
      .option("--count <n>", "exit after n events"),
  )
    .addHelpText("after", "\nExamples:\n  $ zmqc subscribe --config .zmqc/cluster.json zeek.cluster.node.")
    .action(async (prefixes: string[], flags: BrokerFlags & { count?: string }) => {
      await subscribeCommand(prefixes, flags);
    });

  zmqc
    .command("decode")
    .description(
      "decode frames or a payload for people: hex arguments (one per frame), - for stdin, or --file",
    )
    .argument("[hex...]", "one payload, or the 4 frames of a message (topic, sender, format, payload)")
    .option("-f, --file <path>", "a file holding one raw payload")
    .option("--format <format>", "the payload format (default: try each)")
    .addHelpText(
      "after",
      `
Examples:
  $ zmqc decode 0e03 1f01 1f01 0e03 …                # a broker-bin-v1 payload
  $ zmqc decode 7a65656b2e636c7573746572 … 6272…   # 4 frames: topic, sender, format, payload
  $ zmqc decode --file batch.bin --format zeek-bin-serializer`,
    )
    .action((hex: string[], flags: { file?: string; format?: string }) => {
      const text = decodeCommand({ hex, ...flags }, () => readFileSync(0, "utf8"));
      process.stdout.write(`${text}\n`);
    });
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
  try {
    await program().parseAsync(argv, { from: "user" });
  } catch (error) {
    // One line and, where there is one, the fix; usage errors exit 2, failures at run time 1.
    const usage =
      ConfigError.isConfigError(error) ||
      error instanceof DecodeInputError ||
      error instanceof ValueSyntaxError;
    const hint = usage ? " (see zmqc <command> --help)" : "";
    process.stderr.write(`zmqc: ${oneLine(error)}${hint}\n`);
    process.exitCode = usage ? EXIT_USAGE : 1;
  }
}
