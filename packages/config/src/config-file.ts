import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { parseDocument } from "yaml";
import type { ConfigProblem } from "./errors.js";

/** The parsed content of a JSON or YAML file, or the problem that kept it from being read. */
export type FileContent = { ok: true; value: unknown } | { ok: false; problem: ConfigProblem };

/**
 * Reads a configuration or layout file: `.json` as JSON, anything else as YAML (which also reads JSON).
 * Syntax errors name the line and column.
 */
export function readConfigFile(path: string): FileContent {
  const origin = `file ${path}`;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    return {
      ok: false,
      problem: { path: "", code: "file_unreadable", message: `cannot read ${path}: ${reason}`, origin },
    };
  }
  if (extname(path).toLowerCase() === ".json") {
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch (error) {
      return {
        ok: false,
        problem: {
          path: "",
          code: "file_syntax",
          message: `not valid JSON: ${(error as Error).message}`,
          origin,
        },
      };
    }
  }
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const [first] = document.errors;
  if (first) {
    const [line, column] = first.linePos?.[0] ? [first.linePos[0].line, first.linePos[0].col] : [0, 0];
    const at = line ? ` at line ${line}, column ${column}` : "";
    return {
      ok: false,
      problem: {
        path: "",
        code: "file_syntax",
        message: `not valid YAML${at}: ${first.message.split("\n")[0]}`,
        origin,
      },
    };
  }
  // An empty file is an empty configuration, not an error.
  return { ok: true, value: document.toJS() ?? {} };
}
