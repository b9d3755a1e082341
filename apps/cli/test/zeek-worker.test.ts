// A Zeek operator's case: zmqc's manager app (running the broker) and logger app, with a real Zeek 8.2.2 worker.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Cleanup, describeWithZeek, reservePorts, ZEEK_CURVE_KEYS } from "@zmqc/zeek-harness";
import { afterEach, expect, it } from "vitest";
import { startZeekNode, ZEEK_CURVE_ENV } from "./support/zeek.js";
import { startZmqc } from "./support/zmqc.js";

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const SCRIPT = fileURLToPath(new URL("./zeek/worker-on-zmqc.zeek", import.meta.url));
/** Two full batches of Log::write_buffer_size and a rest sent at termination. */
const RECORDS = 2500;

const keys = ZEEK_CURVE_KEYS;

/** zmqc's options for Zeek's test keys (the Zeek script's variables are ZEEK_CURVE_ENV). */
const CURVE_OPTIONS = {
  curveServerPublicKey: keys.serverPublic,
  curveServerSecretKey: keys.serverSecret,
  curveClientPublicKey: keys.clientPublic,
  curveClientSecretKey: keys.clientSecret,
};

interface LoggerStatus {
  logger?: { recordsWritten: number };
  members: { name: string; up: boolean }[];
}

async function statusOf(port: number): Promise<LoggerStatus | undefined> {
  try {
    return (await (await fetch(`http://127.0.0.1:${port}/status`)).json()) as LoggerStatus;
  } catch {
    return undefined;
  }
}

