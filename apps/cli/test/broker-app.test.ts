// The standalone broker app: Zeek's supervisor-run proxy thread as its own process.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Cleanup, reservePorts } from "@zmqc/zeek-harness";
import { afterEach, describe, expect, it } from "vitest";
import { portIsFree, startZmqc, tempDir } from "./support/zmqc.js";

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

describe("zmqc-broker", () => {
  it("forwards with Zeek's proxy statistics in managed mode, serves them, and frees its ports on SIGTERM", async () => {
    const [xpub, xsub, metricsPort] = (await reservePorts(3)) as [number, number, number];
    const broker = cleanup.add(
      startZmqc(
        ["--broker-mode", "managed", "--metrics-port", String(metricsPort), "--max-message-size", "65536"],
        {
          app: "broker",
          env: {
            ZMQC_LISTEN_XPUB_ENDPOINT: `tcp://127.0.0.1:${xpub}`,
            ZMQC_LISTEN_XSUB_ENDPOINT: `tcp://127.0.0.1:${xsub}`,
            ZMQC_PRETTY: "0",
          },
        },
      ),
      (child) => child.dispose(),
    );
    await broker.takeLine("serving", (line) => line.includes('"msg":"serving /metrics'), 20_000);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).status).toBe(200);

    // A client publishes through it and a subscriber receives: the statistics move.
    const endpoints = ["--xsub", `tcp://127.0.0.1:${xpub}`, "--xpub", `tcp://127.0.0.1:${xsub}`];
    const subscriber = cleanup.add(startZmqc(["subscribe", ...endpoints, "--count", "1", "t."]), (c) =>
      c.dispose(),
    );
    await subscriber.takeLine("subscribed", (line) => line.startsWith("subscribed to"), 15_000);
    const publisher = cleanup.add(startZmqc(["publish", ...endpoints, "t.x", "T::e", "1"]), (c) =>
      c.dispose(),
    );
    expect((await publisher.waitForExit(20_000)).code).toBe(0);
    expect((await subscriber.waitForExit(20_000)).stdout).toContain("t.x from ");

    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const received = /^zeek_cluster_zeromq_proxy_frontend_messages_received_total (\d+)$/m.exec(metrics);
    expect(Number(received?.[1])).toBeGreaterThan(0);
    const status = (await (await fetch(`http://127.0.0.1:${metricsPort}/status`)).json()) as {
      role: string;
      broker: { mode: string };
    };
    expect(status.role).toBe("broker");
    expect(status.broker.mode).toBe("managed");

    broker.kill("SIGTERM");
    const exit = await broker.waitForExit(20_000);
    expect(exit.code, exit.stdout + exit.stderr).toBe(0);
    expect(exit.stdout.trim().split("\n").at(-1)).toContain('"msg":"stopped"');
    for (const port of [xpub, xsub, metricsPort]) expect(await portIsFree(port), `port ${port}`).toBe(true);
  }, 60_000);

  it("restarted under a running worker: the worker logs that it holds its events, then that every subscriber is back", async () => {
    const [xpub, xsub, logPort] = (await reservePorts(3)) as [number, number, number];
    const dir = cleanup.add(tempDir("zmqc-broker-restart-"), (d) => d.remove());
    const config = join(dir.path, "cluster.json");
    writeFileSync(
      config,
      JSON.stringify({
        connectXsubEndpoint: `tcp://127.0.0.1:${xpub}`,
        connectXpubEndpoint: `tcp://127.0.0.1:${xsub}`,
        cluster: {
          nodes: {
            manager: { type: "manager", ip: "127.0.0.1" },
            // Not started: the worker's log batches wait for it, which is not what this test is about.
            "logger-1": { type: "logger", ip: "127.0.0.1", logPort, manager: "manager" },
            "worker-1": { type: "worker", ip: "127.0.0.1", manager: "manager" },
          },
        },
      }),
    );
    const env = {
      ZMQC_LISTEN_XPUB_ENDPOINT: `tcp://127.0.0.1:${xpub}`,
      ZMQC_LISTEN_XSUB_ENDPOINT: `tcp://127.0.0.1:${xsub}`,
      ZMQC_PRETTY: "0",
    };
    const startBroker = () => cleanup.add(startZmqc([], { app: "broker", env }), (child) => child.dispose());
    const broker = startBroker();
    await broker.takeLine("listening", (line) => line.includes('"msg":"broker listening'), 20_000);
    const worker = cleanup.add(
      startZmqc(["--config", config, "--node", "worker-1", "--reconnect-hold-ms", "30000"], {
        app: "worker",
        env: { ZMQC_PRETTY: "0" },
      }),
      (child) => child.dispose(),
    );
    // Its own node topic seen through the broker: the worker's XPUB has a subscription to expect back.
    await worker.takeLine(
      "its own subscription",
      (line) => line.includes('"event":"subscription"') && line.includes("worker-1"),
      20_000,
    );

    broker.kill("SIGTERM");
    expect((await broker.waitForExit(20_000)).code).toBe(0);
    const started = await worker.takeLine(
      "the hold's start",
      (line) => line.includes('"event":"reconnect_hold"'),
      20_000,
    );
    expect(JSON.parse(started)).toMatchObject({ phase: "started", msg: expect.stringContaining("held") });

    const again = startBroker();
    await again.takeLine("listening again", (line) => line.includes('"msg":"broker listening'), 20_000);
    const ended = await worker.takeLine(
      "the hold's end",
      (line) => line.includes('"event":"reconnect_hold"'),
      20_000,
    );
    // Well before the 30 s hold ran out: the worker's own subscription came back through the new broker.
    expect(JSON.parse(ended)).toMatchObject({ phase: "ended", reason: "complete", missingPrefixes: 0 });
  }, 90_000);

  // Every role accepts every role flag, checked before anything starts: the broker app refuses a node's flag too.
  const refusals: [string, [string[], Record<string, string>][], RegExp][] = [
    [
      "--max-message-size that is not a size",
      [
        [["--max-message-size", "lots"], {}],
        [[], { ZMQC_MAX_MESSAGE_SIZE: "" }],
        [[], { ZMQC_MAX_MESSAGE_SIZE: "64e3" }],
      ],
      /--max-message-size: '.*' is not a size in bytes/,
    ],
    [
      "--reconnect-hold-ms that is not a whole number of ms",
      [
        [["--reconnect-hold-ms", "-5"], {}],
        [[], { ZMQC_RECONNECT_HOLD_MS: "" }],
        [[], { ZMQC_RECONNECT_HOLD_MS: "1e3" }],
      ],
      /--reconnect-hold-ms: '.*' is not a whole number of ms/,
    ],
    [
      "--metrics-port that is not a port",
      [
        [["--metrics-port", "70000"], {}],
        [[], { ZMQC_METRICS_PORT: "" }],
      ],
      /--metrics-port: '.*' is not a port number/,
    ],
  ];
  for (const [what, cases, message] of refusals)
    it(`refuses a ${what}, in one line, exit 2`, async () => {
      for (const [args, env] of cases) {
        const broker = cleanup.add(startZmqc(args, { app: "broker", env }), (c) => c.dispose());
        const exit = await broker.waitForExit(20_000);
        expect(exit.code, JSON.stringify(env)).toBe(2);
        expect(exit.stderr.trim()).toMatch(message);
      }
    });
});
