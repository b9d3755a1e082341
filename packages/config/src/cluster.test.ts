import {
  clusterLayoutSchema,
  clusterProblems,
  DEFAULT_BACKEND_OPTIONS,
  deriveNodeOptions,
  resolveCluster,
} from "@zmqc/config";
import { describe, expect, it } from "vitest";
import { layoutFixture } from "../test/helpers.js";

const problemsOf = (layout: unknown, options = DEFAULT_BACKEND_OPTIONS) =>
  clusterProblems(resolveCluster(clusterLayoutSchema.parse(layout)), options);

describe("layout derivations", () => {
  it("simple layout: the manager runs the broker, the logger listens, everyone else pushes to it", () => {
    const cluster = resolveCluster(layoutFixture("simple.yaml"));
    expect(cluster.managerIsLogger).toBe(false);
    expect(cluster.manager).toBe("manager");
    expect(cluster.logReceivers).toEqual(["logger"]);
    expect(deriveNodeOptions(cluster, "manager")).toEqual({
      runProxyThread: true,
      connectLogEndpoints: ["tcp://127.0.0.1:27760"],
    });
    expect(deriveNodeOptions(cluster, "logger")).toEqual({
      runProxyThread: false,
      listenLogEndpoint: "tcp://127.0.0.1:27760",
    });
    for (const name of ["proxy", "worker-1", "worker-2"]) {
      expect(deriveNodeOptions(cluster, name)).toEqual({
        runProxyThread: false,
        connectLogEndpoints: ["tcp://127.0.0.1:27760"],
      });
    }
    expect(problemsOf(layoutFixture("simple.yaml"))).toEqual([]);
  });

  it("a layout with a logger defaults managerIsLogger to false, as zeekctl does", () => {
    const { managerIsLogger, ...rest } = layoutFixture("simple.yaml");
    expect(managerIsLogger).toBe(false);
    expect(resolveCluster(rest).managerIsLogger).toBe(false);
  });

  it("no logger: the manager is the logger and binds its logPort", () => {
    const cluster = resolveCluster(layoutFixture("no-logger.yaml"));
    expect(cluster.managerIsLogger).toBe(true);
    expect(cluster.logReceivers).toEqual(["manager"]);
    expect(deriveNodeOptions(cluster, "manager")).toEqual({
      runProxyThread: true,
      listenLogEndpoint: "tcp://127.0.0.1:27760",
    });
    expect(deriveNodeOptions(cluster, "worker-2").connectLogEndpoints).toEqual(["tcp://127.0.0.1:27760"]);
  });

  it("two loggers: every other node connects to both, in name order", () => {
    const cluster = resolveCluster(layoutFixture("two-loggers.json"));
    expect(cluster.logReceivers).toEqual(["logger-1", "logger-2"]);
    const expected = ["tcp://127.0.0.1:27761", "tcp://127.0.0.1:27762"];
    for (const name of ["manager", "proxy", "worker-1"]) {
      expect(deriveNodeOptions(cluster, name).connectLogEndpoints).toEqual(expected);
    }
    expect(deriveNodeOptions(cluster, "logger-2")).toEqual({
      runProxyThread: false,
      listenLogEndpoint: expected[1],
    });
  });

  it("IPv6: endpoints are bracketed and ipv6 is turned on everywhere", () => {
    const cluster = resolveCluster(layoutFixture("ipv6.yaml"));
    expect(deriveNodeOptions(cluster, "logger")).toMatchObject({
      listenLogEndpoint: "tcp://[::1]:27760",
      ipv6: true,
    });
    expect(deriveNodeOptions(cluster, "worker-1")).toMatchObject({
      connectLogEndpoints: ["tcp://[::1]:27760"],
      ipv6: true,
    });
    expect(deriveNodeOptions(cluster, "manager")).toMatchObject({ runProxyThread: true, ipv6: true });
  });

  it("IPv6 manager that is the logger gets brackets too (Zeek forgets them here)", () => {
    const cluster = resolveCluster(
      clusterLayoutSchema.parse({
        nodes: {
          manager: { type: "manager", ip: "2001:db8::1", logPort: 27760 },
          "worker-1": { type: "worker", ip: "2001:db8::2" },
        },
      }),
    );
    expect(deriveNodeOptions(cluster, "manager").listenLogEndpoint).toBe("tcp://[2001:db8::1]:27760");
    expect(deriveNodeOptions(cluster, "worker-1").connectLogEndpoints).toEqual(["tcp://[2001:db8::1]:27760"]);
  });

  it("an explicit managerIsLogger with loggers makes the manager one more log receiver", () => {
    const layout = { ...layoutFixture("two-loggers.json"), managerIsLogger: true };
    layout.nodes = { ...layout.nodes, manager: { type: "manager", ip: "127.0.0.1", logPort: 27763 } };
    const cluster = resolveCluster(layout);
    expect(cluster.logReceivers).toEqual(["logger-1", "logger-2", "manager"]);
    expect(deriveNodeOptions(cluster, "worker-1").connectLogEndpoints).toHaveLength(3);
  });

  it("accepts IPv6 addresses written with brackets", () => {
    const layout = clusterLayoutSchema.parse({ nodes: { manager: { type: "manager", ip: "[::1]" } } });
    expect(layout.nodes.manager?.ip).toBe("::1");
  });
});

