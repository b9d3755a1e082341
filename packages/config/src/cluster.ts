import { parseEndpoint, tcpEndpoint } from "./endpoint.js";
import type { ConfigProblem } from "./errors.js";
import type { ClusterLayout, ClusterNode, NodeType } from "./layout.js";
import type { BackendOptions } from "./options/index.js";

/** A validated layout with what follows from it. */
export interface ResolvedCluster {
  /** The nodes by name, in name order. */
  readonly nodes: Readonly<Record<string, ClusterNode>>;
  /** Whether the manager receives the logs (explicit, or true when there is no logger). */
  readonly managerIsLogger: boolean;
  /** The manager's name, if the layout has one. */
  readonly manager: string | undefined;
  /** The nodes that bind a log PULL socket, in name order. */
  readonly logReceivers: readonly string[];
}

// Code-unit order: the same on every machine and in every locale.
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Works out the manager, who receives logs, and the name order of a validated layout. */
export function resolveCluster(layout: ClusterLayout): ResolvedCluster {
  const names = Object.keys(layout.nodes).sort(byName);
  const nodes = Object.fromEntries(names.map((name) => [name, layout.nodes[name] as ClusterNode]));
  const ofType = (type: NodeType) => names.filter((name) => nodes[name]?.type === type);
  const loggers = ofType("logger");
  const manager = ofType("manager")[0];
  const managerIsLogger = layout.managerIsLogger ?? loggers.length === 0;
  const logReceivers =
    managerIsLogger && manager !== undefined ? [...loggers, manager].sort(byName) : loggers;
  return { nodes, managerIsLogger, manager, logReceivers };
}

/** The log PULL endpoint of a node that receives logs: `tcp://<ip>:<logPort>` (IPv6 in brackets). */
function logEndpointOf(node: ClusterNode): string | undefined {
  return node.logPort === undefined ? undefined : tcpEndpoint(node.ip, node.logPort);
}

/**
 * The options a layout implies for one node, as Zeek's cluster scripts set them: the manager runs the broker,
 * log receivers bind their PULL socket, everyone else connects a PUSH to every log receiver (name order), and
 * IPv6 is on when any node has an IPv6 address (as zeekctl does).
 */
export function deriveNodeOptions(cluster: ResolvedCluster, name: string): Partial<BackendOptions> {
  const node = cluster.nodes[name];
  if (!node) return {};
  const receivesLogs = cluster.logReceivers.includes(name);
  const derived: Partial<BackendOptions> = { runProxyThread: node.type === "manager" };
  if (receivesLogs) {
    const endpoint = logEndpointOf(node);
    if (endpoint) derived.listenLogEndpoint = endpoint;
  } else {
    derived.connectLogEndpoints = cluster.logReceivers
      .map((receiver) => cluster.nodes[receiver])
      .flatMap((receiver) => (receiver ? [logEndpointOf(receiver)] : []))
      .filter((endpoint): endpoint is string => endpoint !== undefined);
  }
  if (Object.values(cluster.nodes).some((other) => other.ip.includes(":"))) derived.ipv6 = true;
  return derived;
}

interface Binding {
  readonly owner: string;
  readonly what: string;
  readonly host: string;
  readonly port: number;
}

const WILDCARD_HOSTS = new Set(["*", "0.0.0.0", "::"]);

/** Every TCP port each node of the layout binds, with the broker's endpoints on the manager. */
function bindingsOf(cluster: ResolvedCluster, options: BackendOptions): Binding[] {
  const bindings: Binding[] = [];
  for (const [name, node] of Object.entries(cluster.nodes)) {
    if (cluster.logReceivers.includes(name) && node.logPort !== undefined) {
      bindings.push({ owner: name, what: "log PULL (logPort)", host: node.ip, port: node.logPort });
    }
    if (node.metricsPort !== undefined) {
      bindings.push({ owner: name, what: "metrics (metricsPort)", host: node.ip, port: node.metricsPort });
    }
    if (name === cluster.manager) {
      for (const [what, endpoint] of [
        ["broker XPUB (listenXpubEndpoint)", options.listenXpubEndpoint],
        ["broker XSUB (listenXsubEndpoint)", options.listenXsubEndpoint],
      ] as const) {
        const parsed = parseEndpoint(endpoint);
        if ("transport" in parsed && parsed.transport === "tcp" && typeof parsed.port === "number") {
          // A wildcard bind takes the port on every address of the manager's host.
          const host = WILDCARD_HOSTS.has(parsed.host) ? node.ip : parsed.host;
          bindings.push({ owner: name, what, host, port: parsed.port });
        }
      }
    }
  }
  return bindings;
}

/**
 * Checks that need the whole layout: one manager at most, `manager` references, loggers with a `logPort`,
 * and no two bindings (log PULL, metrics, broker) on the same address and port.
 */
export function clusterProblems(cluster: ResolvedCluster, options: BackendOptions): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: string, code: ConfigProblem["code"], message: string) =>
    problems.push({ path, code, message });
  const managers = Object.entries(cluster.nodes).filter(([, node]) => node.type === "manager");
  if (managers.length > 1) {
    add(
      "cluster.nodes",
      "layout",
      `a cluster has one manager, this layout has ${managers.length}: ${managers.map(([n]) => n).join(", ")}`,
    );
  }
  for (const [name, node] of Object.entries(cluster.nodes)) {
    if (node.manager !== undefined && cluster.nodes[node.manager]?.type !== "manager") {
      add(
        `cluster.nodes.${name}.manager`,
        "layout",
        `'${node.manager}' is not a manager node of this layout`,
      );
    }
    if (cluster.logReceivers.includes(name) && node.logPort === undefined) {
      const role = node.type === "logger" ? "a logger" : "the manager is the logger and";
      add(
        `cluster.nodes.${name}.logPort`,
        "layout",
        `${role} needs a logPort to bind its log PULL socket on`,
      );
    }
  }
  const seen = new Map<string, Binding>();
  for (const binding of bindingsOf(cluster, options)) {
    const key = `${binding.host.toLowerCase()}|${binding.port}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, binding);
      continue;
    }
    const endpoint = tcpEndpoint(binding.host, binding.port);
    const who =
      first.owner === binding.owner
        ? `node '${binding.owner}' binds ${endpoint} twice, for ${first.what} and ${binding.what}`
        : `nodes '${first.owner}' (${first.what}) and '${binding.owner}' (${binding.what}) both bind ${endpoint}`;
    add(`cluster.nodes.${binding.owner}`, "endpoint_conflict", who);
  }
  return problems;
}
