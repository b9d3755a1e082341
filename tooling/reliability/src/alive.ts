/** Anything with a `closed` promise that resolves when it stops (brokers, nodes, clusters, loggers). */
export interface Closable {
  readonly closed: Promise<unknown>;
}

/**
 * The names of those that have stopped (their `closed` has resolved) although nobody closed them: for the ledger's
 * "unexpected exits" of in-process brokers, nodes and loggers.
 */
export async function stoppedOnTheirOwn(items: Readonly<Record<string, Closable>>): Promise<string[]> {
  const open = Symbol("open");
  const states = await Promise.all(
    Object.entries(items).map(async ([name, item]) => {
      // Promise.race settles with the first argument already settled, in order: `closed` wins if it has resolved.
      const state = await Promise.race([item.closed, Promise.resolve(open)]);
      return state === open ? undefined : name;
    }),
  );
  return states.filter((name): name is string => name !== undefined);
}
