// Runs a real Zeek as a node of a layout and checks that our pools hold the same nodes (same order, aliases and
// site ids) as Zeek's, that our hrwTopic picks the same node as Zeek's `Cluster::hrw_topic` for ~230 keys of
// every supported type, and that rrTopic gives the same `Cluster::rr_topic` sequences — before and after a
// node goes down.
//
// No cluster is started: ZEEKCTL_CHECK_CONFIG keeps the ZeroMQ backend from opening sockets. The script raises
// `Cluster::hello(name, id)` locally for every other node, which is what a completed handshake does: main.zeek
// raises `Cluster::node_up`, and pools.zeek's node_up handler marks the node alive in its pools. This node
// itself gets no hello, as in a real cluster, so it stays out of HRW. Once every peer is up the script prints
// everything, raises `Cluster::node_down` for one node, prints again and terminates.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ClusterLayout, type ResolvedCluster, resolveCluster } from "@zmqc/config";
import { Value, type ZeekValue } from "@zmqc/wire-format";
import { describeWithZeek, runZeek } from "@zmqc/zeek-harness";
import { afterAll, expect, it } from "vitest";
import type { HrwKey } from "../src/cluster/hash.js";
import { buildPools, type Pool, type PoolSpec } from "../src/cluster/pools.js";

/** A layout, the pools registered on top of the defaults, and the node that goes down half-way. */
interface Scenario {
  readonly layout: ClusterLayout;
  readonly workerPool?: PoolSpec;
  readonly pools?: readonly PoolSpec[];
  readonly down: string;
}

const node = (type: "manager" | "logger" | "proxy" | "worker") => ({ type, ip: "127.0.0.1" });

const SCENARIOS = {
  // The layout of the brief: manager (the logger), two proxies, four workers.
  basic: {
    layout: {
      managerIsLogger: true,
      nodes: {
        manager: node("manager"),
        "proxy-1": node("proxy"),
        "proxy-2": node("proxy"),
        "worker-1": node("worker"),
        "worker-2": node("worker"),
        "worker-3": node("worker"),
        "worker-4": node("worker"),
      },
    },
    down: "worker-2",
  },
  // Colliding site ids (fnv1a32("n512789.0") == fnv1a32("n749192.0")), loggers plus a manager that is also the
  // logger, an exclusive pool, maxNodes on the worker pool and round-robin filling of the others.
  custom: {
    layout: {
      managerIsLogger: true,
      nodes: {
        manager: node("manager"),
        "logger-1": node("logger"),
        "logger-2": node("logger"),
        "proxy-1": node("proxy"),
        "proxy-2": node("proxy"),
        "proxy-3": node("proxy"),
        n512789: node("worker"),
        n749192: node("worker"),
        "worker-1": node("worker"),
        "worker-2": node("worker"),
        "worker-3": node("worker"),
      },
    },
    workerPool: { topic: "zeek.cluster.pool.worker", nodeType: "worker", maxNodes: 3 },
    // By hand from pools.zeek (topic order a.excl, b.half, c.all, x.log, zeek.cluster.pool.{logger,proxy,worker},
    // zz.proxy): a.excl takes proxy-1; b.half n512789, n749192 (alias .1); c.all worker-1..3, n512789, n749192;
    // the worker pool worker-1..3; the proxy pool and zz.proxy proxy-2, proxy-3; x.log and the logger pool
    // logger-1, logger-2, manager.
    pools: [
      { topic: "a.excl", nodeType: "proxy", maxNodes: 1, exclusive: true },
      { topic: "b.half", nodeType: "worker", maxNodes: 2 },
      { topic: "c.all", nodeType: "worker" },
      { topic: "zz.proxy", nodeType: "proxy", maxNodes: 2 },
      { topic: "x.log", nodeType: "logger" },
    ],
    down: "n512789",
  },
} satisfies Record<string, Scenario>;

/** A key as Zeek source and as our key. */
interface KeyCase {
  readonly zeek: string;
  readonly ours: HrwKey;
}

function zeekString(bytes: Uint8Array): string {
  let out = '"';
  for (const byte of bytes) {
    const printable = byte >= 0x20 && byte < 0x7f && byte !== 0x22 && byte !== 0x5c;
    out += printable ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, "0")}`;
  }
  return `${out}"`;
}

