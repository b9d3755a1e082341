// Hooks run when the process exits with a broker open (process.exit() on a second signal or a fatal error):
// without one, a native broker hangs the exit (zeromq.js tears down the proxy's sockets while the proxy still runs
// them on its pool thread) and a managed one aborts it (the worker's zeromq.js dies with open sockets). spawnBroker()
// uses it too, to kill a broker process its parent leaves behind.

const hooks = new Set<() => void>();
let installed = false;

function runHooks(): void {
  for (const hook of [...hooks]) {
    try {
      hook();
    } catch {
      // The process is exiting: nothing to report to.
    }
  }
}

/**
 * Runs `hook` (synchronously) if the process exits while the broker is open; returns the function that cancels it,
 * to call when the broker closes.
 */
export function onProcessExit(hook: () => void): () => void {
  if (!installed) {
    installed = true;
    process.on("exit", runHooks);
  }
  hooks.add(hook);
  return () => {
    hooks.delete(hook);
  };
}
