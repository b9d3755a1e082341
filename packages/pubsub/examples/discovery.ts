// Node discovery as Zeek does it: a manager and two workers join one cluster through a broker, each gets node_up
// for the others, the worker pool follows, and when worker-2 leaves the others get node_down.
// Run: node --conditions=@zmqc/source --import tsx examples/discovery.ts
import { nodeEndpoints, startBroker } from "@zmqc/broker";
import { resolveCluster } from "@zmqc/config";
import { type Cluster, joinCluster } from "@zmqc/pubsub";

/** Resolves once `done()` holds, checked now and after each of the cluster's events; rejects after 5 s. */
function when(cluster: Cluster, what: string, done: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${cluster.name}: no ${what} within 5000 ms`));
    }, 5000);
    const check = () => {
      if (!done()) return;
      stop();
      clearTimeout(timer);
      resolve();
    };
    const stop = cluster.on(check);
    check();
  });
}

/** Which worker the manager's worker pool hands each key to (Zeek's Cluster::hrw_topic), on one line. */
function owners(manager: Cluster): string {
  return ["10.0.0.1", "192.0.2.1", "192.0.2.4", "198.51.100.7"]
    .map((key) => `${key}→${manager.pools.worker.hrwNode(key)?.name}`)
    .join(" ");
}

await using broker = await startBroker({
  listenXpubEndpoint: "tcp://127.0.0.1:*",
  listenXsubEndpoint: "tcp://127.0.0.1:*",
});
// The layout every node agrees on (what a zmqc.yaml's `cluster:` holds, or Zeek's cluster-layout.zeek).
const layout = resolveCluster({
  nodes: {
    manager: { type: "manager", ip: "127.0.0.1" },
    "worker-1": { type: "worker", ip: "127.0.0.1" },
    "worker-2": { type: "worker", ip: "127.0.0.1" },
  },
});

/** Joins the cluster as `name` (in one process here; normally one process per node) and logs what it sees. */
async function join(name: string): Promise<Cluster> {
  const cluster = await joinCluster({
    layout,
    name,
    ...nodeEndpoints(broker), // the node's XPUB to the broker's XSUB, its XSUB to the broker's XPUB
    log: (line) => console.log(`${name} log: ${line}`),
  });
  console.log(`${name} joined as ${cluster.nodeId}`);
  // Listening right away: discovery starts as soon as the node is connected.
  cluster.on((event) => {
    if (event.type === "node_up") console.log(`${name}: node_up ${event.name}`);
    if (event.type === "node_down") console.log(`${name}: node_down ${event.name} (${event.reason})`);
  });
  return cluster;
}

await using manager = await join("manager");
await using worker1 = await join("worker-1");
await using worker2 = await join("worker-2");
// Each node waits until it sees every other node of the layout up (5 s at most).
await Promise.all([manager, worker1, worker2].map((cluster) => cluster.waitForNodes(undefined, 5000)));
console.log(`worker pool: ${owners(manager)}`);

// Leaving closes the node's sockets: the broker drops its node-id subscription, which is node_down for the rest.
await worker2.close();
const worker2Down = (cluster: Cluster) => cluster.member("worker-2")?.up === false;
await Promise.all([manager, worker1].map((c) => when(c, "node_down worker-2", () => worker2Down(c))));
console.log(`worker pool: ${owners(manager)}`);
for (const member of manager.members())
  console.log(
    `manager's view: ${member.name} (${member.type}) ${member.self ? "self" : member.up ? "up" : "down"}`,
  );

// Closed together, so neither reports the other going down; `await using` then closes the broker (and, on an
// error, every node).
await Promise.all([manager.close(), worker1.close()]);
