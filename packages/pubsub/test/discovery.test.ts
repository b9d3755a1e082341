// Node discovery with every node in this process, through a real broker: Zeek's handshake (node_up once per
// incarnation, node_down, "never said goodbye", unexpected nodes, expiry), the startup subscriptions in Zeek's
// order, node topics with the trailing dot, client mode and cluster_started.
import { startTestBroker } from "@zmqc/broker/testing";
import { loadConfig } from "@zmqc/config";
import {
  type Cluster,
  type ClusterNode,
  clusterHello,
  connect,
  defineEvent,
  joinAsClient,
  joinCluster,
  nodeidTopic,
  nodeTopic,
  startClusterNode,
  zeromqHello,
} from "@zmqc/pubsub";
import { Value } from "@zmqc/wire-format";
import { Cleanup } from "@zmqc/zeek-harness";
import { afterEach, describe, expect, it } from "vitest";
import { XPublisher } from "zeromq";
import { type Endpoints, joinOn, layoutOf, recordEvents, waitForUp } from "./discovery/support.js";
import { until, within } from "./support.js";

const ping = defineEvent("Test::ping", ["string"]);

const FIVE = layoutOf({
  manager: "manager",
  logger: "logger",
  proxy: "proxy",
  "worker-1": "worker",
  "worker-2": "worker",
});

/** A plain node (no discovery) on the broker, for peers that misbehave on purpose. */
async function rawNode(broker: Endpoints, name: string): Promise<ClusterNode> {
  const node = await connect({
    name,
    connectXpubEndpoint: broker.xsubEndpoint,
    connectXsubEndpoint: broker.xpubEndpoint,
    lingerMs: 0,
    log: () => {},
  });
  await node.ready();
  return node;
}

