// Expected values come from outside the code under test:
// - ZEEK: zeek/zeek v8.2.2 testing/btest/scripts/base/frameworks/cluster/custom_pool_{exclusivity,limits}.zeek
//   and their baselines (Baseline/scripts.base.frameworks.cluster.custom_pool_*/manager..stdout): a manager with
//   proxy-1 and proxy-2 up, Broker node topics `zeek/cluster/node/<name>/`, count keys.
// - PY: HRW winners computed once with the Python model described in hrw.test.ts (fnv1a32 over the key bytes,
//   hrw_weight with 32-bit masks, max by (weight, site id)).
// - Pool membership and round-robin sequences are worked out by hand from pools.zeek (the steps are in the
//   comments) and checked against Zeek itself in test/hrw-zeek.test.ts.
import type { NodeType } from "@zmqc/config";
import { ZmqcError } from "@zmqc/config";
import { Value, type ZeekEvent } from "@zmqc/wire-format";
import { describe, expect, it } from "vitest";
import { UnsupportedKeyError } from "./hash.js";
import {
  buildPools,
  LOGGER_POOL_SPEC,
  type Pool,
  type PoolLayout,
  PROXY_POOL_SPEC,
  publishHrw,
  publishRr,
  WORKER_POOL_SPEC,
  zeromqNodeTopic,
} from "./pools.js";

function layout(types: Record<string, NodeType>, managerIsLogger = true): PoolLayout {
  return {
    nodes: Object.fromEntries(Object.entries(types).map(([name, type]) => [name, { type }])),
    managerIsLogger,
  };
}

const CLUSTER = layout({
  "worker-3": "worker",
  manager: "manager",
  "worker-1": "worker",
  "proxy-2": "proxy",
  "worker-4": "worker",
  "proxy-1": "proxy",
  "worker-2": "worker",
});

const names = (pool: Pool) => pool.nodes.map((node) => node.name);
const alive = (pool: Pool) => pool.nodes.filter((node) => node.alive).map((node) => node.name);
const rrRun = (pool: Pool, key: string, times: number) =>
  Array.from({ length: times }, () => pool.rrTopic(key));
const topicOf = zeromqNodeTopic;

describe("the default pools", () => {
  it("are Zeek's ZeroMQ pool specs: worker, proxy and logger, no limits", () => {
    expect(WORKER_POOL_SPEC).toEqual({ topic: "zeek.cluster.pool.worker", nodeType: "worker" });
    expect(PROXY_POOL_SPEC).toEqual({ topic: "zeek.cluster.pool.proxy", nodeType: "proxy" });
    expect(LOGGER_POOL_SPEC).toEqual({ topic: "zeek.cluster.pool.logger", nodeType: "logger" });
  });

  it("hold every node of their type, by name, and the manager in the logger pool when it is the logger", () => {
    const pools = buildPools(CLUSTER);
    expect(names(pools.worker)).toEqual(["worker-1", "worker-2", "worker-3", "worker-4"]);
    expect(names(pools.proxy)).toEqual(["proxy-1", "proxy-2"]);
    expect(names(pools.logger)).toEqual(["manager"]);
    expect(pools.all.map((pool) => pool.spec.topic)).toEqual([
      "zeek.cluster.pool.logger",
      "zeek.cluster.pool.proxy",
      "zeek.cluster.pool.worker",
    ]);
    expect(pools.custom).toEqual([]);
  });

  it("give each node its site id and ZeroMQ node topic", () => {
    const pools = buildPools(CLUSTER);
    // PY: fnv1a32(name + ".0").
    expect(pools.worker.nodes.map((node) => [node.alias, node.siteId, node.topic])).toEqual([
      ["worker-1.0", 4178617771, "zeek.cluster.node.worker-1."],
      ["worker-2.0", 3162793146, "zeek.cluster.node.worker-2."],
      ["worker-3.0", 603991393, "zeek.cluster.node.worker-3."],
      ["worker-4.0", 3341027376, "zeek.cluster.node.worker-4."],
    ]);
    expect(pools.logger.node("manager")).toMatchObject({ siteId: 1059896130, alive: false });
  });

  it("sort names by bytes, as strcmp does", () => {
    const pools = buildPools(layout({ "worker-2": "worker", "worker-10": "worker", "worker-1": "worker" }));
    expect(names(pools.worker)).toEqual(["worker-1", "worker-10", "worker-2"]);
  });

  it("append the manager after the loggers, whatever its name, only when it is the logger", () => {
    const types: Record<string, NodeType> = { "logger-2": "logger", boss: "manager", "logger-1": "logger" };
    expect(names(buildPools(layout(types, true)).logger)).toEqual(["logger-1", "logger-2", "boss"]);
    expect(names(buildPools(layout(types, false)).logger)).toEqual(["logger-1", "logger-2"]);
    expect(names(buildPools(layout({ "worker-1": "worker" }, true)).logger)).toEqual([]);
  });

  it("start with nobody alive: no topic, and the publish helpers do not publish", () => {
    const pools = buildPools(CLUSTER);
    const published: string[] = [];
    const node = { publish: (topic: string) => published.push(topic) > 0 };
    expect(pools.worker.aliveCount).toBe(0);
    expect(pools.worker.hrwTopic("a")).toBe("");
    expect(pools.worker.rrTopic()).toBe("");
    expect(publishHrw(node, pools.worker, "a", EVENT)).toBe(false);
    expect(publishRr(node, pools.worker, "", EVENT)).toBe(false);
    expect(published).toEqual([]);
  });
});

