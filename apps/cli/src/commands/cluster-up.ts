import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadConfig, type ResolvedConfig } from "@zmqc/config";
import { defaultClusterConfig } from "../cluster/default-layout.js";
import { freePorts } from "../cluster/free-ports.js";
import { type SupervisedNode, Supervisor } from "../cluster/supervisor.js";
import { ClusterView } from "../cluster/view.js";
import { APP_ENV } from "../role/index.js";
import { EXIT_USAGE, oneLine } from "../util/errors.js";

/** Flags of `zmqc cluster up`. */
export interface ClusterUpFlags {
  readonly layout?: string;
  readonly config?: string;
  readonly demo?: boolean;
  readonly logDir: string;
  readonly runDir: string;
  /** A redrawn table (default: when stdout is a TTY) or plain lines. */
  readonly live?: boolean;
  /** Plain-line mode: seconds between status lines (default 10; 0 = never). */
  readonly statusEvery?: string;
}

/**
 * `zmqc cluster up`: runs every node of the layout (the embedded default when none is given) as its own process
 * until SIGINT/SIGTERM, then stops them in order. Resolves with the exit status.
 */
export async function clusterUp(flags: ClusterUpFlags): Promise<number> {
  const runDir = resolve(flags.runDir);
  const logDir = resolve(flags.logDir);
  const sharedArgs: string[] = ["--log-dir", logDir];
  const statusEvery = Number(flags.statusEvery ?? 10);
  if (!(Number.isFinite(statusEvery) && statusEvery >= 0)) {
    process.stderr.write(
      `zmqc cluster up: --status-every: '${flags.statusEvery}' is not a number of seconds\n`,
    );
    return EXIT_USAGE;
  }
  let config: ResolvedConfig;
  try {
    if (flags.layout === undefined && flags.config === undefined) {
      const file = join(runDir, "cluster.json");
      const input = await defaultClusterConfig();
      config = loadConfig({ overrides: input, env: {} });
      mkdirSync(runDir, { recursive: true });
      writeFileSync(file, `${JSON.stringify(input, null, 2)}\n`);
      sharedArgs.push("--config", file);
    } else {
      config = loadConfig({ file: flags.config, layoutFile: flags.layout, extraEnv: APP_ENV });
      if (flags.config) sharedArgs.push("--config", resolve(flags.config));
      if (flags.layout) sharedArgs.push("--layout", resolve(flags.layout));
    }
  } catch (error) {
    process.stderr.write(`zmqc cluster up: ${oneLine(error)}\n`);
    return EXIT_USAGE;
  }
  if (config.cluster === undefined) {
    process.stderr.write("zmqc cluster up: the configuration has no cluster layout; pass --layout <file>\n");
    return EXIT_USAGE;
  }
  if (flags.demo) sharedArgs.push("--demo");
  const specs = Object.entries(config.cluster.nodes);
  const spare = await freePorts(specs.filter(([, spec]) => spec.metricsPort === undefined).length);
  const nodes: SupervisedNode[] = specs.map(([name, spec]) => ({
    name,
    type: spec.type,
    ip: spec.ip,
    metricsPort: spec.metricsPort ?? (spare.shift() as number),
  }));

  let supervisor: Supervisor | undefined;
  const view = new ClusterView(() => supervisor, {
    out: process.stdout,
    live: flags.live ?? process.stdout.isTTY === true,
    logDir,
    runDir,
    summaryEveryMs: Number(flags.statusEvery ?? 10) * 1000,
  });
  supervisor = Supervisor.start({ nodes, sharedArgs, runDir, onEvent: (event) => view.event(event) });
  const running = supervisor;
  return new Promise<number>((resolveExit) => {
    let signals = 0;
    const onSignal = () => {
      signals++;
      if (signals > 1) {
        process.stdout.write("second signal: killing every node\n");
        running.kill();
        view.close();
        resolveExit(130);
        return;
      }
      running.stop().then((clean) => {
        view.close();
        process.stdout.write(
          clean ? "cluster stopped\n" : "cluster stopped, not every node exited cleanly\n",
        );
        resolveExit(clean ? 0 : 1);
      });
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}
