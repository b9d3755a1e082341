import { describe, expect, it } from "vitest";
import { ConfigError } from "./errors.js";
import { checkMaxMessageSize } from "./max-message-size.js";

describe("checkMaxMessageSize", () => {
  it.each([-1, 0, 4096, Number.MAX_SAFE_INTEGER])("takes %s", (value) => {
    expect(checkMaxMessageSize(value, "here")).toBe(value);
  });

  it.each([-2, 0.5, Number.NaN, Number.POSITIVE_INFINITY])(
    "refuses %s, saying where it came from",
    (value) => {
      expect(() => checkMaxMessageSize(value, "startBroker options")).toThrow(ConfigError);
      expect(() => checkMaxMessageSize(value, "startBroker options")).toThrow(
        /maxMessageSize \(startBroker options\)/,
      );
    },
  );
});
