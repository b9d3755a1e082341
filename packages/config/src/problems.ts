import { closest, distance } from "fastest-levenshtein";
import type { z } from "zod";
import type { ConfigProblem, ConfigProblemCode } from "./errors.js";
import { SECRET_OPTIONS } from "./options/index.js";

type Issue = z.core.$ZodIssue;
type RawIssue = z.core.$ZodRawIssue;

const TYPE_NAMES: Record<string, string> = {
  int: "an integer",
  number: "a number",
  string: "a string",
  boolean: "true or false",
  array: "a list",
  object: "an object",
  record: "an object",
};

/** Shows a value in a message, never a secret, and never more than a short excerpt. */
function show(value: unknown, path: readonly PropertyKey[]): string {
  if (path.some((key) => typeof key === "string" && SECRET_OPTIONS.has(key))) return "(a secret, not shown)";
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/**
 * Zod's per-parse error map: a readable sentence for each issue a schema did not word itself.
 * Passed as `schema.safeParse(input, { error: describeIssue, reportInput: true })`.
 */
export function describeIssue(issue: RawIssue): string | undefined {
  const path = issue.path ?? [];
  const got = show(issue.input, path);
  switch (issue.code) {
    case "invalid_type":
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}, got ${got}`;
    case "too_small":
      if (issue.origin === "array") return `needs at least ${issue.minimum} entries`;
      if (issue.origin === "string")
        return issue.minimum === 1 ? "must not be empty" : `needs at least ${issue.minimum} characters`;
      return `must be ${issue.inclusive ? "≥" : ">"} ${issue.minimum}, got ${got}`;
    case "too_big":
      return `must be ${issue.inclusive ? "≤" : "<"} ${issue.maximum}, got ${got}`;
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}, got ${got}`;
    case "invalid_union":
      return `expected a number of milliseconds or a duration such as "10s", got ${got}`;
    default:
      return undefined;
  }
}

const PROBLEM_CODES: Partial<Record<Issue["code"], ConfigProblemCode>> = {
  invalid_type: "invalid_type",
  too_small: "out_of_range",
  too_big: "out_of_range",
  invalid_value: "invalid_value",
  invalid_union: "invalid_type",
  invalid_format: "invalid_value",
  invalid_key: "invalid_value",
};

const CUSTOM_KINDS: Record<string, ConfigProblemCode> = {
  endpoint: "invalid_endpoint",
  curve_key: "invalid_curve_key",
  out_of_range: "out_of_range",
};

/** The keys an object at a path may hold, so an unknown key can get a "did you mean" hint. */
export type KnownKeys = (path: readonly PropertyKey[]) => readonly string[];

function didYouMean(key: string, known: readonly string[]): string {
  if (known.length === 0) return "";
  const guess = closest(key, known as string[]);
  return distance(key.toLowerCase(), guess.toLowerCase()) <= Math.max(2, Math.floor(key.length / 3))
    ? ` — did you mean '${guess}'?`
    : "";
}

const joinPath = (path: readonly PropertyKey[]) => path.map(String).join(".");

/** Turns zod's issues into config problems, one per offending field (one per unknown key). */
export function issuesToProblems(
  issues: readonly Issue[],
  origin: string | undefined,
  knownKeys: KnownKeys = () => [],
  pathPrefix: readonly PropertyKey[] = [],
): ConfigProblem[] {
  const withOrigin = (problem: Omit<ConfigProblem, "origin">): ConfigProblem =>
    origin === undefined ? problem : { ...problem, origin };
  return issues.flatMap((issue): ConfigProblem[] => {
    const path = [...pathPrefix, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) =>
        withOrigin({
          path: joinPath([...path, key]),
          code: "unknown_key",
          message: `unknown option '${key}'${didYouMean(key, knownKeys(issue.path))}`,
        }),
      );
    }
    const kind = issue.code === "custom" ? (issue.params?.kind as string | undefined) : undefined;
    const code = (kind && CUSTOM_KINDS[kind]) || PROBLEM_CODES[issue.code] || "invalid_value";
    return [withOrigin({ path: joinPath(path), code, message: issue.message })];
  });
}