describe("node discovery", () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  const join = async (
    broker: Endpoints,
    ...args: Parameters<typeof joinOn> extends [unknown, ...infer R] ? R : never
  ) => cleanup.add(await joinOn(broker, ...args), (cluster) => cluster.close());

  it("waitForNodes: resolves when the named (default: all other) nodes are up; CONFIG, TIMEOUT and CLOSED", async () => {
    const broker = cleanup.add(await startTestBroker(), (b) => b.close());
    const layout = layoutOf({ manager: "manager", "worker-1": "worker", "worker-2": "worker" });
    const manager = await join(broker, layout, "manager");
    // Asked before anyone else joined: the default waits for both workers.
    const everyone = manager.waitForNodes(undefined, 20_000);
    const worker1 = await join(broker, layout, "worker-1");
    await within(10_000, "worker-1 waiting for the manager", worker1.waitForNodes(["manager"]));
    // worker-2 never comes: a short wait names it.
    await expect(worker1.waitForNodes(undefined, 100)).rejects.toMatchObject({
      code: "TIMEOUT",
      message: "worker-1: not up within 100 ms: worker-2",
    });
    await expect(manager.waitForNodes(["worker-9"])).rejects.toMatchObject({ code: "CONFIG" });
    const worker2 = await join(broker, layout, "worker-2");
    await within(10_000, "the manager waiting for both workers", everyone);
    await worker2.waitForNodes();
    await worker1.waitForNodes();
    // Up already: resolves at once. Pending at close: CLOSED.
    await manager.waitForNodes(["worker-1", "worker-2"], 0);
    await worker2.close();
    await until(() => worker1.member("worker-2")?.up === false, "worker-2 down at worker-1");
    const pending = worker1.waitForNodes(undefined, -1).then(
      () => "resolved",
      (error: unknown) => error,
    );
    await worker1.close();
    expect(await pending).toMatchObject({ code: "CLOSED" });
  });

  it("two nodes: each gets node_up for the other; the worker leaves and the manager gets node_down", async () => {
    const broker = cleanup.add(await startTestBroker(), (b) => b.close());
    const layout = layoutOf({ manager: "manager", "worker-1": "worker" });
    // A bystander sees every subscription as the broker passes it on (XPUB_VERBOSE), in order.
    const bystander = cleanup.add(new XPublisher({ linger: 0, verbosity: "allSubs" }), (s) => s.close());
    bystander.connect(broker.xsubEndpoint);
    const seenByBystander: string[] = [];
    void (async () => {
      try {
        for (;;) {
          const [frame] = await bystander.receive();
          if (frame?.[0] === 1) seenByBystander.push(frame.subarray(1).toString("utf8"));
        }
      } catch {
        // closed
      }
    })();

    // Attached before the manager subscribes (a late joiner gets the broker's subscriptions replayed, sorted).
    const probe = cleanup.add(await rawNode(broker, "probe"), (node) => node.close());
    await probe.subscribe("zmqc.test.probe");
    await until(() => seenByBystander.includes("zmqc.test.probe"), "the probe at the bystander");

    const manager = await join(broker, layout, "manager");
    const managerLog = recordEvents(manager);
    const worker = await join(broker, layout, "worker-1");
    const workerLog = recordEvents(worker);

    expect(manager.nodeId).toMatch(/^zeromq_manager_[^_]+_\d+_N[0-9a-zA-Z]+$/);
    // setup-subscriptions.zeek: pools (the manager is the logger: the logger pool), type, node id, node.
    expect(manager.subscriptions).toEqual([
      "zeek.cluster.pool.logger",
      "zeek.cluster.manager",
      `zeek.cluster.nodeid.${manager.nodeId}.`,
      "zeek.cluster.node.manager.",
    ]);
    expect(worker.subscriptions).toEqual([
      "zeek.cluster.pool.worker",
      "zeek.cluster.worker",
      `zeek.cluster.nodeid.${worker.nodeId}.`,
      "zeek.cluster.node.worker-1.",
    ]);

    await managerLog.waitFor("node_up worker-1", (e) => e.type === "node_up" && e.name === "worker-1");
    await workerLog.waitFor("node_up manager", (e) => e.type === "node_up" && e.name === "manager");
    expect(managerLog.texts()).toEqual([`node_up worker-1 ${worker.nodeId}`]);
    expect(workerLog.texts()).toEqual([`node_up manager ${manager.nodeId}`]);
    expect(manager.member("worker-1")).toMatchObject({
      up: true,
      id: worker.nodeId,
      type: "worker",
      self: false,
    });
    expect(manager.member("worker-1")?.since).toBeInstanceOf(Date);
    expect(manager.nodeidToNode(worker.nodeId)).toBe("worker-1");
    expect(manager.pools.worker.node("worker-1")?.alive).toBe(true);
    expect(manager.pendingHandshakes()).toEqual({ subscriptions: [], hellos: [] });
    expect(worker.pendingHandshakes()).toEqual({ subscriptions: [], hellos: [] });
    expect(
      seenByBystander.filter((topic) => manager.subscriptions.includes(topic)),
      "the manager's subscriptions on the wire, in order",
    ).toEqual(manager.subscriptions);

    const mark = managerLog.entries.length;
    await worker.close();
    await managerLog.waitFor("node_down worker-1", (e) => e.type === "node_down" && e.name === "worker-1", {
      from: mark,
    });
    expect(managerLog.texts(mark)).toEqual([`node_down worker-1 ${worker.nodeId} (unsubscribed)`]);
    expect(manager.member("worker-1")).toMatchObject({ up: false, id: undefined });
    expect(manager.pools.worker.node("worker-1")?.alive).toBe(false);
    expect(managerLog.problems()).toEqual([]);
  });

  it("startClusterNode joins as the configured node; a name outside the layout is Zeek's configuration error", async () => {
    const broker = cleanup.add(await startTestBroker(), (b) => b.close());
    const config = (node: string) =>
      loadConfig({
        env: {},
        node,
        overrides: {
          connectXpubEndpoint: broker.xsubEndpoint,
          connectXsubEndpoint: broker.xpubEndpoint,
          lingerMs: 0,
          nodeidTopicPrefix: "test.nodeid",
          cluster: {
            nodes: {
              manager: { type: "manager", ip: "127.0.0.1", logPort: 1 },
              "worker-1": { type: "worker", ip: "127.0.0.1" },
            },
          },
        },
      });
    const manager = cleanup.add(await startClusterNode(config("manager"), { log: () => {} }), (c) =>
      c.close(),
    );
    const worker = cleanup.add(await startClusterNode(config("worker-1"), { log: () => {} }), (c) =>
      c.close(),
    );
    const log = recordEvents(manager);
    await waitForUp(log, ["worker-1"]);
    expect(worker.subscriptions).toContain(`test.nodeid.${worker.nodeId}.`);
    expect(manager.nodeidTopic(worker.nodeId)).toBe(`test.nodeid.${worker.nodeId}.`);
    expect(manager.member("worker-1")).toMatchObject({ up: true, id: worker.nodeId });

    await expect(joinCluster({ layout: manager.layout, name: "worker-9" })).rejects.toThrow(
      "'worker-9' is not a valid node in the Cluster::nodes configuration",
    );
    await expect(joinCluster({ layout: manager.layout, name: "constructor" })).rejects.toMatchObject({
      code: "CONFIG",
    });
  });

  it("five nodes (manager, logger, proxy, worker-1, worker-2): every node gets node_up for the 4 others, once each", async () => {
    const broker = cleanup.add(await startTestBroker(), (b) => b.close());
    const names = Object.keys(FIVE.nodes);
    const clusters: Cluster[] = [];
    for (const name of names) clusters.push(await join(broker, FIVE, name));
    const logs = clusters.map((cluster) => recordEvents(cluster));
    await Promise.all(
      clusters.map((cluster, i) =>
        waitForUp(
          logs[i] as ReturnType<typeof recordEvents>,
          names.filter((name) => name !== cluster.name),
        ),
      ),
    );
    // Every peer's handshake is complete on every node: nothing is left to expire.
    for (const cluster of clusters)
      expect(cluster.pendingHandshakes()).toEqual({ subscriptions: [], hellos: [] });
    // A marker round-trip on every node, so that a late duplicate would have come by now.
    await Promise.all(clusters.map((cluster) => cluster.ready()));

    let total = 0;
    for (const [i, cluster] of clusters.entries()) {
      const log = logs[i] as ReturnType<typeof recordEvents>;
      const ups = log.ofType("node_up");
      total += ups.length;
      const expected = clusters
        .filter((other) => other !== cluster)
        .map((other) => `${other.name} ${other.nodeId}`);
      expect(ups.map((up) => `${up.name} ${up.id}`).sort(), `node_ups at ${cluster.name}`).toEqual(
        expected.sort(),
      );
      expect(log.problems(), `warnings at ${cluster.name}`).toEqual([]);
      expect(cluster.members().every((member) => member.up)).toBe(true);
    }
    expect(total).toBe(20);
    // The logger pool holds the logger only (a logger exists, so the manager is not the logger).
    const logger = clusters[names.indexOf("logger")] as Cluster;
    expect(logger.subscriptions[0]).toBe("zeek.cluster.pool.logger");
    expect(clusters[names.indexOf("manager")]?.subscriptions[0]).toBe("zeek.cluster.manager");
  });

  it("node-topic-prefix: worker-1, -2, -10 and -20 each get only the pings to their own node topic", async () => {
    const broker = cleanup.add(await startTestBroker(), (b) => b.close());
    const workers = ["worker-1", "worker-2", "worker-10", "worker-20"];
    const layout = layoutOf({
      manager: "manager",
      ...Object.fromEntries(workers.map((w) => [w, "worker"] as const)),
    });
    const manager = await join(broker, layout, "manager");
    const managerLog = recordEvents(manager);
    const received = new Map<string, string[]>();
    for (const name of workers) {
      const worker = await join(broker, layout, name);
      const inbox: string[] = [];
      received.set(name, inbox);
      worker.node.on(ping, ([to]) => inbox.push(String(to.value)));
    }
    await waitForUp(managerLog, workers);
    await until(
      () => workers.every((name) => manager.node.remoteSubscriptions().has(nodeTopic(name))),
      "every node topic at the manager",
    );
    expect(manager.nodeTopic("worker-1")).toBe("zeek.cluster.node.worker-1.");
    for (const name of workers) manager.node.publish(manager.nodeTopic(name), ping.make(Value.string(name)));
    // After the pings, one event to all workers: when it has arrived everywhere, so has every ping.
    manager.node.publish("zeek.cluster.worker", ping.make(Value.string("all")));
    await until(
      () => workers.every((name) => received.get(name)?.includes("all")),
      "the broadcast at every worker",
    );
    for (const name of workers) expect(received.get(name), name).toEqual([name, "all"]);
  });

  it("a restart with a new id: 'never said goodbye' (Zeek's text), node_down for the old id, node_up for the new", async () => {
    const broker = cleanup.add(await startTestBroker(), (b) => b.close());
    const layout = layoutOf({ manager: "manager", "worker-1": "worker", "worker-2": "worker" });
    const manager = await join(broker, layout, "manager");
    const worker2 = await join(broker, layout, "worker-2");
    const managerLog = recordEvents(manager);
    const worker2Log = recordEvents(worker2);
    // The old incarnation hangs: it neither exits nor unsubscribes.
    const old = await join(broker, layout, "worker-1");
    await waitForUp(managerLog, ["worker-1", "worker-2"]);
    await waitForUp(worker2Log, ["manager", "worker-1"]);
    const mark = { manager: managerLog.entries.length, worker2: worker2Log.entries.length };

    const renewed = await join(broker, layout, "worker-1");
    expect(renewed.nodeId).not.toBe(old.nodeId);
    const expected = [
      `warning: node 'worker-1' never said goodbye (old id:${old.nodeId} new id:${renewed.nodeId}`,
      `node_down worker-1 ${old.nodeId} (replaced)`,
      `node_up worker-1 ${renewed.nodeId}`,
    ];
    for (const [log, from] of [
      [managerLog, mark.manager],
      [worker2Log, mark.worker2],
    ] as const) {
      await log.waitFor(
        "node_up of the new worker-1",
        (e) => e.type === "node_up" && e.id === renewed.nodeId,
        { from },
      );
      expect(log.texts(from)).toEqual(expected);
    }
    expect(manager.member("worker-1")).toMatchObject({ up: true, id: renewed.nodeId });
  });

  it("a Cluster::hello from a name not in the layout is Zeek's error, and no node_up", async () => {
    const broker = cleanup.add(await startTestBroker(), (b) => b.close());
    const layout = layoutOf({ manager: "manager", "worker-1": "worker" });
    const manager = await join(broker, layout, "manager");
    const log = recordEvents(manager);
    const intruder = cleanup.add(await rawNode(broker, "intruder"), (node) => node.close());
    // It plays its part of the handshake: subscribes to its node-id topic and says both hellos.
    await intruder.subscribe(nodeidTopic(intruder.nodeId));
    await until(
      () => intruder.remoteSubscriptions().has(nodeidTopic(manager.nodeId)),
      "the manager's node-id topic at the intruder",
    );
    const hellos = intruder.events(clusterHello);
    const args = [Value.string("intruder"), Value.string(intruder.nodeId)] as const;
    intruder.publish(nodeidTopic(manager.nodeId), zeromqHello.make(...args));
    // The manager answers with its Cluster::hello (the name is not checked until Cluster::hello), …
    const { value: answer } = await within(5000, "the manager's Cluster::hello", hellos.next());
    expect(answer?.args[0].value).toBe("manager");
    // … and the intruder's own Cluster::hello is refused.
    intruder.publish(nodeidTopic(manager.nodeId), clusterHello.make(...args));
    await log.waitFor("the error", (e) => e.type === "error");
    expect(log.texts()).toEqual(["error: Got Cluster::hello msg from unexpected node: intruder"]);
    expect(manager.members().map((member) => `${member.name} ${member.up}`)).toEqual([
      "manager true",
      "worker-1 false",
    ]);
    expect(manager.nodeidToNode(intruder.nodeId)).toBeUndefined();
  });

  it("half a handshake expires after helloExpiration (200 ms) with Zeek's warnings", async () => {
    const broker = cleanup.add(await startTestBroker(), (b) => b.close());
    const layout = layoutOf({ manager: "manager", "worker-1": "worker" });
    const manager = await join(broker, layout, "manager", { helloExpiration: 200 });
    const log = recordEvents(manager);
    const peer = cleanup.add(await rawNode(broker, "raw"), (node) => node.close());
    // A subscription to a node-id topic, and never a hello.
    const silentId = "zeromq_raw_host_1_Nsilent";
    const subscribedAt = performance.now();
    await peer.subscribe(nodeidTopic(silentId));
    // A hello from an id whose topic is never subscribed.
    const loneId = "zeromq_raw_host_1_Nlone";
    await until(
      () => peer.remoteSubscriptions().has(nodeidTopic(manager.nodeId)),
      "the manager's topic at the peer",
    );
    peer.publish(
      nodeidTopic(manager.nodeId),
      zeromqHello.make(Value.string("worker-1"), Value.string(loneId)),
    );
    await until(() => manager.pendingHandshakes().hellos.includes(loneId), "the lone hello at the manager");

    const expired = await log.waitFor(
      "Expired subscription",
      (e) => e.type === "warning" && e.message.startsWith("Expired subscription"),
    );
    await log.waitFor("Expired hello", (e) => e.type === "warning" && e.message.startsWith("Expired hello"));
    expect(log.texts().sort()).toEqual([
      `warning: Expired hello from nodeid ${loneId}`,
      `warning: Expired subscription from nodeid ${silentId}`,
    ]);
    const after = (log.entries[expired]?.at ?? 0) - subscribedAt;
    // Not before the expiration (the waits above bound how late it may be).
    expect(after).toBeGreaterThanOrEqual(190);
    expect(manager.pendingHandshakes()).toEqual({ subscriptions: [], hellos: [] });
  });

  it("client mode: no hellos, no half handshakes, no warnings on the nodes; its first publish after joining arrives", async () => {
    const broker = cleanup.add(await startTestBroker(), (b) => b.close());
    const layout = layoutOf({ manager: "manager", "worker-1": "worker" });
    const manager = await join(broker, layout, "manager", { helloExpiration: 200 });
    const worker = await join(broker, layout, "worker-1", { helloExpiration: 200 });
    const logs = [recordEvents(manager), recordEvents(worker)];
    await waitForUp(logs[0] as ReturnType<typeof recordEvents>, ["worker-1"]);
    await waitForUp(logs[1] as ReturnType<typeof recordEvents>, ["manager"]);
    const inbox: string[] = [];
    worker.node.on(ping, ([text]) => inbox.push(String(text.value)));
    await worker.node.subscribe("zmqc.test.inbox");

    const client = cleanup.add(
      await joinAsClient({
        connectXpubEndpoint: broker.xsubEndpoint,
        connectXsubEndpoint: broker.xpubEndpoint,
        lingerMs: 0,
        log: () => {},
        topics: ["zmqc.test.client."],
      }),
      (c) => c.close(),
    );
    const clientEvents: string[] = [];
    client.node.on("Cluster::Backend::ZeroMQ::hello", () => clientEvents.push("ZeroMQ::hello"));
    client.node.on("Cluster::hello", () => clientEvents.push("Cluster::hello"));
    // The oneshot case: published at once after joining, it must not be filtered out by the client's XPUB.
    expect(client.node.publish("zmqc.test.inbox", ping.make(Value.string("from the client")))).toBe(true);
    await until(() => inbox.length === 1, "the client's event at the worker");
    expect(inbox).toEqual(["from the client"]);
    expect(client.nodeId).toMatch(/^zeromq__[^_]+_\d+_N/);
    expect(client.subscriptions).toEqual(["zmqc.test.client."]);

    // The nodes saw the client's topics, but nothing of discovery: no hello went out, none is pending.
    await until(
      () => manager.node.remoteSubscriptions().has("zmqc.test.client."),
      "the client's topic at the manager",
    );
    for (const cluster of [manager, worker]) {
      expect(cluster.pendingHandshakes(), cluster.name).toEqual({ subscriptions: [], hellos: [] });
    }
    await client.close();
    await worker.ready();
    await manager.ready();
    for (const log of logs) expect(log.problems()).toEqual([]);
    expect(logs.map((log) => log.ofType("node_up").length)).toEqual([1, 1]);
    expect(clientEvents).toEqual([]);
    expect(client.node.stats().unhandledEvents).toBe(0);

    await expect(
      joinAsClient({ connectXpubEndpoint: broker.xsubEndpoint, topics: [nodeidTopic("zeromq_x_h_1_N1")] }),
    ).rejects.toMatchObject({ code: "CONFIG" });
  });

  it("cluster_started: the manager announces it once, when every node has reported, and not again when a node restarts", async () => {
    const broker = cleanup.add(await startTestBroker(), (b) => b.close());
    const layout = layoutOf({ manager: "manager", "worker-1": "worker", "worker-2": "worker" });
    const options = { clusterStarted: true } as const;
    const manager = await join(broker, layout, "manager", options);
    const managerLog = recordEvents(manager);
    expect(manager.subscriptions[0]).toBe("zeek/cluster/experimental/started");
    const worker1 = await join(broker, layout, "worker-1", options);
    const worker1Log = recordEvents(worker1);
    const worker2 = await join(broker, layout, "worker-2", options);

    expect(await within(5000, "cluster_started at the manager", manager.clusterStarted)).toBe(true);
    expect(await within(5000, "cluster_started at worker-1", worker1.clusterStarted)).toBe(true);
    expect(await within(5000, "cluster_started at worker-2", worker2.clusterStarted)).toBe(true);
    const reports = managerLog
      .ofType("node_fully_connected")
      .map((e) => `${e.name}${e.local ? " local" : ""}`);
    expect(reports.sort()).toEqual(["manager local", "worker-1", "worker-2"]);
    const startedAt = managerLog.texts().indexOf("cluster_started");
    expect(managerLog.texts().slice(startedAt + 1)).toEqual([]);

    // worker-2 restarts: everyone reports again (worker-1 as resending), and the manager stays quiet.
    const mark = managerLog.entries.length;
    await worker2.close();
    // A real restart takes longer than the broker needs to pass on the old incarnation's unsubscription; one in
    // the same process could overtake it and go through "never said goodbye" instead.
    for (const log of [managerLog, worker1Log]) {
      await log.waitFor(
        "the old worker-2's node_down",
        (e) => e.type === "node_down" && e.id === worker2.nodeId,
      );
    }
    const renewed = await join(broker, layout, "worker-2", options);
    await managerLog.waitFor(
      "the new worker-2's report",
      (e) => e.type === "node_fully_connected" && e.name === "worker-2" && e.id === renewed.nodeId,
      { from: mark },
    );
    await managerLog.waitFor(
      "worker-1's report again",
      (e) => e.type === "node_fully_connected" && e.name === "worker-1" && e.resending,
      { from: mark },
    );
    await worker1Log.waitFor(
      "node_up of the new worker-2",
      (e) => e.type === "node_up" && e.id === renewed.nodeId,
    );
    expect(managerLog.ofType("cluster_started")).toHaveLength(1);
    expect(managerLog.problems()).toEqual([]);
  });
});
