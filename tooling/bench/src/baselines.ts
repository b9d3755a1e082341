// The baselines the harness builds or finds itself, each reported as missing (with the reason and the fix) rather
// than silently skipped.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PYTHON } from "./process.js";

/** A baseline that is here, or why it is not. */
export type Availability<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: string };

const built = new Map<string, Availability<string>>();

/**
 * A C program from c/<name>.c (or the `source` given), compiled once per run with the system compiler and
 * libzmq3-dev.
 */
export function cBinary(name: string, source = fileURLToPath(new URL(`../c/${name}.c`, import.meta.url))) {
  let result = built.get(source);
  if (!result) {
    const binary = join(mkdtempSync(join(tmpdir(), `zmqc-bench-c-${name}-`)), name);
    try {
      execFileSync("cc", ["-O2", "-o", binary, source, "-lzmq"], { stdio: ["ignore", "ignore", "pipe"] });
      result = { ok: true, value: binary };
    } catch (error) {
      const detail = (error as { stderr?: Buffer }).stderr?.toString().split("\n")[0] ?? String(error);
      result = {
        ok: false,
        reason: `cannot build ${name}.c (${detail}); fix: apt-get install gcc libzmq3-dev`,
      };
    }
    built.set(source, result);
  }
  return result;
}

/** The C peers and forwarder of the event path (c/pubsub.c). */
export function cPubSubBinary(): Availability<string> {
  return cBinary("pubsub");
}

/** Debian's python3-zmq. */
export function pyzmq(): Availability<string> {
  const check = spawnSync(PYTHON, ["-c", "import zmq; print(zmq.zmq_version())"], { encoding: "utf8" });
  return check.status === 0
    ? { ok: true, value: check.stdout.trim() }
    : { ok: false, reason: `${PYTHON} cannot import zmq; fix: apt-get install python3-zmq` };
}

/** A Zeek binary: $ZEEK, or /opt/zeek/bin/zeek (scripts/install-zeek.sh puts it there). */
export function zeek(): Availability<string> {
  const path = process.env.ZEEK ?? "/opt/zeek/bin/zeek";
  if (!existsSync(path))
    return { ok: false, reason: `no Zeek at ${path}; fix: pnpm zeek:install or set ZEEK` };
  const version = spawnSync(path, ["--version"], { encoding: "utf8" });
  return version.status === 0
    ? { ok: true, value: path }
    : { ok: false, reason: `${path} --version failed: ${version.stderr.trim()}` };
}