const EVENT: ZeekEvent = { name: "Test::ping", args: [] };

describe("custom pools, as Zeek fills them", () => {
  it("give an exclusive pool its maxNodes first, even when its topic sorts last", () => {
    // Exclusive pools in topic order: y.excl takes worker-1 and worker-2, z.excl takes worker-3; the rest of the
    // pools share what is left, worker-4.
    const pools = buildPools(CLUSTER, {
      pools: [
        { topic: "z.excl", nodeType: "worker", maxNodes: 1, exclusive: true },
        { topic: "y.excl", nodeType: "worker", maxNodes: 2, exclusive: true },
        { topic: "a.shared", nodeType: "worker" },
      ],
    });
    const [z, y, shared] = pools.custom as [Pool, Pool, Pool];
    expect(names(y)).toEqual(["worker-1", "worker-2"]);
    expect(names(z)).toEqual(["worker-3"]);
    expect(names(shared)).toEqual(["worker-4"]);
    expect(names(pools.worker)).toEqual(["worker-4"]);
    expect(pools.all.map((pool) => pool.spec.topic)).toEqual([
      "a.shared",
      "y.excl",
      "z.excl",
      "zeek.cluster.pool.logger",
      "zeek.cluster.pool.proxy",
      "zeek.cluster.pool.worker",
    ]);
  });

  it("fill the other pools round-robin, each continuing where the last pool of its type stopped", () => {
    // Topic order a, b, c, …, zeek.cluster.pool.worker; one cursor over worker-1..4:
    // a: 1, 2 (cursor 2) · b: 3, 4 (cursor 0) · c: 1, 2, 3 (cursor 3) · worker pool, all 4: 4, 1, 2, 3.
    const pools = buildPools(CLUSTER, {
      pools: [
        { topic: "c", nodeType: "worker", maxNodes: 3 },
        { topic: "a", nodeType: "worker", maxNodes: 2 },
        { topic: "b", nodeType: "worker", maxNodes: 2 },
      ],
    });
    const [c, a, b] = pools.custom as [Pool, Pool, Pool];
    expect(names(a)).toEqual(["worker-1", "worker-2"]);
    expect(names(b)).toEqual(["worker-3", "worker-4"]);
    expect(names(c)).toEqual(["worker-1", "worker-2", "worker-3"]);
    expect(names(pools.worker)).toEqual(["worker-4", "worker-1", "worker-2", "worker-3"]);
    // The node list order is the round-robin order.
    for (const name of names(pools.worker)) pools.nodeUp(name);
    expect(rrRun(pools.worker, "", 5)).toEqual(
      ["worker-4", "worker-1", "worker-2", "worker-3", "worker-4"].map(topicOf),
    );
  });

  it("take maxNodes of the defaults too, and 0 means none", () => {
    const pools = buildPools(CLUSTER, {
      workerPool: { ...WORKER_POOL_SPEC, maxNodes: 3 },
      proxyPool: { ...PROXY_POOL_SPEC, maxNodes: 0 },
    });
    expect(names(pools.worker)).toEqual(["worker-1", "worker-2", "worker-3"]);
    expect(names(pools.proxy)).toEqual([]);
    expect(pools.proxy.rrTopic()).toBe("");
  });

  it("stop where Zeek stops with a fatal error, with a CONFIG error", () => {
    const cases: [Parameters<typeof buildPools>[1], RegExp][] = [
      [
        { pools: [{ topic: "x", nodeType: "worker", exclusive: true }] },
        /'max_nodes' field must be set when using the 'exclusive' flag/,
      ],
      [
        {
          pools: [
            { topic: "x", nodeType: "proxy", maxNodes: 2, exclusive: true },
            { topic: "y", nodeType: "proxy", maxNodes: 1, exclusive: true },
          ],
        },
        /not enough Cluster::PROXY nodes to satisfy pool exclusivity requirements: need 3 nodes/,
      ],
      [{ pools: [{ topic: "x", nodeType: "manager" as "worker" }] }, /invalid pool node type: manager/],
      [{ pools: [{ topic: "x", nodeType: "worker", maxNodes: -1 }] }, /non-negative integer/],
    ];
    for (const [options, message] of cases) {
      let thrown: unknown;
      try {
        buildPools(CLUSTER, options);
      } catch (error) {
        thrown = error;
      }
      expect(ZmqcError.is(thrown, "CONFIG"), String(message)).toBe(true);
      expect((thrown as Error).message).toMatch(message);
    }
  });

  it("give a colliding name the next alias", () => {
    // PY: fnv1a32("n512789.0") == fnv1a32("n749192.0") == 1473747165; fnv1a32("n749192.1") == 1456969546.
    const pools = buildPools(layout({ n749192: "worker", n512789: "worker" }));
    expect(pools.worker.nodes.map((node) => [node.name, node.alias, node.siteId])).toEqual([
      ["n512789", "n512789.0", 1473747165],
      ["n749192", "n749192.1", 1456969546],
    ]);
  });
});

