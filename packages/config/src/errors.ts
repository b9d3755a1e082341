/** Every error code a zmqc package uses, at run time (a code that crossed a process boundary is checked against it). */
export const ZMQC_ERROR_CODES = [
  "CONFIG",
  "DECODE",
  "ENCODE",
  "BIND",
  "CONNECT",
  "CLOSED",
  "TIMEOUT",
  "BACKPRESSURE",
  "HANDSHAKE",
  "PROTOCOL",
] as const;

/**
 * The closed set of error codes every zmqc package uses. Callers `switch (err.code)`; a subclass adds fields
 * where a code needs them (`ConfigError` has `problems`).
 */
export type ZmqcErrorCode = (typeof ZMQC_ERROR_CODES)[number];

/** True when `code` is one of {@link ZMQC_ERROR_CODES}. */
export function isZmqcErrorCode(code: unknown): code is ZmqcErrorCode {
  return (ZMQC_ERROR_CODES as readonly unknown[]).includes(code);
}

// A registry-wide symbol, so `ZmqcError.is` also recognises errors from a second copy of this package.
const MARKER = Symbol.for("zmqc.error");

/** Base class of every error a zmqc package throws on purpose. */
export class ZmqcError extends Error {
  /** What kind of failure this is; stable across releases. */
  readonly code: ZmqcErrorCode;
  /** True when the same call may succeed if retried later (for example a full queue). */
  readonly retriable: boolean;

  constructor(code: ZmqcErrorCode, message: string, options?: { cause?: unknown; retriable?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ZmqcError";
    this.code = code;
    this.retriable = options?.retriable ?? false;
    Object.defineProperty(this, MARKER, { value: true });
  }

  /** True for any zmqc error (optionally of one code), even one thrown by another copy of the package. */
  static is(value: unknown, code?: ZmqcErrorCode): value is ZmqcError {
    if (typeof value !== "object" || value === null || !(MARKER in value)) return false;
    return code === undefined || (value as { code?: unknown }).code === code;
  }
}

/** Where a configuration value came from, in increasing order of precedence. */
export type ConfigSource = "default" | "layout" | "file" | "env" | "override";

/** What kind of problem one configuration entry has. */
export type ConfigProblemCode =
  | "unknown_key"
  | "invalid_type"
  | "out_of_range"
  | "invalid_value"
  | "invalid_endpoint"
  | "invalid_curve_key"
  | "file_unreadable"
  | "file_syntax"
  | "unknown_node"
  | "layout"
  | "endpoint_conflict"
  | "curve_mixed_sources";

/** One offending configuration entry. */
export interface ConfigProblem {
  /** Dotted path of the field, such as `xpubSndhwm` or `cluster.nodes.worker-1.ip` (empty for the whole input). */
  readonly path: string;
  readonly code: ConfigProblemCode;
  /** What is wrong, in words, with the offending value where it helps. */
  readonly message: string;
  /** Where the value came from: `file /etc/zmqc.yaml`, `env ZMQC_XPUB_SNDHWM`, `overrides`, … */
  readonly origin?: string;
}

/**
 * Everything wrong with a configuration, found in one pass: unknown keys, wrong types, out-of-range values,
 * malformed endpoints and keys, unreadable files, layout errors. The message lists every problem.
 */
export class ConfigError extends ZmqcError {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super("CONFIG", formatProblems(problems));
    this.name = "ConfigError";
    this.problems = problems;
  }

  /** True for a ConfigError, even one thrown by another copy of this package. */
  static isConfigError(value: unknown): value is ConfigError {
    return ZmqcError.is(value, "CONFIG") && Array.isArray((value as ConfigError).problems);
  }
}

function formatProblems(problems: readonly ConfigProblem[]): string {
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  const lines = problems.map((p) => {
    const where = p.path && p.origin ? `${p.path} (${p.origin})` : p.path || p.origin || "(configuration)";
    return `  - ${where}: ${p.message}`;
  });
  return `invalid zmqc configuration, ${count}:\n${lines.join("\n")}`;
}
