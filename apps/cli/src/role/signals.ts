import type { RoleLog } from "./log.js";

/**
 * Graceful shutdown: the first SIGINT or SIGTERM runs `stop` and exits 0 (1 if stopping failed); a second one
 * exits at once; an uncaught error is logged and exits 1.
 */
export function exitOnSignals(stop: () => Promise<void>, log: RoleLog, final?: () => object): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, "second signal: exiting now");
      process.exit(signal === "SIGINT" ? 130 : 143);
    }
    stopping = true;
    log.info({ signal }, "shutting down");
    stop().then(
      () => {
        log.info(final?.() ?? {}, "stopped");
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const fatal = (error: unknown) => {
    log.fatal({ err: error }, "unhandled error");
    process.exit(1);
  };
  process.on("uncaughtException", fatal);
  process.on("unhandledRejection", fatal);
}
