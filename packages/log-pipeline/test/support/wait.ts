// Bounded polling for the tests: what a test can only see by looking (a file another process writes, a counter
// another socket moves).

/**
 * Waits until `check()` returns something other than undefined or false, checking every `everyMs`; rejects after
 * `ms` with `describe()`.
 */
export async function waitUntil<T>(
  what: string,
  check: () => T | undefined | false,
  ms: number,
  describe: () => string = () => "",
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const result = check();
    if (result !== undefined && result !== false) return result;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