describe("Zeek's custom pool baselines (a manager, proxy-1 and proxy-2 up, Broker topics)", () => {
  const brokerTopic = (name: string) => `zeek/cluster/node/${name}/`;
  const PROXIES = layout({ manager: "manager", "proxy-1": "proxy", "proxy-2": "proxy" });
  const KEYS = [0, 1, 2, 3, 13, 37, 42, 101].map((n) => Value.count(n));
  const P1 = "zeek/cluster/node/proxy-1/";
  const P2 = "zeek/cluster/node/proxy-2/";
  const MY_POOL = { topic: "zeek/cluster/pool/my_pool", nodeType: "proxy" } as const;

  function upstream(proxyPool: { maxNodes: number; exclusive: boolean }) {
    const pools = buildPools(PROXIES, {
      self: "manager",
      nodeTopic: brokerTopic,
      proxyPool: { topic: "zeek/cluster/pool/proxy", nodeType: "proxy", ...proxyPool },
      workerPool: { topic: "zeek/cluster/pool/worker", nodeType: "worker" },
      loggerPool: { topic: "zeek/cluster/pool/logger", nodeType: "logger" },
      pools: [MY_POOL],
    });
    pools.nodeUp("proxy-1");
    pools.nodeUp("proxy-2");
    return { proxy: pools.proxy, mine: pools.custom[0] as Pool, pools };
  }

  it("custom_pool_exclusivity: the exclusive proxy pool has proxy-1, my_pool proxy-2", () => {
    const { proxy, mine, pools } = upstream({ maxNodes: 1, exclusive: true });
    expect(KEYS.map((key) => proxy.hrwTopic(key))).toEqual(KEYS.map(() => P1));
    expect(KEYS.map((key) => mine.hrwTopic(key))).toEqual(KEYS.map(() => P2));
    expect(rrRun(proxy, "test", 8)).toEqual(KEYS.map(() => P1));
    expect(rrRun(mine, "test", 8)).toEqual(KEYS.map(() => P2));
    pools.nodeDown("proxy-1");
    expect(KEYS.map((key) => proxy.hrwTopic(key))).toEqual(KEYS.map(() => ""));
    expect(rrRun(proxy, "test", 8)).toEqual(KEYS.map(() => ""));
    expect(rrRun(mine, "test", 8)).toEqual(KEYS.map(() => P2));
  });

  it("custom_pool_limits: the proxy pool has proxy-1 only, my_pool both", () => {
    const { proxy, mine, pools } = upstream({ maxNodes: 1, exclusive: false });
    expect(names(mine)).toEqual(["proxy-1", "proxy-2"]);
    expect(KEYS.map((key) => proxy.hrwTopic(key))).toEqual(KEYS.map(() => P1));
    expect(KEYS.map((key) => mine.hrwTopic(key))).toEqual([P2, P1, P2, P2, P1, P1, P1, P1]);
    expect(rrRun(proxy, "test", 8)).toEqual(KEYS.map(() => P1));
    expect(rrRun(mine, "test", 8)).toEqual([P1, P2, P1, P2, P1, P2, P1, P2]);
    // The same keys still map to the same topics.
    expect(KEYS.map((key) => mine.hrwTopic(key))).toEqual([P2, P1, P2, P2, P1, P1, P1, P1]);
    pools.nodeDown("proxy-1");
    expect(KEYS.map((key) => mine.hrwTopic(key))).toEqual(KEYS.map(() => P2));
    expect(rrRun(mine, "test", 8)).toEqual(KEYS.map(() => P2));
    pools.nodeDown("proxy-2");
    expect(KEYS.map((key) => mine.hrwTopic(key))).toEqual(KEYS.map(() => ""));
    expect(rrRun(mine, "test", 8)).toEqual(KEYS.map(() => ""));
  });
});

