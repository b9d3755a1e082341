import { z } from "zod";
import { configFileSchema } from "./load.js";
import { backendOptionSpecs } from "./options/index.js";

/**
 * The JSON Schema of a configuration file, for editors: reference it from a YAML file with
 * `# yaml-language-server: $schema=node_modules/@zmqc/config/zmqc.schema.json`, or from JSON with `"$schema"`.
 */
export function configJsonSchema(): Record<string, unknown> {
  // io "input": what a user may write (durations also as strings), not what loadConfig returns.
  const schema = z.toJSONSchema(configFileSchema, { io: "input", unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  // zod leaves out the default of options whose input differs from their output (durations); editors want it.
  const properties = schema.properties as Record<string, Record<string, unknown>>;
  for (const [name, spec] of Object.entries(backendOptionSpecs)) {
    const property = properties[name];
    if (property) property.default = spec.default;
  }
  return { ...schema, title: "zmqc configuration" };
}
