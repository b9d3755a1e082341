// Runs a real Zeek as each node of our layout fixtures and checks that our derivations match what Zeek's
// cluster scripts compute: run_proxy_thread, listen_log_endpoint and connect_log_endpoints.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ClusterLayout, deriveNodeOptions, type ResolvedCluster, resolveCluster } from "@zmqc/config";
import { describeWithZeek, runZeek } from "@zmqc/zeek-harness";
import { afterAll, expect, it } from "vitest";
import { layoutFixture } from "./helpers.js";

const ZEEK_TYPES = { manager: "MANAGER", logger: "LOGGER", proxy: "PROXY", worker: "WORKER" } as const;

/** Our layout as Zeek's cluster-layout.zeek, with the managerIsLogger we resolved. */
function zeekLayout(cluster: ResolvedCluster): string {
  const nodes = Object.entries(cluster.nodes).map(([name, node]) => {
    const fields = [
      `$node_type=Cluster::${ZEEK_TYPES[node.type]}`,
      `$ip=${node.ip.includes(":") ? `[${node.ip}]` : node.ip}`,
    ];
    if (node.logPort !== undefined) fields.push(`$p=${node.logPort}/tcp`);
    if (node.manager !== undefined) fields.push(`$manager="${node.manager}"`);
    return `\t["${name}"] = [${fields.join(", ")}],`;
  });
  return [
    `redef Cluster::manager_is_logger = ${cluster.managerIsLogger ? "T" : "F"};`,
    "redef Cluster::nodes = {",
    ...nodes,
    "};",
    "",
  ].join("\n");
}

// Printed after Zeek's priority-100 handler has filled connect_log_endpoints. ZEEKCTL_CHECK_CONFIG keeps the
// backend from opening sockets, so Zeek exits once zeek_init is done.
const PRINT_DERIVED = `@load policy/frameworks/cluster/backend/zeromq
event zeek_init() &priority=50
	{
	print to_json([$runProxyThread=Cluster::Backend::ZeroMQ::run_proxy_thread,
	               $listenLogEndpoint=Cluster::Backend::ZeroMQ::listen_log_endpoint,
	               $connectLogEndpoints=Cluster::Backend::ZeroMQ::connect_log_endpoints]);
	}
`;

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function zeekDerivations(cluster: ResolvedCluster, node: string) {
  const dir = mkdtempSync(join(tmpdir(), "zmqc-zeek-layout-"));
  dirs.push(dir);
  writeFileSync(join(dir, "cluster-layout.zeek"), zeekLayout(cluster));
  writeFileSync(join(dir, "print-derived.zeek"), PRINT_DERIVED);
  const result = await runZeek(["-b", "print-derived.zeek"], {
    cwd: dir,
    env: { CLUSTER_NODE: node, ZEEKCTL_CHECK_CONFIG: "1" },
  });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as {
    runProxyThread: boolean;
    listenLogEndpoint: string;
    connectLogEndpoints: string[];
  };
}

function ours(cluster: ResolvedCluster, node: string) {
  const derived = deriveNodeOptions(cluster, node);
  return {
    runProxyThread: derived.runProxyThread,
    listenLogEndpoint: derived.listenLogEndpoint ?? "",
    // Zeek walks Cluster::nodes in hash order; we use name order. Compare as sets.
    connectLogEndpoints: [...(derived.connectLogEndpoints ?? [])].sort(),
  };
}

describeWithZeek("layout derivations equal a real Zeek's", () => {
  it.each(["simple.yaml", "no-logger.yaml", "two-loggers.json", "ipv6.yaml"])(
    "%s, every node",
    async (fixture) => {
      const cluster = resolveCluster(layoutFixture(fixture));
      for (const node of Object.keys(cluster.nodes)) {
        const zeek = await zeekDerivations(cluster, node);
        expect(ours(cluster, node), `${fixture} ${node}`).toEqual({
          ...zeek,
          connectLogEndpoints: [...zeek.connectLogEndpoints].sort(),
        });
      }
    },
  );

  it("an IPv6 manager that is the logger: Zeek leaves out the brackets, we do not", async () => {
    const layout: ClusterLayout = {
      nodes: {
        manager: { type: "manager", ip: "::1", logPort: 27760 },
        "worker-1": { type: "worker", ip: "::1" },
      },
    };
    const cluster = resolveCluster(layout);
    const zeek = await zeekDerivations(cluster, "worker-1");
    expect(zeek.connectLogEndpoints).toEqual(["tcp://::1:27760"]);
    expect(ours(cluster, "worker-1").connectLogEndpoints).toEqual(["tcp://[::1]:27760"]);
    expect((await zeekDerivations(cluster, "manager")).listenLogEndpoint).toBe("tcp://[::1]:27760");
    expect(ours(cluster, "manager").listenLogEndpoint).toBe("tcp://[::1]:27760");
  });
});
