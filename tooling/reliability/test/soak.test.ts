// The soak: a steady load through a real cluster, every part a process — a broker (spawnBroker), a logger and three
// load nodes (a manager and two workers, each publishing events and writing log records at a steady rate) — with
// each process's memory and handles sampled all along. A leak at a steady rate grows without bound, so the test
// compares the last third of the run with the middle third (the first is warm-up): memory within generous margins
// (it must never flake on a noisy box), open file descriptors and libuv handles exactly flat. No timing assertion.
// The ledger: every event is consumed or counted as dropped, every log record written or counted as dropped.
//
// CI runs SOAK_CI_SECONDS; ZMQC_SOAK_MINUTES=<n> runs n minutes instead (the benchmark harness, or by hand):
//   ZMQC_SOAK_MINUTES=10 pnpm exec vitest run tooling/reliability/test/soak.test.ts
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnBroker } from "@zmqc/broker/testing";
import { TYPE_TOPICS } from "@zmqc/pubsub";
import { Cleanup, reservePorts } from "@zmqc/zeek-harness";
import { afterEach, describe, expect, it } from "vitest";
import { writeLedger } from "../src/ledger.js";
import { fullMesh, type LoadStats, overloadLedger, startLoadNode } from "../src/load.js";
import { startLoggerProcess } from "../src/logger-process.js";
import { bounded, procResources, type Resources, thirds } from "../src/resources.js";
import { waitUntil } from "../src/wait.js";

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const SOAK_CI_SECONDS = 30;
const minutes = Number(process.env.ZMQC_SOAK_MINUTES ?? "0");
const DURATION_MS = minutes > 0 ? minutes * 60_000 : SOAK_CI_SECONDS * 1000;
/** About this many samples per process, whatever the duration (at least one a second). */
const SAMPLES = 30;
const SAMPLE_MS = Math.max(1000, Math.floor(DURATION_MS / SAMPLES));
/** Per node, every TICK_MS: this many events and this many log records (about 1000 of each a second). */
const TICK_MS = 10;
const EVENTS_PER_TICK = 10;
const LOGS_PER_TICK = 10;
/** Memory margins: the last third's median may be this much above the middle third's (see bounded()). */
const RSS_RATIO = 1.25;
const RSS_SLACK = 24 * 1024 * 1024;
const HEAP_RATIO = 1.5;
const HEAP_SLACK = 16 * 1024 * 1024;

const NODES = { manager: "manager", "worker-1": "worker", "worker-2": "worker" } as const;
/** The workers report to the manager; the manager broadcasts to the workers. */
const TOPIC_OF = {
  manager: TYPE_TOPICS.worker,
  "worker-1": TYPE_TOPICS.manager,
  "worker-2": TYPE_TOPICS.manager,
};

