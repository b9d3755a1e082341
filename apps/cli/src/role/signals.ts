import type { RoleLog } from "./log.js";

/** How long a fatal error's clean-up may take before the process is killed. */
const FATAL_STOP_MS = 10_000;

/**
 * Ends the process at once. Not `process.exit()`: with a native broker running, libzmq's context cannot terminate
 * at exit while its proxy holds sockets, and the process would hang (see tooling/reliability's process-exit test).
 */
function exitAtOnce(): never {
  process.kill(process.pid, "SIGKILL");
  // SIGKILL is not catchable; this line is never reached.
  throw new Error("unreachable");
}

/**
 * Graceful shutdown: the first SIGINT or SIGTERM runs `stop` and exits 0 (1 if stopping failed); a second one
 * ends the process at once (SIGKILL); an uncaught error is logged, the role stopped (at most 10 s), and the process
 * exits 1.
 */
export function exitOnSignals(stop: () => Promise<void>, log: RoleLog, final?: () => object): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, "second signal: exiting now");
      exitAtOnce();
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
    if (stopping) exitAtOnce();
    stopping = true;
    // Close what is open (a broker above all) so that exit can complete; kill if that does not finish in time.
    const timer = setTimeout(exitAtOnce, FATAL_STOP_MS);
    stop()
      .catch(() => undefined)
      .finally(() => {
        clearTimeout(timer);
        process.exit(1);
      });
  };
  process.on("uncaughtException", fatal);
  process.on("unhandledRejection", fatal);
}