const stringKey = (key: string | Uint8Array): KeyCase => ({
  zeek: zeekString(typeof key === "string" ? new TextEncoder().encode(key) : key),
  ours: key,
});
const valueKey = (zeek: string, ours: ZeekValue): KeyCase => ({ zeek, ours });

const SPECIAL_STRINGS = [
  "",
  "a",
  "foobar",
  "10.0.0.1",
  "192.168.1.1",
  "Intel::cluster_rr_key",
  "known-hosts",
  "ключ",
  'a"b\\c',
];
const INT_LITERALS: [string, bigint][] = [
  // Zeek needs a sign to read an int literal; int64 min is written as an expression.
  ...[-1n, 0n, 5n, -123n, 2n ** 31n, -(2n ** 63n) + 1n].map((n): [string, bigint] => [
    n < 0n ? `${n}` : `+${n}`,
    n,
  ]),
  ["-9223372036854775807 - 1", -(2n ** 63n)],
];
const DOUBLE_LITERALS: [string, number][] = [
  ["0.0", 0],
  ["-0.0", -0],
  ["1.5", 1.5],
  ["-2.5", -2.5],
  ["123.0", 123],
  ["0.1", 0.1],
  ["1e300", 1e300],
  ["5e-324", 5e-324],
];

const KEY_GROUPS: Record<"string" | "count" | "int" | "double" | "bool", readonly KeyCase[]> = {
  string: [
    ...SPECIAL_STRINGS.map(stringKey),
    stringKey(Uint8Array.of(0x00, 0xff)),
    stringKey(Uint8Array.of(0xc3, 0x28)), // not UTF-8
    ...Array.from({ length: 190 }, (_, i) => stringKey(i % 2 === 0 ? `key-${i}` : `host-${i}.example.org`)),
  ],
  count: [0n, 1n, 2n, 3n, 13n, 37n, 42n, 101n, 123n, 2n ** 32n, 2n ** 64n - 1n].map((n) =>
    valueKey(`${n}`, Value.count(n)),
  ),
  int: INT_LITERALS.map(([zeek, n]) => valueKey(zeek, Value.integer(n))),
  double: DOUBLE_LITERALS.map(([zeek, n]) => valueKey(zeek, Value.real(n))),
  bool: [valueKey("T", Value.boolean(true)), valueKey("F", Value.boolean(false))],
};
const KEY_COUNT = Object.values(KEY_GROUPS).reduce((sum, keys) => sum + keys.length, 0);

const RR_CALLS = 10;
const RR_KEYS = ["", "Intel::cluster_rr_key"];
const ZEEK_TYPES = { manager: "MANAGER", logger: "LOGGER", proxy: "PROXY", worker: "WORKER" } as const;

/** The pools a scenario has, as Zeek expressions, in the order both sides print them. */
function poolExpressions(scenario: Scenario): string[] {
  const custom = (scenario.pools ?? []).map((_, i) => `custom_${i}`);
  return ["Cluster::worker_pool", "Cluster::proxy_pool", "Cluster::logger_pool", ...custom];
}

function zeekSpec(spec: PoolSpec): string {
  const fields = [`$topic=${zeekString(new TextEncoder().encode(spec.topic))}`];
  fields.push(`$node_type=Cluster::${ZEEK_TYPES[spec.nodeType]}`);
  if (spec.maxNodes !== undefined) fields.push(`$max_nodes=${spec.maxNodes}`);
  if (spec.exclusive !== undefined) fields.push(`$exclusive=${spec.exclusive ? "T" : "F"}`);
  return `Cluster::PoolSpec(${fields.join(", ")})`;
}

/** The layout as Zeek's cluster-layout.zeek. */
function zeekLayout(cluster: ResolvedCluster): string {
  const nodes = Object.entries(cluster.nodes).map(
    ([name, n]) => `\t["${name}"] = [$node_type=Cluster::${ZEEK_TYPES[n.type]}, $ip=${n.ip}],`,
  );
  return [
    `redef Cluster::manager_is_logger = ${cluster.managerIsLogger ? "T" : "F"};`,
    "redef Cluster::nodes = {",
    ...nodes,
    "};",
    "",
  ].join("\n");
}

