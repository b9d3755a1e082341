import { closest, distance } from "fastest-levenshtein";
import { parseDuration } from "./duration.js";
import type { ConfigProblem } from "./errors.js";
import { type BackendOptionName, backendOptionSpecs, DEFAULT_BACKEND_OPTIONS } from "./options/index.js";

/** Prefix of every zmqc environment variable. */
export const ENV_PREFIX = "ZMQC_";

/** Environment variables loadConfig reads besides the options: config file, layout file, node name. */
export const LOADER_ENV = {
  file: "ZMQC_CONFIG",
  layoutFile: "ZMQC_LAYOUT",
  node: "ZMQC_NODE",
  /** Zeek's own variable for the node name. */
  zeekNode: "CLUSTER_NODE",
} as const;

/** `xpubSndhwm` → `ZMQC_XPUB_SNDHWM`, `curveServerPublicKey` → `ZMQC_CURVE_SERVER_PUBLIC_KEY`. */
export function envVarName(option: BackendOptionName): string {
  return ENV_PREFIX + option.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

/** Zeek's environment variables for the CURVE keys (`ZEEK_CLUSTER_BACKEND_ZEROMQ_CURVE_*`). */
export const ZEEK_CURVE_ENV = {
  curveServerPublicKey: "ZEEK_CLUSTER_BACKEND_ZEROMQ_CURVE_SERVER_PUBLICKEY",
  curveServerSecretKey: "ZEEK_CLUSTER_BACKEND_ZEROMQ_CURVE_SERVER_SECRETKEY",
  curveClientPublicKey: "ZEEK_CLUSTER_BACKEND_ZEROMQ_CURVE_CLIENT_PUBLICKEY",
  curveClientSecretKey: "ZEEK_CLUSTER_BACKEND_ZEROMQ_CURVE_CLIENT_SECRETKEY",
} as const satisfies Partial<Record<BackendOptionName, string>>;

const OPTION_BY_ENV = new Map(
  (Object.keys(backendOptionSpecs) as BackendOptionName[]).map((name) => [envVarName(name), name]),
);

/** One configuration layer read from environment variables. */
export interface EnvLayer {
  /** Option values as text converted to the option's type (still to be validated by the schema). */
  readonly values: Partial<Record<BackendOptionName, unknown>>;
  /** For each option set here, the variable it came from. */
  readonly origins: Partial<Record<BackendOptionName, string>>;
  readonly problems: ConfigProblem[];
  /** True when any CURVE key variable (ours or Zeek's) is set. */
  readonly curveFromEnv: boolean;
}

const TRUE = new Set(["1", "true", "t", "yes", "on"]);
const FALSE = new Set(["0", "false", "f", "no", "off"]);

/** Converts the text of a variable to what the option's schema expects, judged by the type of its default. */
function convert(option: BackendOptionName, text: string): unknown {
  const fallback = DEFAULT_BACKEND_OPTIONS[option];
  if (typeof fallback === "boolean") {
    const lower = text.trim().toLowerCase();
    return TRUE.has(lower) ? true : FALSE.has(lower) ? false : text;
  }
  if (typeof fallback === "number") {
    const trimmed = text.trim();
    if (/^[+-]?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
    // Durations may be written "10s"; the schema turns them into ms and words the error otherwise.
    return parseDuration(trimmed) === undefined ? text : trimmed;
  }
  if (Array.isArray(fallback)) {
    return text
      .split(/[\s,]+/)
      .map((item) => item.trim())
      .filter(Boolean);
  }
  return text;
}

/**
 * Reads the options set through `ZMQC_*` variables (and Zeek's `ZEEK_CLUSTER_BACKEND_ZEROMQ_CURVE_*`).
 * An unknown `ZMQC_*` variable is a problem (a typo would otherwise be silently ignored), unless it is
 * listed in `extraNames` (variables an application reads itself).
 */
export function readEnvLayer(
  env: Readonly<Record<string, string | undefined>>,
  extraNames: readonly string[] = [],
): EnvLayer {
  const values: Partial<Record<BackendOptionName, unknown>> = {};
  const origins: Partial<Record<BackendOptionName, string>> = {};
  const problems: ConfigProblem[] = [];
  const allowed = new Set<string>([...Object.values(LOADER_ENV), ...extraNames]);
  for (const [name, text] of Object.entries(env)) {
    if (text === undefined || !name.startsWith(ENV_PREFIX) || allowed.has(name)) continue;
    const option = OPTION_BY_ENV.get(name);
    if (!option) {
      const known = [...OPTION_BY_ENV.keys(), ...allowed];
      const guess = closest(name, known);
      const hint = distance(name, guess) <= 3 ? ` — did you mean ${guess}?` : "";
      problems.push({
        path: "",
        code: "unknown_key",
        message: `unknown environment variable ${name}${hint}`,
        origin: `env ${name}`,
      });
      continue;
    }
    values[option] = convert(option, text);
    origins[option] = name;
  }
  for (const [option, zeekName] of Object.entries(ZEEK_CURVE_ENV) as [BackendOptionName, string][]) {
    const text = env[zeekName];
    if (text === undefined) continue;
    const ours = origins[option];
    if (ours !== undefined && values[option] !== text) {
      problems.push({
        path: option,
        code: "curve_mixed_sources",
        message: `${ours} and ${zeekName} are both set, to different keys`,
        origin: `env ${zeekName}`,
      });
      continue;
    }
    values[option] = text;
    origins[option] = zeekName;
  }
  const curveFromEnv = Object.keys(ZEEK_CURVE_ENV).some((option) => origins[option as BackendOptionName]);
  return { values, origins, problems, curveFromEnv };
}