describe("layout checks", () => {
  it("two nodes binding the same endpoint", () => {
    const problems = problemsOf({
      nodes: {
        manager: { type: "manager", ip: "127.0.0.1" },
        "logger-1": { type: "logger", ip: "127.0.0.1", logPort: 5557 },
        "logger-2": { type: "logger", ip: "127.0.0.1", logPort: 5557 },
      },
    });
    expect(problems).toEqual([
      {
        path: "cluster.nodes.logger-2",
        code: "endpoint_conflict",
        message:
          "nodes 'logger-1' (log PULL (logPort)) and 'logger-2' (log PULL (logPort)) both bind tcp://127.0.0.1:5557",
      },
    ]);
  });

  it("a logger port that collides with the broker on the manager's host", () => {
    const problems = problemsOf({
      nodes: {
        manager: { type: "manager", ip: "127.0.0.1" },
        logger: { type: "logger", ip: "127.0.0.1", logPort: 5555 },
      },
    });
    expect(problems.map((p) => p.code)).toEqual(["endpoint_conflict"]);
    expect(problems[0]?.message).toBe(
      "nodes 'logger' (log PULL (logPort)) and 'manager' (broker XPUB (listenXpubEndpoint)) both bind tcp://127.0.0.1:5555",
    );
  });

  it("a wildcard broker bind collides with anything on the manager's address", () => {
    const problems = problemsOf(
      { managerIsLogger: false, nodes: { manager: { type: "manager", ip: "10.0.0.1", metricsPort: 6000 } } },
      { ...DEFAULT_BACKEND_OPTIONS, listenXpubEndpoint: "tcp://*:6000" },
    );
    expect(problems[0]?.message).toBe(
      "node 'manager' binds tcp://10.0.0.1:6000 twice, for metrics (metricsPort) and broker XPUB (listenXpubEndpoint)",
    );
  });

  it("the same port on different hosts is fine", () => {
    expect(
      problemsOf({
        nodes: {
          manager: { type: "manager", ip: "10.0.0.1" },
          "logger-1": { type: "logger", ip: "10.0.0.2", logPort: 5557 },
          "logger-2": { type: "logger", ip: "10.0.0.3", logPort: 5557 },
        },
      }),
    ).toEqual([]);
  });

  it("loggers need a logPort, a manager reference must name a manager, one manager at most", () => {
    const problems = problemsOf({
      nodes: {
        manager: { type: "manager", ip: "127.0.0.1" },
        "manager-2": { type: "manager", ip: "127.0.0.2" },
        logger: { type: "logger", ip: "127.0.0.1" },
        "worker-1": { type: "worker", ip: "127.0.0.1", manager: "worker-2" },
      },
    });
    expect(problems.map((p) => [p.path, p.code])).toEqual([
      ["cluster.nodes", "layout"],
      ["cluster.nodes.logger.logPort", "layout"],
      ["cluster.nodes.worker-1.manager", "layout"],
    ]);
  });

  it("a manager that is the logger needs a logPort", () => {
    const problems = problemsOf({
      nodes: {
        manager: { type: "manager", ip: "127.0.0.1" },
        "worker-1": { type: "worker", ip: "127.0.0.1" },
      },
    });
    expect(problems).toEqual([
      {
        path: "cluster.nodes.manager.logPort",
        code: "layout",
        message: "the manager is the logger and needs a logPort to bind its log PULL socket on",
      },
    ]);
  });

  it("rejects node names that would break topic prefixes", () => {
    const result = clusterLayoutSchema.safeParse({
      nodes: { "worker.1": { type: "worker", ip: "127.0.0.1" } },
    });
    expect(result.success).toBe(false);
  });
});
