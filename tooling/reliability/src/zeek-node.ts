// A real Zeek node (/opt/zeek, found by @zmqc/zeek-harness) in a mixed cluster whose broker is zmqc's: it runs a
// script of test/zeek/ with the cluster layout in its working directory, and the test waits for the lines it prints.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Child, type Cleanup, findZeek, startChild, zeekPath, zeekPort } from "@zmqc/zeek-harness";

/**
 * The mixed cluster of the mixed-zeek scenarios: a manager (zmqc, also the logger) and two workers, one of them Zeek.
 * MIXED_NODES for zmqc's nodes, MIXED_LAYOUT (the same nodes) for Zeek's.
 */
export const MIXED_NODES = { manager: "manager", "worker-1": "worker", "worker-2": "worker" } as const;
export const MIXED_LAYOUT = `redef Cluster::manager_is_logger = T;
redef Cluster::nodes = {
	["manager"] = [$node_type=Cluster::MANAGER, $ip=127.0.0.1, $p=to_port(getenv("LOG_PULL_PORT"))],
	["worker-1"] = [$node_type=Cluster::WORKER, $ip=127.0.0.1],
	["worker-2"] = [$node_type=Cluster::WORKER, $ip=127.0.0.1],
};
`;

/** How long a line Zeek prints may take by default. */
export const ZEEK_LINE_MS = 10_000;

export interface ZeekNode {
  readonly zeek: Child;
  /** Zeek's version, for the ledger. */
  readonly version: string;
  /** Takes Zeek's next stdout line (`print a, b, …` prints "a, b, …") whose first fields are `fields`. */
  line(fields: readonly string[], ms?: number): Promise<string>;
  /** Zeek's stderr lines that discovery must never cause (expired hellos, unknown or duplicate nodes, errors). */
  problems(): string[];
  /** The fields of the last stdout line starting with `first`, or undefined. */
  last(first: string): string[] | undefined;
}

/**
 * Starts Zeek as `node` of `layout` (a cluster-layout.zeek) running `script`, connected to the zmqc broker at
 * `broker`; `env` is laid over what the script reads (CLUSTER_NODE, XPUB_PORT, XSUB_PORT, LOG_PULL_PORT).
 */
export function startZeekNode(
  cleanup: Cleanup,
  options: {
    readonly script: string;
    readonly node: string;
    readonly layout: string;
    readonly broker: { readonly xpubEndpoint: string; readonly xsubEndpoint: string };
    readonly logPullPort: number;
    readonly env?: Readonly<Record<string, string>>;
  },
): ZeekNode {
  const install = findZeek();
  if (install === undefined) throw new Error("Zeek is not available");
  const dir = mkdtempSync(join(tmpdir(), "zmqc-reliability-zeek-"));
  cleanup.add(dir, (d) => rmSync(d, { recursive: true, force: true }));
  writeFileSync(join(dir, "cluster-layout.zeek"), options.layout);
  const path = zeekPath();
  const zeek = cleanup.add(
    startChild(`Zeek ${options.node}`, install.zeek, ["-b", options.script], {
      cwd: dir,
      env: {
        CLUSTER_NODE: options.node,
        XPUB_PORT: zeekPort(options.broker.xpubEndpoint),
        XSUB_PORT: zeekPort(options.broker.xsubEndpoint),
        LOG_PULL_PORT: `${options.logPullPort}/tcp`,
        ...(path === undefined ? {} : { ZEEKPATH: `${dir}:${path}` }),
        ...options.env,
      },
      hardTimeoutMs: 120_000,
    }),
    (c) => c.dispose(),
  );
  return {
    zeek,
    version: install.version,
    line: (fields, ms = ZEEK_LINE_MS) =>
      zeek.takeLine(
        fields.join(", "),
        (text) => fields.every((field, i) => text.split(", ")[i] === field),
        ms,
      ),
    problems: () =>
      zeek
        .output()
        .stderr.split("\n")
        .filter((text) => /Expired|unexpected node|duplicate|never said goodbye|error/i.test(text)),
    last(first) {
      const lines = zeek.output().stdout.split("\n");
      for (let i = lines.length - 1; i >= 0; i--) {
        const fields = (lines[i] as string).split(", ");
        if (fields[0] === first) return fields;
      }
      return undefined;
    },
  };
}
