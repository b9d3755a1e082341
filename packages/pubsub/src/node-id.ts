import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

const BASE62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** A random unique suffix like Zeek's `unique_id("N")`: `N` and 16 characters of 0-9a-zA-Z. */
function uniqueSuffix(): string {
  const bytes = randomBytes(16);
  let text = "N";
  for (const byte of bytes) text += BASE62[byte % 62];
  return text;
}

/**
 * A node id in Zeek's format, `zeromq_<name>_<hostname>_<pid>_N<unique>`: different for every process
 * incarnation, so peers can tell a restarted node from the one before.
 */
export function makeNodeId(name = "", host = hostname(), pid = process.pid): string {
  return `zeromq_${name}_${host}_${pid}_${uniqueSuffix()}`;
}
