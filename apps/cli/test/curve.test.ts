// An encrypted cluster run by the apps: CURVE keys in the configuration file, as an operator would set them.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Cleanup, reservePorts, ZEEK_CURVE_KEYS } from "@zmqc/zeek-harness";
import { afterEach, describe, expect, it } from "vitest";
import { startDemoCluster, startZmqc, tempDir } from "./support/zmqc.js";

const keys = ZEEK_CURVE_KEYS;

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

async function curveConfig(
  dir: string,
  clientKeys = { public: keys.clientPublic, secret: keys.clientSecret },
) {
  const [xpub, xsub, logPort] = (await reservePorts(3)) as number[];
  const config = {
    listenXpubEndpoint: `tcp://127.0.0.1:${xpub}`,
    listenXsubEndpoint: `tcp://127.0.0.1:${xsub}`,
    connectXsubEndpoint: `tcp://127.0.0.1:${xpub}`,
    connectXpubEndpoint: `tcp://127.0.0.1:${xsub}`,
    curveServerPublicKey: keys.serverPublic,
    curveServerSecretKey: keys.serverSecret,
    curveClientPublicKey: keys.clientPublic,
    curveClientSecretKey: keys.clientSecret,
    cluster: {
      nodes: {
        manager: { type: "manager", ip: "127.0.0.1" },
        "logger-1": { type: "logger", ip: "127.0.0.1", logPort, manager: "manager" },
        "worker-1": { type: "worker", ip: "127.0.0.1", manager: "manager" },
      },
    },
  };
  const file = join(dir, "cluster.json");
  writeFileSync(file, JSON.stringify(config));
  const wrong = join(dir, "wrong-client.json");
  writeFileSync(
    wrong,
    JSON.stringify({
      ...config,
      curveClientPublicKey: clientKeys.public,
      curveClientSecretKey: clientKeys.secret,
    }),
  );
  return { file, wrong };
}

describe("CURVE in the apps", () => {
  it("cluster up with keys: all nodes up, logs written, no key in any output", async () => {
    const dir = cleanup.add(tempDir("zmqc-curve-up-"), (d) => d.remove());
    const { file } = await curveConfig(dir.path);
    const runDir = join(dir.path, "run");
    const logDir = join(dir.path, "logs");
    const up = cleanup.add(
      await startDemoCluster({ args: ["--config", file], runDir, logDir, nodes: 3, recordsAt: "logger-1" }),
      (child) => child.dispose(),
    );
    up.kill("SIGTERM");
    const exit = await up.waitForExit(60_000);
    expect(exit.code, exit.stdout).toBe(0);
    expect(readFileSync(join(logDir, "conn.log"), "utf8")).toMatch(/^#path\tconn$/m);
    for (const name of readdirSync(runDir).filter((f) => f.endsWith(".log"))) {
      const text = readFileSync(join(runDir, name), "utf8");
      for (const secret of [keys.serverSecret, keys.clientSecret]) expect(text, name).not.toContain(secret);
    }
    const printed = cleanup.add(
      startZmqc(["--config", file, "--node", "worker-1", "--print-config"], { app: "worker" }),
      (c) => c.dispose(),
    );
    const config = await printed.waitForExit(20_000);
    expect(config.stdout).toMatch(/^ {2}curveClientSecretKey: <redacted> # file .*cluster\.json$/m);
    expect(config.stdout).not.toContain(keys.clientSecret);
  }, 120_000);

  it("a worker with the wrong client key exits 1 with Zeek's handshake error; the manager logs the refusal", async () => {
    const dir = cleanup.add(tempDir("zmqc-curve-wrong-"), (d) => d.remove());
    const { file, wrong } = await curveConfig(dir.path, {
      public: keys.wrongClientPublic,
      secret: keys.wrongClientSecret,
    });
    const env = { ZMQC_PRETTY: "0" };
    const manager = cleanup.add(
      startZmqc(["--config", file, "--node", "manager"], { app: "manager", env }),
      (c) => c.dispose(),
    );
    await manager.takeLine("the broker", (line) => line.includes('"msg":"broker listening"'), 20_000);
    const worker = cleanup.add(
      startZmqc(["--config", wrong, "--node", "worker-1", "--log-dir", join(dir.path, "logs")], {
        app: "worker",
        env,
      }),
      (c) => c.dispose(),
    );
    const exit = await worker.waitForExit(30_000);
    expect(exit.code).toBe(1);
    expect(exit.stdout).toMatch(
      /ZeroMQ: Handshake for socket tcp:\/\/127\.0\.0\.1:\d+ failed: event=0x4000 value=400/,
    );
    await manager.takeLine(
      "the refusal",
      (line) => line.includes("ZeroMQ/ZAP: refused a client from 127.0.0.1"),
      10_000,
    );
    expect(manager.output().stdout).not.toContain(keys.wrongClientPublic);
  }, 90_000);
});
