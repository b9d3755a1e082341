// Prints the zmqc configuration in force, with secrets redacted and the origin of every value that is not
// Zeek's default. Run it from the repository root:
//
//   pnpm start                                                  # Zeek's defaults
//   pnpm start --layout packages/config/examples/cluster.yaml --node worker-1
//   ZMQC_XPUB_SNDHWM=0 pnpm start --json
//
// Exit status 2 and one line per problem when the configuration is invalid.
import { parseArgs } from "node:util";
import { ConfigError, formatConfig, loadConfig } from "@zmqc/config";

// `pnpm start -- --node x` passes the "--" through; drop it.
const args = process.argv.slice(2).filter((arg, index) => !(index === 0 && arg === "--"));
const { values } = parseArgs({
  args,
  options: {
    config: { type: "string", short: "c" },
    layout: { type: "string", short: "l" },
    node: { type: "string", short: "n" },
    json: { type: "boolean", default: false },
  },
});

try {
  const config = loadConfig({ file: values.config, layoutFile: values.layout, node: values.node });
  process.stdout.write(formatConfig(config, values.json ? "json" : "yaml"));
  for (const warning of config.warnings) process.stderr.write(`warning: ${warning}\n`);
} catch (error) {
  if (!ConfigError.isConfigError(error)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 2;
}
