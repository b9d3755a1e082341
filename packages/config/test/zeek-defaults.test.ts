// Asks a real Zeek 8.2.2 for the value of every option we mirror, and checks our defaults against it.

import { type BackendOptionName, backendOptionSpecs, DEFAULT_BACKEND_OPTIONS } from "@zmqc/config";
import { describeWithZeek, runZeek } from "@zmqc/zeek-harness";
import { expect, it } from "vitest";

// Zeek's enum values for the serializers, by the wire name we use.
const SERIALIZER_NAMES: Record<string, string> = {
  "Cluster::EVENT_SERIALIZER_BROKER_BIN_V1": "broker-bin-v1",
  "Cluster::EVENT_SERIALIZER_BROKER_JSON_V1": "broker-json-v1",
  "Cluster::LOG_SERIALIZER_ZEEK_BIN_V1": "zeek-bin-serializer",
};

/** A Zeek script that prints `name<TAB>json` for each option, intervals in milliseconds. */
function printOptionsScript(): string {
  const lines = Object.values(backendOptionSpecs).map(({ zeek, default: fallback }) => {
    const value =
      typeof fallback === "number" && /expiration|interval/.test(zeek)
        ? `interval_to_double(${zeek}) * 1000.0`
        : /serializer$/.test(zeek)
          ? `cat(${zeek})`
          : zeek;
    return `print fmt("%s %s", "${zeek}", to_json(${value}));`;
  });
  // Printing at the top level, then exit(0) before zeek_init: the backend never opens a socket.
  return ["@load policy/frameworks/cluster/backend/zeromq", ...lines, "exit(0);"].join("\n");
}

describeWithZeek("defaults equal a real Zeek's", () => {
  it("every mirrored option has Zeek's value", async () => {
    const result = await runZeek(["-b", "-e", printOptionsScript()]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const zeekValues = new Map(
      result.stdout
        .trim()
        .split("\n")
        .map((line) => {
          const space = line.indexOf(" ");
          return [line.slice(0, space), JSON.parse(line.slice(space + 1))] as const;
        }),
    );
    const names = Object.keys(backendOptionSpecs) as BackendOptionName[];
    expect(zeekValues.size).toBe(names.length);
    for (const name of names) {
      const zeekName = backendOptionSpecs[name].zeek;
      const zeekValue = zeekValues.get(zeekName);
      const expected = typeof zeekValue === "string" ? (SERIALIZER_NAMES[zeekValue] ?? zeekValue) : zeekValue;
      expect(DEFAULT_BACKEND_OPTIONS[name], `${name} (${zeekName})`).toEqual(expected);
    }
  });
});
