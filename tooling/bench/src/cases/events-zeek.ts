// The Zeek anchor of the event path: a Zeek manager (running Zeek's proxy thread, receiving) and a Zeek worker
// (publishing), each its own process, measured like every other stack.
import type { StackRound } from "../types.js";
import { startZeekPair, type ZeekPairOptions } from "./zeek-pair.js";

/** One round of Zeek → Zeek through Zeek's proxy thread (or, with `forwarder`, through that forwarder). */
export async function runZeekEvents(
  zeek: string,
  count: number,
  forwarder?: ZeekPairOptions["forwarder"],
): Promise<StackRound> {
  const started = performance.now();
  const pair = await startZeekPair(zeek, { count, ...(forwarder ? { forwarder } : {}) });
  let stopped = false;
  try {
    const line = await pair.manager.line((text) => /^\d+ [\d.]+$/.test(text), 120_000);
    const [received = "0", ms = "0"] = line.split(" ");
    const costs = await pair.stop();
    stopped = true;
    const wallSeconds = (performance.now() - started) / 1000;
    for (const cost of costs) cost.cpuPercent = (cost.cpuSeconds / wallSeconds) * 100;
    return {
      received: Number(received),
      eventsPerSecond: (Number(received) / Number(ms)) * 1000,
      processes: costs,
    };
  } finally {
    if (!stopped) await pair.stop();
  }
}