describe("liveness", () => {
  it("counts each node once, and answers false for names not in the pool", () => {
    const { worker } = buildPools(CLUSTER);
    expect(worker.markAlive("worker-2")).toBe(true);
    expect(worker.markAlive("worker-2")).toBe(true);
    expect(worker.aliveCount).toBe(1);
    expect(worker.markAlive("proxy-1")).toBe(false);
    expect(worker.markDead("nobody")).toBe(false);
    expect(worker.markDead("worker-2")).toBe(true);
    expect(worker.markDead("worker-2")).toBe(true);
    expect(worker.aliveCount).toBe(0);
    expect(worker.has("worker-1")).toBe(true);
    expect(worker.addNode("worker-1")).toBe(false);
  });

  it("nodeUp and nodeDown reach every pool that holds the node", () => {
    const pools = buildPools(CLUSTER, { pools: [{ topic: "extra", nodeType: "worker", maxNodes: 1 }] });
    pools.nodeUp("worker-1");
    expect(alive(pools.custom[0] as Pool)).toEqual(["worker-1"]);
    expect(alive(pools.worker)).toEqual(["worker-1"]);
    expect(pools.proxy.aliveCount).toBe(0);
    pools.nodeDown("worker-1");
    expect(pools.worker.aliveCount + (pools.custom[0] as Pool).aliveCount).toBe(0);
  });
});

describe("this node itself (notes §10.7)", () => {
  const asWorker1 = () => buildPools(CLUSTER, { self: "worker-1" });

  it("is alive from the start, so round robin picks it", () => {
    const { worker } = asWorker1();
    expect(worker.aliveCount).toBe(1);
    expect(alive(worker)).toEqual(["worker-1"]);
    expect(rrRun(worker, "", 2)).toEqual([topicOf("worker-1"), topicOf("worker-1")]);
  });

  it("is never an HRW site: alone it gives no HRW topic, and keys it would win go to the others", () => {
    const pools = asWorker1();
    expect(pools.worker.hrwTopic("a")).toBe("");
    for (const name of ["worker-1", "worker-2", "worker-3", "worker-4"]) pools.nodeUp(name);
    expect(pools.worker.aliveCount).toBe(4);
    // PY: among all four workers worker-1 wins "a", "foobar" and "key-2"; among worker-2..4 these go to:
    expect(["a", "foobar", "key-2"].map((key) => pools.worker.hrwTopic(key))).toEqual(
      ["worker-3", "worker-2", "worker-2"].map(topicOf),
    );
    for (let i = 0; i < 2000; i++) expect(pools.worker.hrwTopic(`k${i}`)).not.toBe(topicOf("worker-1"));
    // Round robin does include it.
    expect(rrRun(pools.worker, "r", 5)).toEqual(
      ["worker-1", "worker-2", "worker-3", "worker-4", "worker-1"].map(topicOf),
    );
  });

  it("is ignored by nodeDown too, but markAlive / markDead act on it as Zeek's functions would", () => {
    const pools = asWorker1();
    pools.nodeDown("worker-1");
    expect(pools.worker.aliveCount).toBe(1);
    pools.worker.markAlive("worker-1");
    expect(pools.worker.hrwTopic("a")).toBe(topicOf("worker-1"));
    pools.worker.markDead("worker-1");
    expect(pools.worker.aliveCount).toBe(0);
    expect(pools.worker.rrTopic()).toBe("");
  });
});

