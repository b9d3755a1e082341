import { type DestinationStream, type Logger, pino } from "pino";
import pinoPretty from "pino-pretty";

/** A role's structured log: JSON lines, or coloured lines for a person at a terminal. */
export type RoleLog = Logger;

/** Options of {@link createRoleLog}. */
export interface RoleLogOptions {
  /** Pretty lines instead of JSON; default: when stdout is a TTY. */
  readonly pretty?: boolean;
  /** Where lines go (default: stdout, written synchronously so nothing is lost at exit). */
  readonly destination?: DestinationStream;
  readonly level?: string;
}

/**
 * The log of one cluster process: one JSON line per event (pino), carrying the node name and role, so lines from
 * every process of a cluster can be merged and filtered.
 */
export function createRoleLog(bindings: Record<string, unknown>, options: RoleLogOptions = {}): RoleLog {
  const pretty = options.pretty ?? process.stdout.isTTY === true;
  const destination =
    options.destination ??
    (pretty
      ? pinoPretty({ colorize: true, sync: true, ignore: "pid,hostname" })
      : pino.destination({ dest: 1, sync: true }));
  return pino({ level: options.level ?? "info", base: { pid: process.pid, ...bindings } }, destination);
}
