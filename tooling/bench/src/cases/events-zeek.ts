// The Zeek anchor of the event path: a Zeek manager (running Zeek's proxy thread, receiving) and a Zeek worker
// (publishing), each its own process, measured like every other stack.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Measured, startMeasured } from "../process.js";
import type { StackRound } from "../types.js";

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

/** One round of Zeek → Zeek through Zeek's proxy thread. */
export async function runZeekEvents(zeek: string, count: number): Promise<StackRound> {
  const dir = mkdtempSync(join(tmpdir(), "zmqc-bench-zeek-"));
  writeFileSync(join(dir, "cluster-layout.zeek"), LAYOUT);
  const [xpub, xsub] = (await freePorts(2)) as [number, number];
  const zeekPath = process.env.ZEEKPATH;
  const env = (node: string) => ({
    CLUSTER_NODE: node,
    XPUB_PORT: `${xpub}/tcp`,
    XSUB_PORT: `${xsub}/tcp`,
    BENCH_COUNT: String(count),
    ZEEKPATH: `${dir}:${zeekPath ?? defaultZeekPath(zeek)}`,
  });
  const started = performance.now();
  const processes: Measured[] = [];
  try {
    const manager = startMeasured(
      "manager (Zeek, receiving, proxy thread)",
      zeek,
      ["-b", SCRIPT],
      env("manager"),
      dir,
    );
    processes.push(manager);
    const worker = startMeasured("worker (Zeek, publishing)", zeek, ["-b", SCRIPT], env("worker-1"), dir);
    processes.push(worker);
    const line = await manager.line((text) => /^\d+ [\d.]+$/.test(text), 120_000);
    const [received = "0", ms = "0"] = line.split(" ");
    const costs = [];
    for (const process of processes) costs.push(await process.stop());
    const wallSeconds = (performance.now() - started) / 1000;
    for (const cost of costs) cost.cpuPercent = (cost.cpuSeconds / wallSeconds) * 100;
    return {
      received: Number(received),
      eventsPerSecond: (Number(received) / Number(ms)) * 1000,
      processes: costs,
    };
  } finally {
    await Promise.all(processes.map((process) => process.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Zeek's own script path, from the `zeek-config` next to the binary. */
function defaultZeekPath(zeek: string): string {
  return spawnSync(`${dirname(zeek)}/zeek-config`, ["--zeekpath"], { encoding: "utf8" }).stdout.trim();
}
