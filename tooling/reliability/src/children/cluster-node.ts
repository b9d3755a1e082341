// A zmqc cluster node in its own process, for the scenarios that kill, freeze or restart one:
//   node --conditions=@zmqc/source --import tsx src/children/cluster-node.ts '<json>'
// <json> is {"broker": {"xpubEndpoint", "xsubEndpoint"}, "nodes": {name: type}, "name", "liveness"?,
// "embedBroker"?}; with embedBroker the process also runs the broker, bound at those endpoints (as a Zeek manager
// runs the proxy thread), so killing it kills the broker too. Prints one
// JSON line when it has joined, {"event": "joined", "id"}, then one per discovery event ({"event": "node_up",
// "name", "id"}, …). Closes and exits 0 when its stdin ends (the test went away) or on SIGTERM.
import { startBroker } from "@zmqc/broker";
import { resolveCluster } from "@zmqc/config";
import { joinCluster, type LivenessOptions } from "@zmqc/pubsub";

interface ChildConfig {
  readonly broker: { readonly xpubEndpoint: string; readonly xsubEndpoint: string };
  readonly nodes: Record<string, "manager" | "logger" | "proxy" | "worker">;
  readonly name: string;
  readonly liveness?: LivenessOptions;
  readonly embedBroker?: boolean;
}

const config = JSON.parse(process.argv[2] ?? "{}") as ChildConfig;
const layout = resolveCluster({
  nodes: Object.fromEntries(
    Object.entries(config.nodes).map(([name, type]) => [name, { type, ip: "127.0.0.1" }]),
  ),
});
const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

const broker = config.embedBroker
  ? await startBroker({
      listenXpubEndpoint: config.broker.xpubEndpoint,
      listenXsubEndpoint: config.broker.xsubEndpoint,
      lingerMs: 0,
    })
  : undefined;
const cluster = await joinCluster({
  layout,
  name: config.name,
  connectXpubEndpoint: config.broker.xsubEndpoint,
  connectXsubEndpoint: config.broker.xpubEndpoint,
  lingerMs: 0,
  log: (line) => process.stderr.write(`${line}\n`),
  ...(config.liveness ? { liveness: config.liveness } : {}),
});
cluster.on((event) => print({ ...event, event: event.type }));
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void cluster
    .close()
    .then(() => broker?.close())
    .then(() => process.exit(0));
};
process.stdin.on("end", stop);
process.stdin.on("error", stop);
process.stdin.resume();
process.on("SIGTERM", stop);
print({ event: "joined", id: cluster.nodeId });
