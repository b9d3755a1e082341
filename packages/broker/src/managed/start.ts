import { ZmqcError } from "@zmqc/config";
import { bindErrorOf } from "../bind.js";
import type { Broker } from "../broker.js";
import { onProcessExit } from "../exit-hook.js";
import type { ResolvedBrokerOptions } from "../options.js";
import type { BrokerStats, ProxyStatistics } from "../stats.js";
import { refusalLine } from "../zap.js";
import { WorkerChannel } from "./channel.js";
import { readCounters } from "./counters.js";
import { allocateSharedMemory, Control, EXIT_REQUESTED, type SharedMemory, Slot } from "./shared.js";
import { spawnManagedWorker } from "./spawn.js";

// How long the worker gets to close its sockets and write out the tap before it is terminated; linger is extra.
const STOP_GRACE_MS = 5000;
// How long an exiting process waits (blocked) for the worker to close its sockets (it takes a few ms).
const EXIT_WAIT_MS = 3000;

/** {@link BrokerStats} of a managed broker, with what its debugging tap could not record. */
export interface ManagedBrokerStats extends BrokerStats {
  readonly proxy: ProxyStatistics;
  /** Forwarded messages the tap dropped because the file could not keep up (see `tapFile`). */
  readonly tapDropped: bigint;
}

function readStats(memory: SharedMemory, control: Int32Array): ManagedBrokerStats {
  const values = readCounters(memory);
  const at = (slot: Slot): bigint => values[slot] ?? 0n;
  return {
    mode: "managed",
    paused: Atomics.load(control, Control.paused) !== 0,
    proxy: {
      frontendMessagesReceived: at(Slot.frontendMessagesReceived),
      frontendBytesReceived: at(Slot.frontendBytesReceived),
      frontendMessagesSent: at(Slot.frontendMessagesSent),
      frontendBytesSent: at(Slot.frontendBytesSent),
      backendMessagesReceived: at(Slot.backendMessagesReceived),
      backendBytesReceived: at(Slot.backendBytesReceived),
      backendMessagesSent: at(Slot.backendMessagesSent),
      backendBytesSent: at(Slot.backendBytesSent),
    },
    droppedStuckSubscriber: at(Slot.droppedStuckSubscriber),
    authRefused: Number(at(Slot.authRefused)),
    tapDropped: at(Slot.tapDropped),
  };
}

/**
 * The managed broker: a forwarding loop in a worker thread (so an embedding process stays responsive) that keeps
 * Zeek's proxy statistics, the subscription table and per-topic counts, can pause, and drops — and counts —
 * rather than stall on a stuck subscriber. The counters live in shared memory, so `stats()` is synchronous; the
 * tables are kept by the worker and fetched with a message.
 */
export async function startManagedBroker(
  options: ResolvedBrokerOptions,
  log: (line: string) => void,
): Promise<Broker> {
  const memory = allocateSharedMemory();
  const control = new Int32Array(memory.control);
  const channel = new WorkerChannel(spawnManagedWorker({ options, memory }));
  channel.onRefused = (refusal) => log(refusalLine(refusal));
  const first = await channel.first;
  switch (first.type) {
    case "ready":
      break;
    case "bind-failed":
      await channel.abandon(STOP_GRACE_MS);
      throw bindErrorOf(first);
    case "tap-failed":
      await channel.abandon(STOP_GRACE_MS);
      throw new ZmqcError("CONFIG", `cannot open the tap file ${first.path}: ${first.message}`);
    default:
      await channel.stop(STOP_GRACE_MS);
      throw new ZmqcError("PROTOCOL", `the managed broker's worker sent "${first.type}" before starting`);
  }

  const graceMs = STOP_GRACE_MS + Math.max(options.lingerMs, 0);
  // process.exit() with the broker open: the worker must close its sockets before Node terminates it, or
  // zeromq.js aborts the process. The worker watches the shared word; this thread blocks until it is done.
  const cancelExitHook = onProcessExit(() => {
    Atomics.store(control, Control.exit, EXIT_REQUESTED);
    Atomics.notify(control, Control.exit);
    Atomics.wait(control, Control.exit, EXIT_REQUESTED, EXIT_WAIT_MS);
  });
  void channel.closed.then(cancelExitHook);
  const broker: Broker = {
    mode: "managed",
    xpubEndpoint: first.xpubEndpoint,
    xsubEndpoint: first.xsubEndpoint,
    stats: (): ManagedBrokerStats => readStats(memory, control),
    subscriptions: () => channel.query("subscriptions"),
    topicCounts: () => channel.query("topics"),
    // Shared memory, not a message: the worker sees the flag before its next message, even mid-batch.
    pause() {
      Atomics.store(control, Control.paused, 1);
    },
    resume() {
      Atomics.store(control, Control.paused, 0);
      Atomics.notify(control, Control.paused);
    },
    async close() {
      await channel.stop(graceMs);
    },
    closed: channel.closed,
    [Symbol.asyncDispose]: () => broker.close(),
  };
  return broker;
}
