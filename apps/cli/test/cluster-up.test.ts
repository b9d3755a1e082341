// End to end: `zmqc cluster up --demo` as a user runs it, five real processes on ports the OS chose.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Cleanup, reservePorts } from "@zmqc/zeek-harness";
import { afterEach, describe, expect, it } from "vitest";
import { fileAppears, portIsFree, startDemoCluster, startZmqc, tempDir } from "./support/zmqc.js";

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

/** Rows of a Zeek TSV log (lines not starting with '#'). */
function tsvRows(file: string): string[][] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => line.split("\t"));
}

/** The `final` status a node logs as its last line when it stops. */
function finalStatus(runDir: string, node: string): Record<string, Record<string, number>> {
  const lines = readFileSync(join(runDir, `${node}.log`), "utf8")
    .trim()
    .split("\n");
  const last = JSON.parse(lines.at(-1) as string) as {
    msg: string;
    final: Record<string, Record<string, number>>;
  };
  expect(last.msg).toBe("stopped");
  return last.final;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("zmqc cluster up", () => {
  it("runs the default cluster with demo traffic, writes every record, and stops in order on SIGTERM", async () => {
    const dir = cleanup.add(tempDir("zmqc-up-"), (d) => d.remove());
    const runDir = join(dir.path, "run");
    const logDir = join(dir.path, "logs");
    const up = cleanup.add(
      await startDemoCluster({ runDir, logDir, nodes: 5, recordsAt: "logger-1" }),
      (child) => child.dispose(),
    );
    const pids = [...up.output().stdout.matchAll(/^started \S+ \(pid (\d+)\)$/gm)].map((match) =>
      Number(match[1]),
    );
    expect(pids).toHaveLength(5);
    const conn = join(logDir, "conn.log");
    // The logger's record count includes cluster.log's lines, which can come first: wait for the conn file itself.
    await fileAppears(conn);
    // `zmqc cluster status` reads every node's /status while the cluster runs.
    const status = cleanup.add(
      startZmqc(["cluster", "status", "--config", join(runDir, "cluster.json")]),
      (c) => c.dispose(),
    );
    const report = await status.waitForExit(20_000);
    expect(report.code, report.stdout + report.stderr).toBe(0);
    const lines = report.stdout.trim().split("\n");
    expect(lines.map((line) => line.split(":")[0])).toEqual([
      "logger-1",
      "manager",
      "proxy-1",
      "worker-1",
      "worker-2",
    ]);
    for (const line of lines) expect(line).toContain("joined, sees every node up");
    // Each node serves Prometheus metrics (Zeek's names, process metrics) and a health check.
    const layout = JSON.parse(readFileSync(join(runDir, "cluster.json"), "utf8")) as {
      cluster: { nodes: Record<string, { metricsPort: number }> };
    };
    const base = (node: string) => `http://127.0.0.1:${layout.cluster.nodes[node]?.metricsPort}`;
    expect((await fetch(`${base("worker-1")}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${base("worker-1")}/metrics`)).text();
    expect(metrics).toMatch(/^zeek_cluster_zeromq_xpub_drops_total 0$/m);
    expect(metrics).toMatch(/^process_cpu_user_seconds_total /m);
    expect(metrics).toMatch(/^zmqc_log_records_sent_total [1-9]\d*$/m);
    const loggerMetrics = await (await fetch(`${base("logger-1")}/metrics`)).text();
    expect(loggerMetrics).toMatch(/^zmqc_logger_records_written_total [1-9]\d*$/m);

    up.kill("SIGTERM");
    const exit = await up.waitForExit(60_000);
    expect(exit.code, exit.stdout + exit.stderr).toBe(0);
    const stops = exit.stdout.split("\n").filter((line) => line.startsWith("stopping "));
    expect(stops).toEqual(["stopping proxy-1, worker-1, worker-2", "stopping manager", "stopping logger-1"]);
    expect(exit.stdout).toContain("cluster stopped\n");

    // Every record the workers wrote is in conn.log: the ordered stop truncated nothing.
    const written = ["worker-1", "worker-2"].map((node) => finalStatus(runDir, node));
    for (const final of written) {
      expect(final.sender?.recordsDropped).toBe(0);
      expect(final.sender?.recordsBuffered).toBe(0);
      expect(final.demo?.pingsSent).toBeGreaterThan(0);
    }
    const recordsWritten = written.reduce((sum, final) => sum + (final.demo?.recordsWritten ?? 0), 0);
    expect(recordsWritten).toBeGreaterThan(0);
    const rows = tsvRows(conn);
    expect(rows.length).toBe(recordsWritten);
    expect(new Set(rows.map((row) => row[1])).size).toBe(rows.length); // every uid once
    expect(readFileSync(conn, "utf8")).toMatch(/^#path\tconn$/m);
    // Zeek's cluster.log: every node says "got hello" for each of the 4 others (20 lines, as Zeek's btest baseline).
    const cluster = tsvRows(join(logDir, "cluster.log"));
    const hellos = cluster.filter((row) => row[2]?.startsWith("got hello from "));
    expect(hellos).toHaveLength(20);
    for (const [, node, message] of hellos) {
      expect(message).toMatch(/^got hello from (\S+) \(zeromq_\1_\S+_\d+_N\w+\)$/);
      expect(message).not.toContain(`from ${node} `);
    }
    expect(cluster.filter((row) => row[2] === "node down: worker-1").length).toBeGreaterThan(0);
    expect(finalStatus(runDir, "logger-1").logger?.recordsWritten).toBe(recordsWritten + cluster.length);
    // The manager answered pings through the worker pool.
    expect(finalStatus(runDir, "manager").demo?.pingsAnswered).toBeGreaterThan(0);

    // No node left running, no port left bound.
    for (const pid of pids) expect(alive(pid), `pid ${pid}`).toBe(false);
    const config = JSON.parse(readFileSync(join(runDir, "cluster.json"), "utf8")) as {
      listenXpubEndpoint: string;
      listenXsubEndpoint: string;
      cluster: { nodes: Record<string, { logPort?: number; metricsPort?: number }> };
    };
    const ports = [
      Number(config.listenXpubEndpoint.split(":").at(-1)),
      Number(config.listenXsubEndpoint.split(":").at(-1)),
      ...Object.values(config.cluster.nodes).flatMap((node) => [node.logPort, node.metricsPort]),
    ].filter((port): port is number => port !== undefined);
    expect(ports).toHaveLength(8);
    for (const port of ports) expect(await portIsFree(port), `port ${port}`).toBe(true);
  }, 120_000);

  it("runs a layout file where the manager is the logger and nodes have no metricsPort", async () => {
    const dir = cleanup.add(tempDir("zmqc-up-layout-"), (d) => d.remove());
    const [xpub, xsub, logPort] = (await reservePorts(3)) as number[];
    const config = join(dir.path, "cluster.yaml");
    writeFileSync(
      config,
      [
        `listenXpubEndpoint: tcp://127.0.0.1:${xpub}`,
        `listenXsubEndpoint: tcp://127.0.0.1:${xsub}`,
        `connectXsubEndpoint: tcp://127.0.0.1:${xpub}`,
        `connectXpubEndpoint: tcp://127.0.0.1:${xsub}`,
        "cluster:",
        "  nodes:",
        `    manager: { type: manager, ip: 127.0.0.1, logPort: ${logPort} }`,
        "    worker-1: { type: worker, ip: 127.0.0.1, manager: manager }",
        "",
      ].join("\n"),
    );
    const runDir = join(dir.path, "run");
    const logDir = join(dir.path, "logs");
    const up = cleanup.add(
      await startDemoCluster({ args: ["--config", config], runDir, logDir, nodes: 2, recordsAt: "manager" }),
      (child) => child.dispose(),
    );
    up.kill("SIGINT");
    const exit = await up.waitForExit(60_000);
    expect(exit.code, exit.stdout + exit.stderr).toBe(0);
    expect(exit.stdout.split("\n").filter((line) => line.startsWith("stopping "))).toEqual([
      "stopping worker-1",
      "stopping manager",
    ]);
    const worker = finalStatus(runDir, "worker-1");
    const manager = finalStatus(runDir, "manager");
    expect(worker.demo?.recordsWritten).toBeGreaterThan(0);
    const clusterLines = tsvRows(join(logDir, "cluster.log")).length;
    expect(manager.logger?.recordsWritten).toBe((worker.demo?.recordsWritten as number) + clusterLines);
    expect(tsvRows(join(logDir, "conn.log"))).toHaveLength(worker.demo?.recordsWritten as number);
  }, 120_000);

  it("nodes stop by themselves when zmqc is killed (no orphans left running)", async () => {
    const dir = cleanup.add(tempDir("zmqc-up-kill-"), (d) => d.remove());
    const runDir = join(dir.path, "run");
    const up = cleanup.add(
      startZmqc(["cluster", "up", "--no-live", "--run-dir", runDir, "--log-dir", join(dir.path, "logs")]),
      (child) => child.dispose(),
    );
    await up.takeLine("all nodes up", (line) => line.startsWith("all nodes up (5 nodes"), 45_000);
    const pids = [...up.output().stdout.matchAll(/^started \S+ \(pid (\d+)\)$/gm)].map((match) =>
      Number(match[1]),
    );
    expect(pids).toHaveLength(5);
    up.kill("SIGKILL");
    await up.exited;
    // Each node sees its stdin pipe close and stops as on SIGTERM; wait for every pid to go (bounded).
    const deadline = Date.now() + 30_000;
    while (pids.some(alive)) {
      if (Date.now() > deadline) throw new Error(`still running: ${pids.filter(alive).join(", ")}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const node of ["manager", "logger-1", "worker-1"]) {
      expect(readFileSync(join(runDir, `${node}.log`), "utf8")).toContain('"msg":"stopped"');
    }
  }, 90_000);
});
