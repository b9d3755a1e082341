// pyzmq (Debian's python3-zmq) as another ZeroMQ binding for interop tests: finding it, skipping visibly without
// it, and driving the Python scripts beside this file.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type Child, LINE_TIMEOUT_MS, startChild } from "@zmqc/zeek-harness";
import { describe } from "vitest";

/** The Python that has pyzmq: Debian's, not the first python3 on PATH. `ZMQC_PYTHON` overrides it. */
export const PYTHON = process.env.ZMQC_PYTHON || "/usr/bin/python3";

const HERE = fileURLToPath(new URL("./", import.meta.url));

let cached: { reason: string | undefined } | undefined;

/** Why pyzmq tests cannot run here, or undefined when `PYTHON -c "import zmq"` works. Probed once. */
export function pyzmqUnavailableReason(): string | undefined {
  cached ??= { reason: probe() };
  return cached.reason;
}

function probe(): string | undefined {
  if (process.env.ZMQC_NO_PYZMQ !== undefined && !["", "0"].includes(process.env.ZMQC_NO_PYZMQ)) {
    return "pyzmq disabled by ZMQC_NO_PYZMQ";
  }
  const result = spawnSync(PYTHON, ["-c", "import zmq; print(zmq.pyzmq_version(), zmq.zmq_version())"], {
    encoding: "utf8",
    timeout: 10_000,
    killSignal: "SIGKILL",
  });
  if (result.error === undefined && result.status === 0) return undefined;
  const why = result.error?.message ?? result.stderr.trim().split("\n").pop() ?? `exit ${result.status}`;
  return `${PYTHON} cannot import zmq (${why}): apt-get install python3-zmq, or run scripts/install-test-deps.sh`;
}

/**
 * `describe(name, fn)` for tests that need pyzmq; without it, one line on stderr,
 * `[pyzmq] skipping "<name>": <reason>`, and `describe.skip`, so every test is still listed as skipped.
 */
export function describeWithPyzmq(name: string, fn: () => void): void {
  const reason = pyzmqUnavailableReason();
  if (reason === undefined) {
    describe(name, fn);
    return;
  }
  process.stderr.write(`[pyzmq] skipping "${name}": ${reason}\n`);
  describe.skip(name, fn);
}

const hex = (value: string | Uint8Array) =>
  (typeof value === "string" ? Buffer.from(value, "utf8") : Buffer.from(value)).toString("hex");

type Report =
  | { event: "ready"; pyzmq: string; libzmq: string }
  | { event: "notification"; frame: string }
  | { event: "message"; frames: string[] }
  | { event: "published" };

function parse(line: string): Report | undefined {
  try {
    return JSON.parse(line) as Report;
  } catch {
    return undefined;
  }
}

/** A node made of pyzmq sockets (pyzmq_peer.py), connected to a broker. */
export interface PythonPeer {
  readonly child: Child;
  /** pyzmq's and libzmq's versions, as the peer reported them. */
  readonly versions: { readonly pyzmq: string; readonly libzmq: string };
  subscribe(prefix: string): void;
  unsubscribe(prefix: string): void;
  /** Publishes a multipart message on its XPUB and waits until pyzmq has taken it. */
  publish(frames: readonly (string | Uint8Array)[]): Promise<void>;
  /** Waits for the notification `+prefix` or `-prefix` on its XPUB (earlier ones that differ stay queued). */
  awaitNotification(expected: string, ms?: number): Promise<void>;
  /** The next message its XSUB receives, frames as bytes. */
  nextMessage(ms?: number): Promise<Buffer[]>;
}

/** Starts pyzmq_peer.py against a broker's endpoints and waits for its "ready". */
export async function startPythonPeer(endpoints: {
  xpubEndpoint: string;
  xsubEndpoint: string;
}): Promise<PythonPeer> {
  const child = startChild("python peer", PYTHON, [
    `${HERE}pyzmq_peer.py`,
    endpoints.xsubEndpoint,
    endpoints.xpubEndpoint,
  ]);
  let ready: Report | undefined;
  try {
    ready = parse(await child.takeLine("ready", (line) => parse(line)?.event === "ready"));
  } catch (error) {
    await child.dispose();
    throw error;
  }
  const { pyzmq, libzmq } = ready as { pyzmq: string; libzmq: string };
  const notification = (expected: string) => {
    const frame = hex(
      Buffer.concat([Buffer.from([expected[0] === "+" ? 1 : 0]), Buffer.from(expected.slice(1))]),
    );
    return (line: string) => {
      const report = parse(line);
      return report?.event === "notification" && report.frame === frame;
    };
  };
  return {
    child,
    versions: { pyzmq, libzmq },
    subscribe: (prefix) => child.writeLine(JSON.stringify({ op: "subscribe", prefix: hex(prefix) })),
    unsubscribe: (prefix) => child.writeLine(JSON.stringify({ op: "unsubscribe", prefix: hex(prefix) })),
    async publish(frames) {
      child.writeLine(JSON.stringify({ op: "publish", frames: frames.map(hex) }));
      await child.takeLine("published", (line) => parse(line)?.event === "published");
    },
    async awaitNotification(expected, ms = LINE_TIMEOUT_MS) {
      await child.takeLine(`notification ${expected}`, notification(expected), ms);
    },
    async nextMessage(ms = LINE_TIMEOUT_MS) {
      const line = await child.takeLine("a message", (l) => parse(l)?.event === "message", ms);
      const report = parse(line) as { frames: string[] };
      return report.frames.map((frame) => Buffer.from(frame, "hex"));
    },
  };
}

/** A running pyzmq_forwarder.py: zmq.proxy(xsub, xpub) with XPUB_VERBOSER, on ports it reported. */
export interface PythonForwarder {
  readonly child: Child;
  /** Its XPUB: peers connect their XSUB here. */
  readonly xpubEndpoint: string;
  /** Its XSUB: peers connect their XPUB here. */
  readonly xsubEndpoint: string;
  readonly versions: { readonly pyzmq: string; readonly libzmq: string };
}

/** Starts pyzmq_forwarder.py and waits until it has bound and printed its endpoints. */
export async function startPythonForwarder(): Promise<PythonForwarder> {
  const child = startChild("python forwarder", PYTHON, [`${HERE}pyzmq_forwarder.py`]);
  try {
    const line = await child.takeLine("its endpoints", (l) => l.startsWith("{"));
    const { xpub, xsub, pyzmq, libzmq } = JSON.parse(line) as Record<string, string>;
    if (xpub === undefined || xsub === undefined) throw new Error(`python forwarder printed ${line}`);
    return {
      child,
      xpubEndpoint: xpub,
      xsubEndpoint: xsub,
      versions: { pyzmq: pyzmq ?? "?", libzmq: libzmq ?? "?" },
    };
  } catch (error) {
    await child.dispose();
    throw error;
  }
}