/** Asks `/status` until `ok` holds, at most `ms`. */
async function waitForStatus(port: number, what: string, ok: (s: LoggerStatus) => boolean, ms = 20_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const status = await statusOf(port);
    if (status && ok(status)) return status;
    if (Date.now() > deadline) throw new Error(`no ${what} within ${ms} ms: ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describeWithZeek("zmqc manager and logger apps with a real Zeek worker", () => {
  it.each([
    ["plain TCP", false],
    ["CURVE, all four keys on every node", true],
  ])(
    "the Zeek worker joins (node_up both ways) and every record it logs is in the zmqc logger's file (%s)",
    async (_, curve) => {
      const [xpub, xsub, logPort, managerMetrics, loggerMetrics] = (await reservePorts(5)) as [
        number,
        number,
        number,
        number,
        number,
      ];
      const dir = mkdtempSync(join(tmpdir(), "zmqc-app-zeek-"));
      cleanup.add(dir, (d) => rmSync(d, { recursive: true, force: true }));
      const config = join(dir, "cluster.json");
      writeFileSync(
        config,
        JSON.stringify({
          listenXpubEndpoint: `tcp://127.0.0.1:${xpub}`,
          listenXsubEndpoint: `tcp://127.0.0.1:${xsub}`,
          connectXsubEndpoint: `tcp://127.0.0.1:${xpub}`,
          connectXpubEndpoint: `tcp://127.0.0.1:${xsub}`,
          ...(curve ? CURVE_OPTIONS : {}),
          cluster: {
            managerIsLogger: false,
            nodes: {
              manager: { type: "manager", ip: "127.0.0.1", metricsPort: managerMetrics },
              "logger-1": {
                type: "logger",
                ip: "127.0.0.1",
                logPort,
                manager: "manager",
                metricsPort: loggerMetrics,
              },
              "worker-1": { type: "worker", ip: "127.0.0.1", manager: "manager" },
            },
          },
        }),
      );
      const logDir = join(dir, "logs");
      const env = { ZMQC_PRETTY: "0" };
      const manager = cleanup.add(
        startZmqc(["--config", config, "--node", "manager"], { app: "manager", env }),
        (c) => c.dispose(),
      );
      const logger = cleanup.add(
        startZmqc(["--config", config, "--node", "logger-1", "--log-dir", logDir], { app: "logger", env }),
        (c) => c.dispose(),
      );

      const zeek = cleanup.add(
        startZeekNode({
          name: "Zeek worker-1",
          script: SCRIPT,
          node: "worker-1",
          dir,
          xpubPort: xpub,
          xsubPort: xsub,
          logPort,
          env: { ZMQC_RECORDS: String(RECORDS), ...(curve ? ZEEK_CURVE_ENV : {}) },
          hardTimeoutMs: 60_000,
        }),
        (c) => c.dispose(),
      );
      // Discovery, both ways: Zeek sees zmqc's nodes, zmqc's apps log node_up for the Zeek worker.
      await zeek.takeLine("node_up manager", (line) => line === "node_up, manager", 20_000);
      await zeek.takeLine("node_up logger-1", (line) => line === "node_up, logger-1", 20_000);
      for (const app of [manager, logger]) {
        await app.takeLine("node_up worker-1", (line) => line.includes('"msg":"node_up: worker-1"'), 20_000);
      }

      // Zeek sends the rest of its buffer when it terminates; then node_down.
      await waitForStatus(
        loggerMetrics as number,
        "first batches",
        (s) => (s.logger?.recordsWritten ?? 0) >= 1000,
      );
      zeek.kill("SIGTERM");
      const zeekExit = await zeek.waitForExit(30_000);
      expect(zeekExit.code, zeekExit.stderr).toBe(0);
      await manager.takeLine(
        "node_down worker-1",
        (line) => line.includes('"msg":"node_down: worker-1"'),
        20_000,
      );
      // RECORDS of AppTest::LOG, and the worker's own Zeek logs (such as cluster.log) beside them.
      await waitForStatus(
        loggerMetrics as number,
        "every record",
        (s) => (s.logger?.recordsWritten ?? 0) >= RECORDS,
      );

      // The ordered stop: the manager drains its log lines to the logger, which stops last.
      for (const app of [manager, logger]) {
        app.kill("SIGTERM");
        expect((await app.waitForExit(20_000)).code).toBe(0);
      }

      // One cluster.log, written by Zeek and zmqc alike: each says "got hello" about the other.
      const clusterLog = readFileSync(join(logDir, "cluster.log"), "utf8");
      expect(clusterLog).toMatch(/^\S+\tworker-1\tgot hello from manager \(zeromq_manager_\S+\)$/m);
      expect(clusterLog).toMatch(/^\S+\tmanager\tgot hello from worker-1 \(zeromq_worker-1_\S+\)$/m);
      expect(clusterLog).toMatch(/^\S+\tlogger-1\tgot hello from worker-1 \(zeromq_worker-1_\S+\)$/m);
      const logs = readdirSync(logDir);
      expect(logs).toContain("app_test.log");
      const text = readFileSync(join(logDir, "app_test.log"), "utf8");
      const rows = text.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
      expect(rows).toHaveLength(RECORDS);
      expect(text).toMatch(/^#fields\tts\tn\twho\thost\tservice\ttags\tnote$/m);
      expect(text).toMatch(/^#types\ttime\tcount\tstring\taddr\tport\tset\[string\]\tstring$/m);
      const byN = new Map(rows.map((row) => [Number(row.split("\t")[1]), row]));
      expect(byN.size).toBe(RECORDS);
      // Set elements come in the order Zeek's table iterates them (hash order, per process): compare them as a set.
      const cells = (n: number) => {
        const row = (byN.get(n) as string).split("\t");
        return [...row.slice(0, 5), (row[5] as string).split(",").sort().join(","), row[6]];
      };
      expect(cells(0)).toEqual([
        "1764064800.000000",
        "0",
        "worker-1",
        "10.0.0.0",
        "1024",
        "a,t0",
        "even\\x090",
      ]);
      expect(cells(2499)).toEqual([
        "1764067299.000000",
        "2499",
        "worker-1",
        "10.0.9.195",
        "3523",
        "a,t0",
        "-",
      ]);
      expect(cells(1)).toEqual(["1764064801.000000", "1", "worker-1", "10.0.0.1", "1025", "a,t1", "-"]);
    },
    120_000,
  );
});
