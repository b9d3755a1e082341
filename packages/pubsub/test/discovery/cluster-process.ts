// A zmqc cluster node in a child process (cluster-child.ts under tsx), which a test can SIGKILL, SIGSTOP and restart.
import { fileURLToPath } from "node:url";
import type { NodeType } from "@zmqc/config";
import type { LivenessOptions } from "@zmqc/pubsub";
import { type Child, startChild } from "@zmqc/zeek-harness";
import type { Endpoints } from "./support.js";

/** packages/pubsub: tsx and the package's own name resolve from here. */
const PACKAGE_DIR = fileURLToPath(new URL("../../", import.meta.url));
const RUNNER = fileURLToPath(new URL("./cluster-child.ts", import.meta.url));
// As in @zmqc/vitest-config: TEST_DIST=1 tests the built dist/, so the child imports it too.
const TEST_DIST = process.env.TEST_DIST !== undefined && process.env.TEST_DIST !== "0";
const CONDITIONS = TEST_DIST ? [] : ["--conditions=@zmqc/source"];

/** A cluster node in its own process. */
export interface ClusterProcess {
  readonly child: Child;
  /** Its node id, as it reported once it had joined. */
  readonly nodeId: string;
  /** When (performance.now()) it reported that it had joined: its sockets were connecting then. */
  readonly joinedAt: number;
  /** Waits for the discovery event it prints next that matches, e.g. `{ event: "node_up", name: "manager" }`. */
  waitFor(expected: Readonly<Record<string, unknown>>, ms?: number): Promise<Record<string, unknown>>;
}

/** Starts a node of `nodes` named `name` in a child process and waits (at most `ms`) until it has joined. */
export async function startClusterProcess(options: {
  readonly broker: Endpoints;
  readonly nodes: Readonly<Record<string, NodeType>>;
  readonly name: string;
  readonly liveness?: LivenessOptions;
  readonly ms?: number;
}): Promise<ClusterProcess> {
  const { ms = 15_000, ...config } = options;
  const child = startChild(
    `zmqc ${options.name}`,
    process.execPath,
    [...CONDITIONS, "--import", "tsx", RUNNER, JSON.stringify(config)],
    { cwd: PACKAGE_DIR },
  );
  const parse = (line: string): Record<string, unknown> | undefined => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  };
  try {
    const joined = parse(await child.takeLine("joined", (line) => parse(line)?.event === "joined", ms));
    return {
      child,
      nodeId: String(joined?.id),
      joinedAt: performance.now(),
      async waitFor(expected, waitMs = 5000) {
        const matches = (line: string) => {
          const report = parse(line);
          return (
            report !== undefined && Object.entries(expected).every(([key, value]) => report[key] === value)
          );
        };
        return parse(await child.takeLine(JSON.stringify(expected), matches, waitMs)) ?? {};
      },
    };
  } catch (error) {
    await child.dispose();
    throw error;
  }
}

/**
 * Resolves once a node with the liveness check on has surely sent its first heartbeats. The broker arms the TTL
 * timer on the first PING it receives, one interval after the connection is made, and nothing reports that PING:
 * a node stopped before it would never be dropped. This is the tests' only wait on time, at most three intervals
 * after the node joined.
 */
export async function heartbeatsStarted(node: ClusterProcess, intervalMs: number): Promise<void> {
  const left = node.joinedAt + 3 * intervalMs - performance.now();
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
}
