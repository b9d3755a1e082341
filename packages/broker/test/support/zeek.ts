// Real Zeek nodes whose cluster broker is ours (after packages/wire-format/test/zeek/zeek-cluster.ts): each node
// runs `zeek -b <script>` in a fresh temp dir holding its cluster-layout.zeek, in its own process group, with a
// hard time limit; the scripts are in ./zeek/.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Child, findZeek, reservePorts, startChild, zeekPath, zeekPort } from "@zmqc/zeek-harness";

export { reservePorts, zeekPort };

/** The Zeek scripts of these tests. */
export const ZEEK_SCRIPTS_DIR = fileURLToPath(new URL("./zeek/", import.meta.url));

/**
 * Manager (also the logger: its PULL binds LOG_PULL_PORT), worker-1 and worker-2, all on 127.0.0.1: Zeek's
 * cluster-layout-no-logger.zeek without the proxy node, which no test here starts.
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
  /** Its working directory; removed by dispose(). */
  readonly dir: string;
  /** Kills it (if still running), waits for it to go, removes its directory. */
  dispose(): Promise<void>;
}

/** How {@link startZeekNode} runs a node. */
export interface ZeekNodeOptions {
  /** `CLUSTER_NODE`: its name in the layout. */
  readonly node: string;
  /** A file in {@link ZEEK_SCRIPTS_DIR}. */
  readonly script: string;
  /** The broker the node connects to. */
  readonly broker: { readonly xpubEndpoint: string; readonly xsubEndpoint: string };
  /** The manager's log PULL port (`LOG_PULL_PORT`), reserved by the test. */
  readonly logPullPort: number;
  /** The process group is killed when this passes (default 30 s). */
  readonly hardTimeoutMs?: number;
}

/** Starts `zeek -b <script>` as one node of {@link LAYOUT}; returns at once. */
export function startZeekNode(options: ZeekNodeOptions): ZeekNode {
  const install = findZeek();
  if (install === undefined) throw new Error("Zeek is not available");
  const dir = mkdtempSync(join(tmpdir(), `zmqc-broker-zeek-${options.node}-`));
  writeFileSync(join(dir, "cluster-layout.zeek"), LAYOUT);
  const path = zeekPath();
  let child: Child;
  try {
    child = startChild(
      `Zeek ${options.node} (${options.script})`,
      install.zeek,
      ["-b", join(ZEEK_SCRIPTS_DIR, options.script)],
      {
        cwd: dir,
        env: {
          CLUSTER_NODE: options.node,
          XPUB_PORT: zeekPort(options.broker.xpubEndpoint),
          XSUB_PORT: zeekPort(options.broker.xsubEndpoint),
          LOG_PULL_PORT: `${options.logPullPort}/tcp`,
          // cluster-layout.zeek is in dir. Without zeek-config, Zeek's built-in path (which starts with ".") finds it.
          ...(path === undefined ? {} : { ZEEKPATH: `${dir}:${path}` }),
        },
        hardTimeoutMs: options.hardTimeoutMs ?? 30_000,
      },
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    name: options.node,
    child,
    dir,
    async dispose() {
      await child.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The lines a node printed, without the trailing empty one. */
export function printed(stdout: string): string[] {
  return stdout.split("\n").filter((line) => line !== "");
}
