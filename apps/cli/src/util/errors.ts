import { ConfigError } from "@zmqc/config";

/** Exit status for a bad command line or configuration (as `zeekctl` and most CLIs). */
export const EXIT_USAGE = 2;

/**
 * One line saying what is wrong, for a person reading a terminal: every configuration problem joined with `; `,
 * other errors by their message.
 */
export function oneLine(error: unknown): string {
  if (ConfigError.isConfigError(error)) {
    const problems = error.problems.map((problem) => {
      const where =
        problem.path && problem.origin
          ? `${problem.path} (${problem.origin})`
          : problem.path || problem.origin || "configuration";
      return `${where}: ${problem.message}`;
    });
    return `invalid configuration: ${problems.join("; ")}`;
  }
  if (error instanceof Error) return error.message.replaceAll("\n", " ");
  return String(error);
}
