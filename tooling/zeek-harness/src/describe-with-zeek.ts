import { describe } from "vitest";
import { zeekUnavailableReason } from "./find-zeek.js";

/**
 * `describe(name, fn)` for tests that need a real Zeek.
 *
 * When Zeek is missing (see {@link zeekUnavailableReason}) it prints one line to stderr,
 * `[zeek] skipping "<name>": <reason>`, and registers `describe.skip(name, fn)`, so the reporter still counts
 * and lists every test as skipped: a machine without Zeek never looks like a green interop run.
 *
 * @param name - the suite name, as for `describe`.
 * @param fn - the suite body, as for `describe`; it is only collected (not run) when Zeek is missing.
 */
export function describeWithZeek(name: string, fn: () => void): void {
  const reason = zeekUnavailableReason();
  if (reason === undefined) {
    describe(name, fn);
    return;
  }
  process.stderr.write(`[zeek] skipping "${name}": ${reason}\n`);
  describe.skip(name, fn);
}
