// The zmqc commands as a user runs them: real processes, a real broker, the upstream Zeek byte vectors.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startTestBroker } from "@zmqc/broker/testing";
import { Cleanup } from "@zmqc/zeek-harness";
import { afterEach, describe, expect, it } from "vitest";
import { startZmqc, tempDir } from "./support/zmqc.js";

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

interface Vector {
  readonly id: string;
  readonly hex: string;
}
const vectorsFile = fileURLToPath(
  new URL("../../../packages/wire-format/conformance/vectors.json", import.meta.url),
);
const vectors = (JSON.parse(readFileSync(vectorsFile, "utf8")) as { vectors: Vector[] }).vectors;
const vector = (id: string) => vectors.find((v) => v.id === id)?.hex as string;

async function run(args: readonly string[], app?: string) {
  const child = cleanup.add(startZmqc(args, app ? { app } : {}), (c) => c.dispose());
  return child.waitForExit(30_000);
}

describe("zmqc decode", () => {
  it("prints the upstream broker-bin-v1 vector as the event Zeek encoded", async () => {
    const exit = await run(["decode", vector("zeek/broker-bin-v1/node_status")]);
    expect(exit.code, exit.stderr).toBe(0);
    expect(exit.stdout).toBe(
      'broker-bin-v1 event (86 bytes)\nSupervisor::node_status("TEST", 42)\n  metadata network_timestamp: 0.0\n',
    );
  });

  it("prints the upstream zeek-bin-serializer vector as a log batch", async () => {
    const exit = await run(["decode", vector("zeek/zeek-bin-serializer/my-path")]);
    expect(exit.code, exit.stderr).toBe(0);
    expect(exit.stdout).toContain("path my-path, 2 record(s)\nfields: ts:time\n");
    expect(exit.stdout).toContain('{"ts":1.0}\n{"ts":2.0}\n');
  });

  it("decodes the 4 frames of an event message, and a payload from a file", async () => {
    const hex = (text: string) => Buffer.from(text).toString("hex");
    const frames = [
      hex("zeek.cluster.worker"),
      hex("zeromq_w_1"),
      hex("broker-bin-v1"),
      vector("zmqc/broker-bin-v1/zeromq-hello"),
    ];
    const exit = await run(["decode", ...frames]);
    expect(exit.code, exit.stderr).toBe(0);
    expect(exit.stdout).toMatch(
      /^event message: topic 'zeek.cluster.worker', sender 'zeromq_w_1', format broker-bin-v1/,
    );
    expect(exit.stdout).toContain('Cluster::Backend::ZeroMQ::hello("worker-1"');

    const dir = cleanup.add(tempDir("zmqc-decode-"), (d) => d.remove());
    const file = join(dir.path, "payload.bin");
    writeFileSync(file, Buffer.from(vector("zeek/broker-bin-v1/node_status"), "hex"));
    const fromFile = await run(["decode", "--file", file, "--format", "broker-bin-v1"]);
    expect(fromFile.stdout).toContain('Supervisor::node_status("TEST", 42)');
  });

  it("says in one line what is wrong with its input, exit 2", async () => {
    const notHex = await run(["decode", "xyz"]);
    expect(notHex.code).toBe(2);
    expect(notHex.stderr).toBe("zmqc: not hex: 'xyz' (see zmqc <command> --help)\n");
    const garbage = await run(["decode", "0e03ff"]);
    expect(garbage.code).toBe(2);
    expect(garbage.stderr.trim().split("\n")).toHaveLength(1);
    expect(garbage.stderr).toMatch(/^zmqc: no format decodes these 3 bytes: +broker-bin-v1: /);
  });
});

