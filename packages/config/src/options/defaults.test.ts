import {
  type BackendOptionName,
  backendOptionSpecs,
  backendOptionsSchema,
  brokerOptionsSchema,
  DEFAULT_BACKEND_OPTIONS,
  describeOption,
  discoveryOptionsSchema,
  logWriterOptionsSchema,
  zeekOptionName,
} from "@zmqc/config";
import { describe, expect, it } from "vitest";
import zeekDefaults from "../../test/fixtures/zeek-defaults.json" with { type: "json" };

const names = Object.keys(backendOptionSpecs) as BackendOptionName[];
const expected = Object.entries(zeekDefaults).filter(([key]) => !key.startsWith("$"));

describe("backend option defaults", () => {
  it("covers every Zeek option in the fixture, once", () => {
    const ours = names.map(zeekOptionName).sort();
    expect(ours).toEqual(expected.map(([zeekName]) => zeekName).sort());
  });

  it.each(expected)("%s defaults to Zeek's %j", (zeekName, value) => {
    const name = names.find((candidate) => zeekOptionName(candidate) === zeekName);
    expect(name).toBeDefined();
    expect(DEFAULT_BACKEND_OPTIONS[name as BackendOptionName]).toEqual(value);
  });

  it("parsing nothing gives exactly the defaults", () => {
    expect(backendOptionsSchema.parse({})).toEqual(DEFAULT_BACKEND_OPTIONS);
  });

  it("each concern's schema gives the same defaults as the whole", () => {
    expect(brokerOptionsSchema.parse({})).toMatchObject({
      listenXpubEndpoint: "tcp://127.0.0.1:5555",
      proxyIoThreads: 2,
    });
    expect(discoveryOptionsSchema.parse({ helloExpiration: "1s" })).toMatchObject({ helloExpiration: 1000 });
    expect(logWriterOptionsSchema.parse({})).toEqual({
      writeBufferSize: 1000,
      flushInterval: 1000,
      logSerializer: "zeek-bin-serializer",
    });
  });

  it("documents every option, with Zeek's name in the schema's metadata", () => {
    for (const name of names) {
      expect(describeOption(name).length, name).toBeGreaterThan(10);
      const meta = backendOptionsSchema.shape[name].meta() as { zeek?: string; description?: string };
      expect(meta.zeek).toBe(zeekOptionName(name));
      expect(meta.description).toContain(zeekOptionName(name));
    }
  });

  it("rejects values out of Zeek's ranges", () => {
    const bad = {
      xpubSndhwm: -1,
      xpubSndbuf: -2,
      lingerMs: -2,
      proxyIoThreads: 0,
      pollMaxMessages: 1.5,
      debugFlags: 4,
      writeBufferSize: 0,
      flushInterval: -5,
    };
    const result = backendOptionsSchema.safeParse(bad);
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join(".")).sort();
    expect(paths).toEqual(Object.keys(bad).sort());
  });

  it("accepts Zeek's special values: 0 = no limit, -1 = OS default or linger forever", () => {
    expect(
      backendOptionsSchema.parse({ xpubSndhwm: 0, onloopQueueHwm: 0, lingerMs: -1, logSndbuf: -1 }),
    ).toMatchObject({
      xpubSndhwm: 0,
      onloopQueueHwm: 0,
      lingerMs: -1,
    });
  });
});
