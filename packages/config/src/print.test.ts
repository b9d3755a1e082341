import { formatConfig, loadConfig, REDACTED } from "@zmqc/config";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import keys from "../test/fixtures/zeek-curve-keys.json" with { type: "json" };
import { fixturePath } from "../test/helpers.js";

describe("formatConfig", () => {
  const config = loadConfig({
    env: { ZMQC_XPUB_SNDHWM: "0", ZMQC_CURVE_SERVER_SECRET_KEY: keys.serverSecret },
    layoutFile: fixturePath("layouts/simple.yaml"),
    node: "worker-1",
  });

  it("prints YAML a user can read back, with origins as comments and secrets redacted", () => {
    const text = formatConfig(config);
    expect(text).not.toContain(keys.serverSecret);
    expect(text).toContain("xpubSndhwm: 0 # env ZMQC_XPUB_SNDHWM");
    expect(text).toContain(`curveServerSecretKey: ${REDACTED} # env ZMQC_CURVE_SERVER_SECRET_KEY`);
    const back = parse(text);
    expect(back.node).toBe("worker-1");
    expect(back.options.connectLogEndpoints).toEqual(["tcp://127.0.0.1:27760"]);
    expect(back.options.curveServerPublicKey).toBe("");
    expect(Object.keys(back.cluster.nodes)).toHaveLength(5);
  });

  it("prints JSON with the origins map, secrets redacted", () => {
    const json = JSON.parse(formatConfig(config, "json"));
    expect(json.options.curveServerSecretKey).toBe(REDACTED);
    expect(json.options.xpubSndhwm).toBe(0);
    expect(json.origins.xpubSndhwm).toBe("env ZMQC_XPUB_SNDHWM");
    expect(JSON.stringify(json)).not.toContain(keys.serverSecret);
  });
});
