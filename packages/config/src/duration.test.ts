import { describe, expect, it } from "vitest";
import { parseDuration } from "./duration.js";

describe("parseDuration", () => {
  it.each([
    ["10s", 10_000],
    ["500ms", 500],
    ["1 min", 60_000],
    ["10sec", 10_000],
    ["2 hrs", 7_200_000],
    ["1.5s", 1500],
    ["250 usec", 0.25],
  ])("reads %s", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["", "10", "ten seconds", "10 fortnights", "-1s"])("rejects %j", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
