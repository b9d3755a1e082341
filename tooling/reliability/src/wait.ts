/**
 * Waits until `condition()` holds, checking it every few milliseconds, at most `ms`: for counters that have no
 * event to wait on (a logger's stats, a node's drop counters). Rejects naming what was awaited and, when given,
 * what was seen last; never a sleep whose length the test relies on.
 */
export async function waitUntil(
  what: string,
  condition: () => boolean | Promise<boolean>,
  options: { readonly ms?: number; readonly describe?: () => unknown } = {},
): Promise<void> {
  const { ms = 10_000, describe } = options;
  const deadline = performance.now() + ms;
  for (;;) {
    if (await condition()) return;
    if (performance.now() >= deadline) {
      const seen = describe === undefined ? "" : `; last seen ${JSON.stringify(describe())}`;
      throw new Error(`timed out after ${ms} ms waiting for ${what}${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A promise that rejects after `ms` unless `promise` settles first. */
export async function within<T>(what: string, promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