describe("soak", () => {
  it(
    `a steady load for ${DURATION_MS / 1000} s through a broker, a logger and three nodes: memory bounded, descriptors and handles flat, the ledger balances`,
    async () => {
      const root = await mkdtemp(join(tmpdir(), "zmqc-reliability-soak-"));
      cleanup.add(root, (d) => rm(d, { recursive: true, force: true }));
      const broker = cleanup.add(await spawnBroker(), (b) => b.close());
      const [logPort] = await reservePorts(1);
      const hardTimeoutMs = DURATION_MS + 120_000;
      const logger = await startLoggerProcess(cleanup, "logger", `tcp://127.0.0.1:${logPort}`, root, {
        hardTimeoutMs,
      });
      const nodes = await Promise.all(
        Object.keys(NODES).map((name) =>
          startLoadNode(
            cleanup,
            { broker, nodes: NODES, name, logEndpoints: [`tcp://127.0.0.1:${logPort}`] },
            { hardTimeoutMs },
          ),
        ),
      );
      await fullMesh(nodes);

      const samples = new Map<string, Resources[]>();
      const record = (name: string, sample: Resources) =>
        samples.set(name, [...(samples.get(name) ?? []), sample]);
      const sampleAll = async () => {
        record("broker", procResources(broker.pid));
        const loggerStats = (await logger.stats()) as unknown as { resources: Resources };
        record("logger", loggerStats.resources);
        for (const node of nodes) record(node.name, (await node.stats()).resources);
      };

      for (const node of nodes)
        node.send({
          cmd: "steady",
          topic: TOPIC_OF[node.name as keyof typeof NODES],
          perTick: EVENTS_PER_TICK,
          logsPerTick: LOGS_PER_TICK,
          tickMs: TICK_MS,
          durationMs: DURATION_MS,
        });
      const done = Promise.all(
        nodes.map((node) => node.json.waitFor({ event: "steady-done" }, DURATION_MS + 60_000)),
      );
      let running = true;
      void done.finally(() => {
        running = false;
      });
      // Sampling paced by a timer: when a sample is taken does not matter, only that they span the run.
      while (running) {
        await sampleAll();
        await Promise.race([done, new Promise((resolve) => setTimeout(resolve, SAMPLE_MS))]);
      }
      const results = await done;
      await sampleAll();

      // Quiescence: every event consumed or counted, every log record written or counted.
      const stats = new Map<string, LoadStats>();
      const ledgerNodes = () =>
        nodes.map((node, i) => {
          const s = stats.get(node.name) as LoadStats;
          const r = results[i] as { published: number; refused: number };
          return {
            name: node.name,
            type: node.type,
            flooded: {
              [TOPIC_OF[node.name as keyof typeof NODES]]: {
                attempts: r.published,
                refused: r.refused,
                xpubDrops: s.stats.xpubDrops as number,
              },
            },
            xpubDrops: s.stats.xpubDrops as number,
            onloopDrops: s.stats.onloopDrops as number,
            received: s.received,
          };
        });
      const logsWritten = () => [...stats.values()].reduce((sum, s) => sum + (s.logs?.written ?? 0), 0);
      const logsDropped = () => [...stats.values()].reduce((sum, s) => sum + (s.logs?.dropped ?? 0), 0);
      let inFiles = 0;
      await waitUntil(
        "every event and log record accounted for",
        async () => {
          for (const node of nodes) stats.set(node.name, await node.stats());
          inFiles = (await logger.stats()).recordsWritten ?? 0;
          const events = overloadLedger(ledgerNodes());
          return events.balanced && inFiles + logsDropped() === logsWritten();
        },
        {
          ms: 30_000,
          describe: () => ({ events: overloadLedger(ledgerNodes()), logsWritten: logsWritten(), inFiles }),
        },
      );
      const events = overloadLedger(ledgerNodes());

      // Growth, per process: memory by the thirds' medians, descriptors and handles exactly flat after warm-up.
      const growth = [...samples].map(([name, list]) => {
        const rss = thirds(list.map((s) => s.rss));
        const fds = thirds(list.map((s) => s.fds));
        const heap =
          list[0]?.heapUsed === undefined ? undefined : thirds(list.map((s) => s.heapUsed as number));
        const handles =
          list[0]?.handles === undefined ? undefined : thirds(list.map((s) => s.handles as number));
        return { name, samples: list.length, rss, fds, heap, handles };
      });
      const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
      const figures: Record<string, string | number | boolean> = {
        durationSeconds: DURATION_MS / 1000,
        processes: nodes.length + 2,
        eventsPerSecondPerNode: (EVENTS_PER_TICK * 1000) / TICK_MS,
        logRecordsPerSecondPerNode: (LOGS_PER_TICK * 1000) / TICK_MS,
        samplesPerProcess: Math.min(...growth.map((g) => g.samples)),
      };
      for (const g of growth) {
        figures[`${g.name}: RSS median, middle → last third`] =
          `${mib(g.rss.middleMedian)} → ${mib(g.rss.lastMedian)}`;
        if (g.heap)
          figures[`${g.name}: heap median, middle → last third`] =
            `${mib(g.heap.middleMedian)} → ${mib(g.heap.lastMedian)}`;
        figures[`${g.name}: fds, middle → last third`] =
          `${g.fds.middleMin}–${g.fds.middleMax} → ${g.fds.lastMin}–${g.fds.lastMax}`;
        if (g.handles)
          figures[`${g.name}: handles, middle → last third`] =
            `${g.handles.middleMin}–${g.handles.middleMax} → ${g.handles.lastMin}–${g.handles.lastMax}`;
      }
      const ledger = writeLedger({
        scenario: "soak",
        title: `A steady load for ${DURATION_MS / 1000} s through a broker, a logger and three nodes, every one a process`,
        proves:
          "Under a steady load nothing grows without bound: in every process the last third of the run holds no more memory than the middle third (within generous margins) and exactly as many file descriptors and handles; every event is consumed or counted as dropped and every log record is written or counted as dropped.",
        unit: "events and log records",
        sent: events.sent + logsWritten(),
        received: events.received + inFiles,
        dropped: {
          publishQueueDrops: events.publishQueueDrops,
          xpubDrops: events.xpubDrops,
          onloopDrops: events.onloopDrops,
          senderRecordsDropped: logsDropped(),
        },
        figures,
        unexpectedExits: [
          ...nodes.filter((node) => !node.json.child.running()).map((node) => node.name),
          ...(logger.json.child.running() ? [] : ["logger"]),
          ...(broker.running() ? [] : ["broker"]),
        ],
      });
      expect(ledger.balanced, JSON.stringify({ events, logsWritten: logsWritten(), inFiles })).toBe(true);
      expect(ledger.unexpectedExits).toEqual([]);
      expect(events.disorder).toBe(0);
      for (const g of growth) {
        expect(bounded(g.rss, RSS_RATIO, RSS_SLACK), `${g.name} RSS ${JSON.stringify(g.rss)}`).toBe(true);
        if (g.heap)
          expect(bounded(g.heap, HEAP_RATIO, HEAP_SLACK), `${g.name} heap ${JSON.stringify(g.heap)}`).toBe(
            true,
          );
        expect(g.fds.lastMax, `${g.name} fds ${JSON.stringify(g.fds)}`).toBe(g.fds.middleMax);
        expect(g.fds.lastMin, `${g.name} fds ${JSON.stringify(g.fds)}`).toBe(g.fds.middleMin);
        if (g.handles) {
          expect(g.handles.lastMax, `${g.name} handles ${JSON.stringify(g.handles)}`).toBe(
            g.handles.middleMax,
          );
          expect(g.handles.lastMin, `${g.name} handles ${JSON.stringify(g.handles)}`).toBe(
            g.handles.middleMin,
          );
        }
      }
    },
    DURATION_MS + 120_000,
  );
});
