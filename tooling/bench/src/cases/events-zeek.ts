// The Zeek anchor of the event path: a Zeek manager (running Zeek's proxy thread, receiving) and a Zeek worker
// (publishing), each its own process, measured like every other stack.
import { CpuSampler, type Measured, stopAndCost } from "../process.js";
import type { StackRound } from "../types.js";
import { startZeekPair, type ZeekPairOptions } from "./zeek-pair.js";

/**
 * One round of Zeek → Zeek through Zeek's proxy thread (or, with `forwarder`, through that forwarder, whose process
 * `forwarderProcess` is then measured with the pair).
 */
export async function runZeekEvents(
  zeek: string,
  count: number,
  forwarder?: ZeekPairOptions["forwarder"],
  forwarderProcess?: Measured,
): Promise<StackRound> {
  const started = performance.now();
  const sampler = new CpuSampler();
  if (forwarderProcess) sampler.add(forwarderProcess);
  const pair = await startZeekPair(zeek, { count, ...(forwarder ? { forwarder } : {}) });
  let stopped = false;
  try {
    sampler.add(pair.manager);
    sampler.add(pair.worker);
    const line = await pair.manager.line((text) => /^\d+ [\d.]+$/.test(text), 120_000);
    const [received = "0", ms = "0"] = line.split(" ");
    const to = performance.now();
    const span = { from: to - Number(ms), to };
    const wallSeconds = (performance.now() - started) / 1000;
    const costs = await pair.stop();
    stopped = true;
    for (const [i, cost] of costs.entries()) {
      const process = i === 0 ? pair.manager : pair.worker;
      cost.cpuPercent =
        sampler.percentBetween(process, span.from, span.to) ?? (cost.cpuSeconds / wallSeconds) * 100;
    }
    const others = forwarderProcess ? await stopAndCost([forwarderProcess], sampler, started, span) : [];
    return {
      received: Number(received),
      eventsPerSecond: (Number(received) / Number(ms)) * 1000,
      processes: [...costs, ...others],
    };
  } finally {
    sampler.stop();
    if (!stopped) await pair.stop();
  }
}
