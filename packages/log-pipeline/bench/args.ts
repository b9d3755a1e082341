// The command line of the one-process CPU benchmarks (logger-cpu.ts, sender-cpu.ts).
const args = process.argv.slice(2);

/** The value after `--name` (undefined when the flag is absent). */
export function flagText(name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

/** The number after `--name`, or `fallback`. */
export function flagNumber(name: string, fallback: number): number {
  const text = flagText(name);
  return text === undefined ? fallback : Number(text);
}