/** Prints one line per fact, `<stage>|<pool>|<what>|<value>`, in the order {@link ourLines} produces them. */
function zeekScript(scenario: Scenario): string {
  const pools = poolExpressions(scenario);
  const vectors = Object.entries(KEY_GROUPS).map(
    ([type, keys]) =>
      `global ${type}_keys: vector of ${type} = vector(${keys.map((k) => k.zeek).join(", ")});`,
  );
  const customs = (scenario.pools ?? []).map((_, i) => `global custom_${i}: Cluster::Pool;`);
  const registrations = (scenario.pools ?? []).map(
    (spec, i) => `\tcustom_${i} = Cluster::register_pool(${zeekSpec(spec)});`,
  );
  const body = pools.flatMap((pool, p) => [
    `\tprint fmt("%s|${p}|alive|%d", stage, ${pool}$alive_count);`,
    `\tfor ( i in ${pool}$node_list ) print fmt("%s|${p}|member %d|%s %s %d", stage, i, ` +
      `${pool}$node_list[i]$name, ${pool}$node_list[i]$alias, ${pool}$node_list[i]$site_id);`,
    ...Object.keys(KEY_GROUPS).map(
      (type) =>
        `\tfor ( i in ${type}_keys ) print fmt("%s|${p}|hrw ${type} %d|%s", stage, i, ` +
        `Cluster::hrw_topic(${pool}, ${type}_keys[i]));`,
    ),
    ...RR_KEYS.map(
      (key, k) =>
        `\tfor ( i in rr_calls ) print fmt("%s|${p}|rr ${k} %d|%s", stage, i, ` +
        `Cluster::rr_topic(${pool}, ${zeekString(new TextEncoder().encode(key))}));`,
    ),
  ]);
  return `@load policy/frameworks/cluster/backend/zeromq

# No log rotation at exit (after base/frameworks/cluster/nodes/*.zeek set it): it would run zeekctl's
# archive-log, which is not installed.
redef Log::default_rotation_interval = 0secs;
${scenario.workerPool ? `redef Cluster::worker_pool_spec = ${zeekSpec(scenario.workerPool)};` : ""}
${vectors.join("\n")}
${customs.join("\n")}
global rr_calls: vector of count = vector(${Array.from({ length: RR_CALLS }, (_, i) => i).join(", ")});
global ups = 0;

function dump(stage: string)
	{
${body.join("\n")}
	}

event zeek_init()
	{
${registrations.join("\n")}
	for ( name in Cluster::nodes )
		if ( name != Cluster::node )
			event Cluster::hello(name, "id-" + name);
	}

event Cluster::node_up(name: string, id: string) &priority=-10
	{
	if ( ++ups < |Cluster::nodes| - 1 )
		return;
	dump("up");
	event Cluster::node_down("${scenario.down}", "id-${scenario.down}");
	}

event Cluster::node_down(name: string, id: string) &priority=-10
	{
	dump("down");
	terminate();
	}
`;
}

/** The same facts through our pools, as the same lines. */
function ourLines(scenario: Scenario, cluster: ResolvedCluster, self: string): string[] {
  const built = buildPools(cluster, { self, workerPool: scenario.workerPool, pools: scenario.pools });
  const pools: Pool[] = [built.worker, built.proxy, built.logger, ...built.custom];
  for (const name of Object.keys(cluster.nodes)) built.nodeUp(name);
  const lines: string[] = [];
  const dump = (stage: string) => {
    pools.forEach((pool, p) => {
      lines.push(`${stage}|${p}|alive|${pool.aliveCount}`);
      pool.nodes.forEach((n, i) => {
        lines.push(`${stage}|${p}|member ${i}|${n.name} ${n.alias} ${n.siteId}`);
      });
      for (const [type, keys] of Object.entries(KEY_GROUPS)) {
        keys.forEach((key, i) => {
          lines.push(`${stage}|${p}|hrw ${type} ${i}|${pool.hrwTopic(key.ours)}`);
        });
      }
      RR_KEYS.forEach((key, k) => {
        for (let i = 0; i < RR_CALLS; i++) lines.push(`${stage}|${p}|rr ${k} ${i}|${pool.rrTopic(key)}`);
      });
    });
  };
  dump("up");
  built.nodeDown(scenario.down);
  dump("down");
  return lines;
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function zeekLines(scenario: Scenario, cluster: ResolvedCluster, self: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), "zmqc-zeek-hrw-"));
  dirs.push(dir);
  writeFileSync(join(dir, "cluster-layout.zeek"), zeekLayout(cluster));
  writeFileSync(join(dir, "pools.zeek"), zeekScript(scenario));
  const result = await runZeek(["-b", "pools.zeek"], {
    cwd: dir,
    env: { CLUSTER_NODE: self, ZEEKCTL_CHECK_CONFIG: "1" },
  });
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).toBe("");
  return result.stdout.split("\n").filter((line) => line !== "");
}