describe("zmqc publish and subscribe", () => {
  it("a subscriber prints what a publisher sends through a real broker, decoded", async () => {
    const broker = cleanup.add(
      await startTestBroker({
        listenXpubEndpoint: "tcp://127.0.0.1:*",
        listenXsubEndpoint: "tcp://127.0.0.1:*",
      }),
      (b) => b.close(),
    );
    const endpoints = ["--xsub", broker.xpubEndpoint, "--xpub", broker.xsubEndpoint];
    const subscriber = cleanup.add(
      startZmqc(["subscribe", ...endpoints, "--count", "1", "test.topic."]),
      (c) => c.dispose(),
    );
    await subscriber.takeLine("subscribed", (line) => line.startsWith("subscribed to 'test.topic.'"), 15_000);
    const published = await run([
      "publish",
      ...endpoints,
      "test.topic.a",
      "Test::ev",
      "hi",
      "count:7",
      "-3",
      "10.0.0.1",
      "80/tcp",
      "T",
    ]);
    expect(published.code, published.stderr).toBe(0);
    expect(published.stdout).toBe(
      `published to 'test.topic.a': Test::ev("hi", 7, -3, 10.0.0.1, 80/tcp, T)\n`,
    );
    const exit = await subscriber.waitForExit(15_000);
    expect(exit.code, exit.stderr).toBe(0);
    expect(exit.stdout).toMatch(
      /^test\.topic\.a from zeromq_zmqc-cli_\S+: Test::ev\("hi", 7, -3, 10\.0\.0\.1, 80\/tcp, T\)$/m,
    );
  }, 60_000);

  it("rejects a value that does not parse, in one line", async () => {
    const exit = await run([
      "publish",
      "--xsub",
      "tcp://127.0.0.1:1",
      "--xpub",
      "tcp://127.0.0.1:1",
      "t",
      "E",
      "count:-1",
    ]);
    expect(exit.code).toBe(2);
    expect(exit.stderr).toBe("zmqc: '-1' is not a count (see zmqc <command> --help)\n");
  });
});

describe("zmqc keygen", () => {
  it("makes a fresh Z85 CURVE key pair each time", async () => {
    const first = await run(["keygen", "--format", "json"]);
    const second = await run(["keygen", "--format", "json"]);
    const a = JSON.parse(first.stdout) as { public: string; secret: string };
    const b = JSON.parse(second.stdout) as { public: string; secret: string };
    for (const key of [a.public, a.secret, b.public])
      expect(key).toMatch(/^[0-9a-zA-Z.\-:+=^!/*?&<>()[\]{}@%$#]{40}$/);
    expect(a.public).not.toBe(b.public);
    expect(a.secret).not.toBe(a.public);
  });
});

describe("bad configuration", () => {
  it("a role app and cluster up give one line and exit 2 for a bad layout file", async () => {
    const dir = cleanup.add(tempDir("zmqc-bad-"), (d) => d.remove());
    const layout = join(dir.path, "layout.yaml");
    writeFileSync(layout, "nodes:\n  worker-1: { type: worker, ip: not-an-ip }\n");
    const worker = await run(["--layout", layout, "--node", "worker-1"], "worker");
    expect(worker.code).toBe(2);
    expect(worker.stderr.trim().split("\n")).toHaveLength(1);
    expect(worker.stderr).toMatch(
      /^zmqc-worker: invalid configuration: cluster\.nodes\.worker-1\.ip \(file .*layout\.yaml\): /,
    );
    const up = await run(["cluster", "up", "--layout", layout, "--run-dir", join(dir.path, "run")]);
    expect(up.code).toBe(2);
    expect(up.stderr).toMatch(/^zmqc cluster up: invalid configuration: cluster\.nodes\.worker-1\.ip/);
    const missing = await run(["--layout", join(dir.path, "nope.yaml"), "--node", "worker-1"], "worker");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^zmqc-worker: invalid configuration: .*nope\.yaml/);
  });

  it("a node whose type differs from the app says which app to run", async () => {
    const dir = cleanup.add(tempDir("zmqc-bad-"), (d) => d.remove());
    const layout = join(dir.path, "layout.yaml");
    writeFileSync(layout, "nodes:\n  logger-1: { type: logger, ip: 127.0.0.1, logPort: 1 }\n");
    const exit = await run(["--layout", layout, "--node", "logger-1"], "worker");
    expect(exit.code).toBe(2);
    expect(exit.stderr).toBe(
      "zmqc-worker: node 'logger-1' is a logger in the layout, not a worker; run zmqc-logger\n",
    );
  });

  it("--print-config shows what is in force for the node, with where it came from", async () => {
    const example = fileURLToPath(new URL("../../../packages/config/examples/cluster.yaml", import.meta.url));
    const exit = await run(["--config", example, "--node", "worker-1", "--print-config"], "worker");
    expect(exit.code, exit.stderr).toBe(0);
    expect(exit.stdout).toMatch(/^node: worker-1$/m);
    expect(exit.stdout).toMatch(
      /connectLogEndpoints:\n {4}# layout node worker-1\n {4}- tcp:\/\/127\.0\.0\.1:5557\n/,
    );
  });

  it("every role app prints its help and exits 0", async () => {
    for (const app of ["manager", "worker", "logger", "broker"]) {
      const exit = await run(["--help"], app);
      expect(exit.code).toBe(0);
      expect(exit.stdout).toContain(`Usage: zmqc-${app} [options]`);
    }
  });
});
