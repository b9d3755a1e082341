import { describe, expect, it } from "vitest";
import { resolveNodeSettings } from "../options.js";
import { heartbeatOptions } from "./liveness.js";

describe("the liveness check's socket options", () => {
  it("is off unless asked for, as in Zeek", () => {
    expect(heartbeatOptions(undefined)).toEqual({});
    expect(resolveNodeSettings({})).toMatchObject({
      heartbeatIntervalMs: 0,
      heartbeatTimeToLiveMs: 0,
      heartbeatTimeoutMs: 0,
    });
  });

  it("sends a PING every third of the timeout; the broker drops the node after the timeout (TTL)", () => {
    expect(heartbeatOptions({ timeoutMs: 500 })).toEqual({
      heartbeatIntervalMs: 166,
      heartbeatTimeToLiveMs: 500,
      heartbeatTimeoutMs: 500,
    });
    expect(heartbeatOptions({ timeoutMs: 100 }).heartbeatIntervalMs).toBe(50);
    expect(heartbeatOptions({ timeoutMs: 2000, intervalMs: 250 }).heartbeatIntervalMs).toBe(250);
  });

  it("refuses what libzmq cannot carry: a TTL under a decisecond or over 65.5 s, an interval not below the timeout", () => {
    for (const liveness of [{ timeoutMs: 99 }, { timeoutMs: 65_600 }, { timeoutMs: 500, intervalMs: 500 }]) {
      expect(() => heartbeatOptions(liveness), JSON.stringify(liveness)).toThrow(
        expect.objectContaining({ code: "CONFIG" }),
      );
    }
    expect(() => resolveNodeSettings({ heartbeatTimeToLiveMs: 500 })).toThrow(/need heartbeatIntervalMs/);
    expect(() => resolveNodeSettings({ heartbeatIntervalMs: 100, heartbeatTimeToLiveMs: 50 })).toThrow(
      /whole deciseconds/,
    );
  });
});