describe("rrTopic", () => {
  it("walks the node list per key, skipping dead nodes", () => {
    const pools = buildPools(CLUSTER);
    const { worker } = pools;
    for (const name of ["worker-1", "worker-2", "worker-3", "worker-4"]) pools.nodeUp(name);
    expect(rrRun(worker, "", 3)).toEqual(["worker-1", "worker-2", "worker-3"].map(topicOf));
    // Another key has its own position.
    expect(rrRun(worker, "Intel::cluster_rr_key", 2)).toEqual(["worker-1", "worker-2"].map(topicOf));
    pools.nodeDown("worker-4");
    // "" is at worker-4 (dead): it goes on to worker-1.
    expect(rrRun(worker, "", 3)).toEqual(["worker-1", "worker-2", "worker-3"].map(topicOf));
    pools.nodeDown("worker-1");
    pools.nodeDown("worker-2");
    expect(rrRun(worker, "", 3)).toEqual(["worker-3", "worker-3", "worker-3"].map(topicOf));
  });

  it("gives '' with nobody alive and keeps the position for when a node comes back", () => {
    const pools = buildPools(CLUSTER);
    pools.nodeUp("worker-1");
    pools.nodeUp("worker-2");
    expect(rrRun(pools.worker, "", 1)).toEqual([topicOf("worker-1")]);
    pools.nodeDown("worker-1");
    pools.nodeDown("worker-2");
    expect(rrRun(pools.worker, "", 2)).toEqual(["", ""]);
    pools.nodeUp("worker-1");
    pools.nodeUp("worker-2");
    expect(rrRun(pools.worker, "", 3)).toEqual(["worker-2", "worker-1", "worker-2"].map(topicOf));
  });
});

describe("hrwTopic", () => {
  it("sends keys where the Python model does (PY)", () => {
    const pools = buildPools(CLUSTER);
    for (const name of ["worker-1", "worker-2", "worker-3", "worker-4"]) pools.nodeUp(name);
    const expected: [Parameters<Pool["hrwTopic"]>[0], string][] = [
      ["", "worker-4"],
      ["a", "worker-1"],
      ["known-hosts", "worker-2"],
      ["10.0.0.1", "worker-3"],
      [Value.count(123), "worker-3"],
      [Value.integer(-1), "worker-2"],
      [Value.real(1.5), "worker-3"],
      [Value.boolean(true), "worker-1"],
    ];
    for (const [key, winner] of expected) expect(pools.worker.hrwTopic(key)).toBe(topicOf(winner));
    pools.nodeDown("worker-2");
    expect(pools.worker.hrwTopic("known-hosts")).toBe(topicOf("worker-4"));
  });

  it("spreads 10,000 keys 20–30 % to each of four workers", () => {
    const pools = buildPools(CLUSTER);
    for (const name of ["worker-1", "worker-2", "worker-3", "worker-4"]) pools.nodeUp(name);
    const counts = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) {
      const topic = pools.worker.hrwTopic(`flow-${i}`);
      counts.set(topic, (counts.get(topic) ?? 0) + 1);
    }
    expect(counts.size).toBe(4);
    for (const count of counts.values()) {
      expect(count).toBeGreaterThanOrEqual(2000);
      expect(count).toBeLessThanOrEqual(3000);
    }
  });

  it("throws for an unsupported key type even when nobody is alive", () => {
    const pools = buildPools(CLUSTER);
    expect(() => pools.worker.hrwTopic(Value.address("10.0.0.1"))).toThrow(UnsupportedKeyError);
  });
});

describe("publishHrw / publishRr", () => {
  function recorder(accept = true) {
    const sent: [string, ZeekEvent][] = [];
    return {
      sent,
      publish(topic: string, event: ZeekEvent) {
        sent.push([topic, event]);
        return accept;
      },
    };
  }

  it("publish to the chosen node topic and return what publish returns", () => {
    const pools = buildPools(CLUSTER);
    for (const name of ["worker-1", "worker-2", "worker-3", "worker-4"]) pools.nodeUp(name);
    const node = recorder();
    expect(publishHrw(node, pools.worker, "known-hosts", EVENT)).toBe(true);
    expect(publishRr(node, pools.worker, "k", EVENT)).toBe(true);
    expect(publishRr(node, pools.worker, "k", EVENT)).toBe(true);
    expect(node.sent).toEqual([
      [topicOf("worker-2"), EVENT],
      [topicOf("worker-1"), EVENT],
      [topicOf("worker-2"), EVENT],
    ]);
    const full = recorder(false);
    expect(publishHrw(full, pools.worker, "a", EVENT)).toBe(false);
    expect(full.sent).toHaveLength(1);
  });

  it("return false without publishing when no node of the pool is alive", () => {
    const pools = buildPools(CLUSTER, { self: "worker-1" });
    const node = recorder();
    // This node alone: HRW has no site, round robin has itself.
    expect(publishHrw(node, pools.worker, "a", EVENT)).toBe(false);
    expect(publishHrw(node, pools.proxy, "a", EVENT)).toBe(false);
    expect(publishRr(node, pools.proxy, "", EVENT)).toBe(false);
    expect(node.sent).toEqual([]);
    expect(publishRr(node, pools.worker, "", EVENT)).toBe(true);
    expect(node.sent).toEqual([[topicOf("worker-1"), EVENT]]);
  });
});
