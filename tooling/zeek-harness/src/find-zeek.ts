import { spawnSync } from "node:child_process";
import { accessSync, constants, realpathSync, statSync } from "node:fs";
import { delimiter, dirname, join, resolve, sep } from "node:path";

/** A Zeek that runs on this machine. */
export interface ZeekInstall {
  /** Path of the `zeek` binary. */
  readonly zeek: string;
  /** Path of the `zeek-config` beside the binary (symlinks resolved), or `undefined` when there is none. */
  readonly zeekConfig: string | undefined;
  /** The version `zeek --version` reports, e.g. `"8.2.2"`. */
  readonly version: string;
}

/** Where `pnpm zeek:install` (shared/zeek/install.sh) puts Zeek; its paths are fixed at build time. */
const INSTALLED_ZEEK = "/opt/zeek/bin/zeek";
const INSTALL_HINT = "set ZEEK=/path/to/zeek or run `pnpm zeek:install`";
// `zeek --version` takes well under a second; the bound only stops a wedged binary from hanging collection.
const PROBE_TIMEOUT_MS = 10_000;

type Lookup = { readonly install: ZeekInstall } | { readonly install: undefined; readonly reason: string };

// Probed once per process: every test file calls this at collection time.
let cached: Lookup | undefined;

/**
 * Finds a Zeek that runs: `$ZEEK`, then `/opt/zeek/bin/zeek`, then `zeek` on `PATH`; the first one whose
 * `zeek --version` succeeds wins. The answer is cached for the life of the process.
 *
 * `ZMQC_NO_ZEEK=1` makes it return `undefined`, to check that Zeek tests skip visibly on a machine that has Zeek.
 *
 * @returns the install, or `undefined` when no candidate runs (see {@link zeekUnavailableReason}).
 */
export function findZeek(): ZeekInstall | undefined {
  cached ??= lookup();
  return cached.install;
}

/**
 * Why Zeek tests cannot run here, as one line, e.g.
 * ``Zeek not found: set ZEEK=/path/to/zeek or run `pnpm zeek:install` ``.
 *
 * @returns the reason, or `undefined` when {@link findZeek} found a Zeek.
 */
export function zeekUnavailableReason(): string | undefined {
  cached ??= lookup();
  return cached.install === undefined ? cached.reason : undefined;
}

function lookup(): Lookup {
  if (isSet(process.env.ZMQC_NO_ZEEK)) {
    return { install: undefined, reason: "Zeek disabled by ZMQC_NO_ZEEK" };
  }
  const fromEnv = process.env.ZEEK || undefined;
  for (const candidate of [fromEnv && absolute(fromEnv), INSTALLED_ZEEK, onPath("zeek")]) {
    const install = candidate === undefined ? undefined : probe(candidate);
    if (install !== undefined) return { install };
  }
  // Name a broken $ZEEK: otherwise a typo in it reads like "Zeek is not installed".
  const note = fromEnv === undefined ? "" : ` (ZEEK=${fromEnv} does not run)`;
  return { install: undefined, reason: `Zeek not found${note}: ${INSTALL_HINT}` };
}

/** Same convention as TEST_DIST: set and neither empty nor "0". */
function isSet(value: string | undefined): boolean {
  return value !== undefined && value !== "" && value !== "0";
}

function probe(zeek: string): ZeekInstall | undefined {
  if (!isExecutableFile(zeek)) return undefined;
  const result = spawnSync(zeek, ["--version"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: PROBE_TIMEOUT_MS,
    killSignal: "SIGKILL",
  });
  if (result.error !== undefined || result.status !== 0) return undefined;
  // Zeek names itself by argv[0]: "/opt/zeek/bin/zeek version 8.2.2" here, "zeek version 8.2.2" via PATH.
  const version = / version (\d\S*)$/m.exec(result.stdout)?.[1];
  if (version === undefined) return undefined;
  // zeek-config sits beside the real binary, not beside a symlink such as /usr/local/bin/zeek.
  const zeekConfig = join(dirname(realpathSync(zeek)), "zeek-config");
  return { zeek, zeekConfig: isExecutableFile(zeekConfig) ? zeekConfig : undefined, version };
}

// runZeek starts Zeek in another directory, so a relative $ZEEK must become absolute; a bare name is a command.
function absolute(zeek: string): string | undefined {
  return zeek.includes(sep) ? resolve(zeek) : onPath(zeek);
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const file = join(dir, name);
    if (isExecutableFile(file)) return file;
  }
  return undefined;
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

let zeekPathCache: string | undefined;

/** Zeek's own script path (`zeek-config --zeekpath`, asked once), or undefined without zeek-config. */
export function zeekPath(): string | undefined {
  const config = findZeek()?.zeekConfig;
  if (config === undefined) return undefined;
  zeekPathCache ??= spawnSync(config, ["--zeekpath"], { encoding: "utf8" }).stdout.trim();
  return zeekPathCache;
}
