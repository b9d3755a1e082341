import { readFileSync } from "node:fs";
import { backendOptionSpecs, configJsonSchema, loadConfig } from "@zmqc/config";
import { describe, expect, it } from "vitest";
import { writeTempFile } from "../test/helpers.js";

describe("configJsonSchema", () => {
  const schema = configJsonSchema() as {
    properties: Record<string, { description?: string; default?: unknown }>;
  };

  it("describes every option with Zeek's name and default", () => {
    for (const [name, spec] of Object.entries(backendOptionSpecs)) {
      expect(schema.properties[name]?.description, name).toContain(spec.zeek);
      expect(schema.properties[name]?.default, name).toEqual(spec.default);
    }
    expect(schema.properties.cluster).toBeDefined();
  });

  it("matches the committed zmqc.schema.json (run `pnpm --filter @zmqc/config schema` after changing options)", () => {
    const committed = JSON.parse(readFileSync(new URL("../zmqc.schema.json", import.meta.url), "utf8"));
    expect(committed).toEqual(schema);
  });

  it("a file that points at the schema loads", () => {
    const file = writeTempFile("zmqc.json", JSON.stringify({ $schema: "./zmqc.schema.json", xpubSndhwm: 3 }));
    expect(loadConfig({ file, env: {} }).options.xpubSndhwm).toBe(3);
  });
});
