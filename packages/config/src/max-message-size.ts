import { ConfigError } from "./errors.js";

/**
 * Checks a `maxMessageSize` option (libzmq's `ZMQ_MAXMSGSIZE`, a zmqc option of the broker and the logger that Zeek
 * does not have): -1 (no limit, the default) or a size in bytes. Returns it, or throws a ConfigError naming where it
 * came from.
 */
export function checkMaxMessageSize(value: number, origin: string): number {
  if (Number.isSafeInteger(value) && value >= -1) return value;
  throw new ConfigError([
    {
      path: "maxMessageSize",
      code: "out_of_range",
      message: `must be -1 (no limit) or a size in bytes, got ${String(value)}`,
      origin,
    },
  ]);
}
