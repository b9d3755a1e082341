import { Document, isMap, isScalar, type Scalar } from "yaml";
import type { ResolvedConfig } from "./load.js";
import { type BackendOptionName, type BackendOptions, SECRET_OPTIONS } from "./options/index.js";

/** What a redacted secret is shown as. */
export const REDACTED = "<redacted>";

/** A copy of the options with every CURVE key that is set replaced by `<redacted>`. */
export function redactOptions(options: BackendOptions): BackendOptions {
  const copy: Record<string, unknown> = { ...options };
  for (const name of SECRET_OPTIONS) if (copy[name]) copy[name] = REDACTED;
  return copy as BackendOptions;
}

/** The configuration as a plain object with secrets redacted: safe to log or print. */
export function printableConfig(config: ResolvedConfig) {
  return {
    node: config.node?.name ?? null,
    ...(config.node?.spec ? { nodeSpec: config.node.spec } : {}),
    options: redactOptions(config.options),
    ...(config.cluster
      ? {
          cluster: {
            managerIsLogger: config.cluster.managerIsLogger,
            nodes: config.cluster.nodes,
          },
        }
      : {}),
    ...(config.warnings.length > 0 ? { warnings: config.warnings } : {}),
  };
}

/**
 * Renders the configuration in force, secrets redacted. As YAML (the default) each value that is not a
 * default carries a comment saying where it came from (`# env ZMQC_XPUB_SNDHWM`); JSON adds a `sources` map.
 */
export function formatConfig(config: ResolvedConfig, format: "yaml" | "json" = "yaml"): string {
  const printable = printableConfig(config);
  if (format === "json") return `${JSON.stringify({ ...printable, origins: config.origins }, null, 2)}\n`;
  const document = new Document(printable, { aliasDuplicateObjects: false });
  const options = document.get("options", true);
  if (isMap(options)) {
    for (const pair of options.items) {
      const key = isScalar(pair.key) ? (pair.key.value as BackendOptionName) : undefined;
      const origin = key ? config.origins[key] : undefined;
      if (origin === undefined || !pair.value || typeof pair.value !== "object") continue;
      // A scalar gets its origin at the end of its line; a list gets it on the line above its items.
      if (isScalar(pair.value)) (pair.value as Scalar).comment = ` ${origin}`;
      else (pair.value as { commentBefore?: string }).commentBefore = ` ${origin}`;
    }
  }
  return document.toString({ lineWidth: 0 });
}
