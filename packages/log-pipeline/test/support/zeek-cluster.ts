// Real Zeek nodes of one ZeroMQ cluster for the cluster logging tests (after packages/pubsub/test/discovery/
// zeek.ts): each runs `zeek -D -b <script>` as CLUSTER_NODE=<node> in its own directory (where a Zeek logger
// writes its logs) holding cluster-layout.zeek, in its own process group (startChild), with a hard time limit.
// -D: zero hash seeds, so set elements go out in the same order in every run.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Child, findZeek, startChild, zeekPath } from "@zmqc/zeek-harness";

export { waitUntil } from "./wait.js";

/** The Zeek scripts of these tests. */
export const SCRIPTS_DIR = fileURLToPath(new URL("./zeek/", import.meta.url));

/** manager (runs the proxy), logger (its $p is LOG_PULL_PORT: a Zeek's or a zmqc logger's PULL), two workers. */
export const CLUSTER_LAYOUT = `redef Cluster::manager_is_logger = F;
redef Cluster::nodes = {
	["manager"] = [$node_type=Cluster::MANAGER, $ip=127.0.0.1],
	["logger"] = [$node_type=Cluster::LOGGER, $ip=127.0.0.1, $p=to_port(getenv("LOG_PULL_PORT"))],
	["worker-1"] = [$node_type=Cluster::WORKER, $ip=127.0.0.1, $manager="manager"],
	["worker-2"] = [$node_type=Cluster::WORKER, $ip=127.0.0.1, $manager="manager"],
};
`;

/** Starts `zeek -D -b <script>` as `node` of {@link CLUSTER_LAYOUT} in `<root>/<node>`; returns at once. */
export function startClusterNode(options: {
  readonly root: string;
  readonly node: string;
  readonly script: string;
  readonly env: Readonly<Record<string, string>>;
  readonly hardTimeoutMs?: number;
}): { readonly dir: string; readonly child: Child } {
  const install = findZeek();
  if (install === undefined) throw new Error("Zeek is not available");
  const dir = join(options.root, options.node);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "cluster-layout.zeek"), CLUSTER_LAYOUT);
  const path = zeekPath();
  const child = startChild(
    `Zeek ${options.node}`,
    install.zeek,
    ["-D", "-b", join(SCRIPTS_DIR, options.script)],
    {
      cwd: dir,
      env: {
        CLUSTER_NODE: options.node,
        ...(path === undefined ? {} : { ZEEKPATH: `${dir}:${path}` }),
        ...options.env,
      },
      hardTimeoutMs: options.hardTimeoutMs ?? 40_000,
    },
  );
  return { dir, child };
}

/** The data lines of a TSV log (every line that is not a `#` meta line), or [] when there is no file yet. */
export function dataLines(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  return text.split("\n").filter((line) => line !== "" && !line.startsWith("#"));
}

/** The `.log` files in a directory, by name. */
export function logFiles(dir: string): Map<string, string> {
  return new Map(
    readdirSync(dir)
      .filter((name) => name.endsWith(".log"))
      .map((name) => [name, readFileSync(join(dir, name), "latin1")]),
  );
}