async function compare(scenario: Scenario, self: string): Promise<string[]> {
  const cluster = resolveCluster(scenario.layout);
  const zeek = await zeekLines(scenario, cluster, self);
  const ours = ourLines(scenario, cluster, self);
  const hrwLines = zeek.filter((line) => line.includes("|hrw "));
  expect(hrwLines).toHaveLength(2 * poolExpressions(scenario).length * KEY_COUNT);
  const firstDiff = ours.findIndex((line, i) => line !== zeek[i]);
  expect(firstDiff, `line ${firstDiff}: ours ${ours[firstDiff]} / Zeek ${zeek[firstDiff]}`).toBe(-1);
  expect(ours).toEqual(zeek);
  return zeek;
}

const valuesOf = (lines: readonly string[], prefix: string) =>
  new Set(lines.filter((line) => line.startsWith(prefix)).map((line) => line.split("|")[3]));

describeWithZeek("pools pick the node a real Zeek picks", () => {
  it("has enough keys", () => {
    expect(KEY_COUNT).toBeGreaterThan(200);
  });

  it.each(["manager", "worker-1", "proxy-1"])("basic layout, as %s", async (self) => {
    const zeek = await compare(SCENARIOS.basic, self);
    if (self !== "worker-1") return;
    // Not trivial: every other worker wins keys, this node never wins HRW but round robin does pick it.
    expect(valuesOf(zeek, "up|0|hrw")).toEqual(
      new Set(["zeek.cluster.node.worker-2.", "zeek.cluster.node.worker-3.", "zeek.cluster.node.worker-4."]),
    );
    expect(valuesOf(zeek, "up|0|rr").has("zeek.cluster.node.worker-1.")).toBe(true);
    expect(valuesOf(zeek, "up|1|hrw")).toEqual(
      new Set(["zeek.cluster.node.proxy-1.", "zeek.cluster.node.proxy-2."]),
    );
  });

  it.each(["manager", "n749192", "logger-2"])("custom pools and colliding names, as %s", async (self) => {
    const zeek = await compare(SCENARIOS.custom, self);
    // Pool indexes: 0 worker, 1 proxy, 2 logger, then custom_0.. in registration order (3 a.excl, 4 b.half, …).
    const members = (p: number) =>
      zeek.filter((line) => line.startsWith(`up|${p}|member`)).map((line) => line.split("|")[3] ?? "");
    expect(members(0)).toEqual([
      "worker-1 worker-1.0 4178617771",
      "worker-2 worker-2.0 3162793146",
      "worker-3 worker-3.0 603991393",
    ]);
    expect(members(3)).toEqual(["proxy-1 proxy-1.0 2719221839"]);
    // The collision happens in Zeek too: n749192 gets the ".1" alias (PY: fnv1a32("n749192.1") == 1456969546).
    expect(members(4)).toEqual(["n512789 n512789.0 1473747165", "n749192 n749192.1 1456969546"]);
    expect(members(5).map((m) => m.split(" ")[0])).toEqual([
      "worker-1",
      "worker-2",
      "worker-3",
      "n512789",
      "n749192",
    ]);
    expect(members(7).map((m) => m.split(" ")[0])).toEqual(["logger-1", "logger-2", "manager"]);
  });
});
