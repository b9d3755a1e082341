// Zeek's CURVE mismatch scenarios (two-nodes-encryption-mismatch, -mismatch-2, -wrong-client-publickey): a real
// Zeek 8.2.2 worker must fail the same way against a zmqc broker as against Zeek's own proxy thread.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startBroker } from "@zmqc/broker";
import { Cleanup, describeWithZeek, reservePorts, ZEEK_CURVE_KEYS } from "@zmqc/zeek-harness";
import { afterEach, expect, it } from "vitest";
import { startZeekNode, ZEEK_CURVE_ENV } from "./support/zeek.js";

const keys = ZEEK_CURVE_KEYS;

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const WORKER = fileURLToPath(new URL("./zeek/worker-on-zmqc.zeek", import.meta.url));
const MANAGER = fileURLToPath(new URL("./zeek/manager-with-proxy.zeek", import.meta.url));

type Keys = Partial<
  Record<
    "CURVE_SERVER_PUBLIC" | "CURVE_SERVER_SECRET" | "CURVE_CLIENT_PUBLIC" | "CURVE_CLIENT_SECRET",
    string
  >
>;
const ALL: Keys = ZEEK_CURVE_ENV;
const WRONG_CLIENT: Keys = {
  CURVE_SERVER_PUBLIC: keys.serverPublic,
  CURVE_CLIENT_PUBLIC: keys.wrongClientPublic,
  CURVE_CLIENT_SECRET: keys.wrongClientSecret,
};

function startZeek(name: string, script: string, node: string, ports: number[], curve: Keys) {
  const dir = cleanup.add(mkdtempSync(join(tmpdir(), `zmqc-zeek-curve-${name}-`)), (d) =>
    rmSync(d, { recursive: true, force: true }),
  );
  const [xpubPort, xsubPort, logPort] = ports as [number, number, number];
  return cleanup.add(
    startZeekNode({
      name: `Zeek ${name}`,
      script,
      node,
      dir,
      xpubPort,
      xsubPort,
      logPort,
      env: { ZMQC_RECORDS: "0", ...curve },
      hardTimeoutMs: 40_000,
    }),
    (child) => child.dispose(),
  );
}

/** Runs the Zeek worker until it dies of the mismatch; its fatal line with the port made generic. */
async function workerFailure(ports: number[], curve: Keys): Promise<string> {
  const worker = startZeek("worker", WORKER, "worker-1", ports, curve);
  const exit = await worker.waitForExit(30_000);
  expect(exit.code, exit.stderr).not.toBe(0);
  if (process.env.ZMQC_DEBUG_ZEEK) process.stderr.write(`---\n${exit.stderr}\n`);
  const fatal = exit.stderr
    .split("\n")
    .find((line) => line.includes("fatal error") && line.includes("ZeroMQ: Handshake for socket"));
  expect(fatal, exit.stderr).toBeDefined();
  return (fatal as string)
    .replace(/^.*?(ZeroMQ: Handshake)/, "$1")
    .replace(/127\.0\.0\.1:\d+/, "127.0.0.1:PORT");
}

const CASES: [string, Keys, Keys][] = [
  ["the broker encrypts, the worker does not (two-nodes-encryption-mismatch)", ALL, {}],
  ["the worker encrypts, the broker does not (two-nodes-encryption-mismatch-2)", {}, ALL],
  [
    "the worker's client key is not the broker's (two-nodes-encryption-wrong-client-publickey)",
    ALL,
    WRONG_CLIENT,
  ],
];

describeWithZeek("Zeek's CURVE mismatch scenarios against a zmqc broker", () => {
  it.each(CASES)(
    "%s: the Zeek worker dies as it does with Zeek's own proxy",
    async (_, serverKeys, workerKeys) => {
      // Zeek's own proxy thread (in a Zeek manager) first: the reference.
      const zeekPorts = await reservePorts(3);
      const manager = startZeek("manager", MANAGER, "manager", zeekPorts, serverKeys);
      await manager.takeLine("the manager", (line) => line === "started", 20_000);
      const reference = await workerFailure(zeekPorts, workerKeys);
      await manager.dispose();

      // The same worker against a zmqc broker with the same keys.
      const ports = await reservePorts(3);
      const broker = cleanup.add(
        await startBroker({
          listenXpubEndpoint: `tcp://127.0.0.1:${ports[0]}`,
          listenXsubEndpoint: `tcp://127.0.0.1:${ports[1]}`,
          curveServerSecretKey: serverKeys.CURVE_SERVER_SECRET ?? "",
          curveClientPublicKey: serverKeys.CURVE_CLIENT_PUBLIC ?? "",
          log: () => {},
        }),
        (b) => b.close(),
      );
      const ours = await workerFailure(ports, workerKeys);
      expect(ours).toBe(reference);
      expect(ours).toMatch(
        /^ZeroMQ: Handshake for socket tcp:\/\/127\.0\.0\.1:PORT failed: event=0x[0-9a-f]+ value=\d+$/,
      );
      if (workerKeys === WRONG_CLIENT) expect(broker.stats().authRefused).toBeGreaterThan(0);
    },
    90_000,
  );
});
