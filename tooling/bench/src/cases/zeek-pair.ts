// Two Zeek nodes, each its own measured process: a manager running Zeek's proxy thread (and receiving the benchmark
// events) and worker-1 (publishing BENCH_COUNT events once the manager is up), with zeek/bench-events.zeek; or, with
// `forwarder`, both nodes connected to a forwarder outside Zeek (zmqc's broker) and no proxy thread.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Measured, type ProcessCost, startMeasured } from "../process.js";

const EVENTS_SCRIPT = fileURLToPath(new URL("../../zeek/bench-events.zeek", import.meta.url));
const LAYOUT = `redef Cluster::manager_is_logger = T;
redef Cluster::nodes = {
	["manager"] = [$node_type=Cluster::MANAGER, $ip=127.0.0.1],
	["worker-1"] = [$node_type=Cluster::WORKER, $ip=127.0.0.1, $manager="manager"],
};
`;

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => {
      const server = createServer();
      return new Promise<typeof server>((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
    }),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/** Zeek's own script path, from the `zeek-config` next to the binary. */
function defaultZeekPath(zeek: string): string {
  return spawnSync(`${dirname(zeek)}/zeek-config`, ["--zeekpath"], { encoding: "utf8" }).stdout.trim();
}

/** A running pair; `stop()` ends both and returns what each cost. */
export interface ZeekPair {
  readonly manager: Measured;
  readonly worker: Measured;
  stop(): Promise<ProcessCost[]>;
}

/** What the pair runs. */
export interface ZeekPairOptions {
  /** BENCH_COUNT for the script (events to send, or round trips). */
  readonly count?: number;
  /** The script both nodes run (default: zeek/bench-events.zeek). */
  readonly script?: string;
  readonly env?: Record<string, string>;
  /** A forwarder outside Zeek ("tcp://127.0.0.1:<port>" each): then no node runs Zeek's proxy thread. */
  readonly forwarder?: { readonly xpubEndpoint: string; readonly xsubEndpoint: string };
  readonly names?: { readonly manager: string; readonly worker: string };
}

const portOf = (endpoint: string) => Number(endpoint.slice(endpoint.lastIndexOf(":") + 1));

/** Starts the pair and resolves once the worker has node_up for the manager (the cluster is joined). */
export async function startZeekPair(zeek: string, options: ZeekPairOptions = {}): Promise<ZeekPair> {
  const dir = mkdtempSync(join(tmpdir(), "zmqc-bench-zeek-"));
  writeFileSync(join(dir, "cluster-layout.zeek"), LAYOUT);
  const [xpub, xsub] = options.forwarder
    ? [portOf(options.forwarder.xpubEndpoint), portOf(options.forwarder.xsubEndpoint)]
    : ((await freePorts(2)) as [number, number]);
  const zeekPath = process.env.ZEEKPATH ?? defaultZeekPath(zeek);
  const script = options.script ?? EVENTS_SCRIPT;
  const env = (node: string) => ({
    CLUSTER_NODE: node,
    XPUB_PORT: `${xpub}/tcp`,
    XSUB_PORT: `${xsub}/tcp`,
    BENCH_COUNT: String(options.count ?? 0),
    ZEEKPATH: `${dir}:${zeekPath}`,
    ZEEK_PROXY_THREAD: options.forwarder ? "F" : "T",
    ...options.env,
  });
  const names = options.names ?? {
    manager: options.forwarder ? "manager (Zeek, receiving)" : "manager (Zeek, receiving, proxy thread)",
    worker: "worker (Zeek, publishing)",
  };
  const manager = startMeasured(names.manager, zeek, ["-b", script], env("manager"), dir);
  const worker = startMeasured(names.worker, zeek, ["-b", script], env("worker-1"), dir);
  const stop = async () => {
    const costs = [await manager.stop(), await worker.stop()];
    rmSync(dir, { recursive: true, force: true });
    return costs;
  };
  try {
    await worker.line((line) => line === "node_up manager", 30_000);
    return { manager, worker, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
