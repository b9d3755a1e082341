// Two Zeek nodes, each its own measured process: a manager running Zeek's proxy thread (and receiving the benchmark
// events) and worker-1 (publishing BENCH_COUNT events once the manager is up), with zeek/bench-events.zeek.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Measured, type ProcessCost, startMeasured } from "../process.js";

const SCRIPT = fileURLToPath(new URL("../../zeek/bench-events.zeek", import.meta.url));
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

/** Starts the pair and resolves once the worker has node_up for the manager (the cluster is joined). */
export async function startZeekPair(zeek: string, count = 0): Promise<ZeekPair> {
  const dir = mkdtempSync(join(tmpdir(), "zmqc-bench-zeek-"));
  writeFileSync(join(dir, "cluster-layout.zeek"), LAYOUT);
  const [xpub, xsub] = (await freePorts(2)) as [number, number];
  const zeekPath = process.env.ZEEKPATH ?? defaultZeekPath(zeek);
  const env = (node: string) => ({
    CLUSTER_NODE: node,
    XPUB_PORT: `${xpub}/tcp`,
    XSUB_PORT: `${xsub}/tcp`,
    BENCH_COUNT: String(count),
    ZEEKPATH: `${dir}:${zeekPath}`,
  });
  const manager = startMeasured(
    "manager (Zeek, receiving, proxy thread)",
    zeek,
    ["-b", SCRIPT],
    env("manager"),
    dir,
  );
  const worker = startMeasured("worker (Zeek, publishing)", zeek, ["-b", SCRIPT], env("worker-1"), dir);
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
