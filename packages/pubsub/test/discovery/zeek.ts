// Real Zeek nodes in a cluster with zmqc nodes (after packages/broker/test/support/zeek.ts): each runs
// `zeek -b <script>` in a fresh temp dir holding its cluster-layout.zeek, in its own process group, with a hard
// time limit; the scripts are in ./zeek/.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Child, findZeek, reservePorts, startChild, zeekPath, zeekPort } from "@zmqc/zeek-harness";

export { reservePorts, zeekPort };

import type { Endpoints } from "./support.js";

/** The Zeek scripts of these tests. */
export const ZEEK_SCRIPTS_DIR = fileURLToPath(new URL("./zeek/", import.meta.url));

/**
 * The mixed clusters' layout: manager (also the logger: its PULL port is LOG_PULL_PORT, which nobody binds in the
 * tests where the manager is zmqc's), worker-1 and worker-2, on 127.0.0.1.
 */
export const LAYOUT = `redef Cluster::manager_is_logger = T;

redef Cluster::nodes = {
	["manager"] = [$node_type=Cluster::MANAGER, $ip=127.0.0.1, $p=to_port(getenv("LOG_PULL_PORT"))],
	["worker-1"] = [$node_type=Cluster::WORKER, $ip=127.0.0.1],
	["worker-2"] = [$node_type=Cluster::WORKER, $ip=127.0.0.1],
};
`;

/** A running Zeek node. */
export interface ZeekNode {
  readonly name: string;
  readonly child: Child;
  /** Waits for the line `print` wrote with these fields (e.g. `["node_up", "worker-1"]`), at most `ms`. */
  waitForPrint(fields: readonly string[], ms?: number): Promise<string[]>;
  /** Kills it (if still running), waits for it to go, removes its directory. */
  dispose(): Promise<void>;
}

/** Starts `zeek -b <script>` as node `node` of {@link LAYOUT}; returns at once. */
export function startZeekNode(options: {
  readonly node: string;
  readonly script: string;
  /** The broker: the node's XSUB connects to its XPUB and its XPUB to its XSUB (or, with the proxy, it binds them). */
  readonly broker: Endpoints;
  readonly logPullPort: number;
  readonly hardTimeoutMs?: number;
}): ZeekNode {
  const install = findZeek();
  if (install === undefined) throw new Error("Zeek is not available");
  const dir = mkdtempSync(join(tmpdir(), `zmqc-pubsub-zeek-${options.node}-`));
  writeFileSync(join(dir, "cluster-layout.zeek"), LAYOUT);
  const path = zeekPath();
  let child: Child;
  try {
    child = startChild(`Zeek ${options.node}`, install.zeek, ["-b", join(ZEEK_SCRIPTS_DIR, options.script)], {
      cwd: dir,
      env: {
        CLUSTER_NODE: options.node,
        XPUB_PORT: zeekPort(options.broker.xpubEndpoint),
        XSUB_PORT: zeekPort(options.broker.xsubEndpoint),
        LOG_PULL_PORT: `${options.logPullPort}/tcp`,
        ...(path === undefined ? {} : { ZEEKPATH: `${dir}:${path}` }),
      },
      hardTimeoutMs: options.hardTimeoutMs ?? 30_000,
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    name: options.node,
    child,
    async waitForPrint(fields, ms = 10_000) {
      const line = await child.takeLine(
        fields.join(", "),
        (text) => {
          const printed = text.split(", ");
          return fields.every((field, i) => printed[i] === field);
        },
        ms,
      );
      return line.split(", ");
    },
    async dispose() {
      await child.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The lines of Zeek's stderr that discovery must never cause. */
export function discoveryProblems(stderr: string): string[] {
  return stderr
    .split("\n")
    .filter((line) => /Expired|unexpected node|duplicate|never said goodbye|error|warning/i.test(line));
}
