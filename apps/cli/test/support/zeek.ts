import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { type Child, findZeek, startChild, ZEEK_CURVE_KEYS, zeekPath } from "@zmqc/zeek-harness";

/** All four of Zeek's test keys, as the variables zeek/curve-keys.zeek reads. */
export const ZEEK_CURVE_ENV = {
  CURVE_SERVER_PUBLIC: ZEEK_CURVE_KEYS.serverPublic,
  CURVE_SERVER_SECRET: ZEEK_CURVE_KEYS.serverSecret,
  CURVE_CLIENT_PUBLIC: ZEEK_CURVE_KEYS.clientPublic,
  CURVE_CLIENT_SECRET: ZEEK_CURVE_KEYS.clientSecret,
};

/** What {@link startZeekNode} runs. */
export interface ZeekNodeOptions {
  /** The child's name in messages, e.g. "Zeek worker-1". */
  readonly name: string;
  readonly script: string;
  /** CLUSTER_NODE: the node of zeek/cluster-layout.zeek it is. */
  readonly node: string;
  /** Its working directory; zeek/cluster-layout.zeek is copied there. */
  readonly dir: string;
  readonly xpubPort: number;
  readonly xsubPort: number;
  readonly logPort: number;
  /** More variables for the script (ZMQC_RECORDS, CURVE_*). */
  readonly env: Readonly<Record<string, string>>;
  readonly hardTimeoutMs: number;
}

/** Zeek running `script` as `node` of zeek/cluster-layout.zeek, on the broker and logger ports given. */
export function startZeekNode(options: ZeekNodeOptions): Child {
  const install = findZeek();
  if (install === undefined) throw new Error("Zeek is not available");
  const { dir } = options;
  copyFileSync(new URL("../zeek/cluster-layout.zeek", import.meta.url), join(dir, "cluster-layout.zeek"));
  const path = zeekPath();
  return startChild(options.name, install.zeek, ["-b", options.script], {
    cwd: dir,
    env: {
      CLUSTER_NODE: options.node,
      XPUB_PORT: `${options.xpubPort}/tcp`,
      XSUB_PORT: `${options.xsubPort}/tcp`,
      LOG_PULL_PORT: `${options.logPort}/tcp`,
      ...options.env,
      ...(path === undefined ? {} : { ZEEKPATH: `${dir}:${path}` }),
    },
    hardTimeoutMs: options.hardTimeoutMs,
  });
}
