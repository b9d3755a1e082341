import type { NodeType } from "@zmqc/config";
import type { ZeekEvent } from "@zmqc/wire-format";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Handshake } from "./handshake.js";
import { StartedTracker } from "./started.js";
import type { ClusterEvent } from "./types.js";

const NODES: Record<string, { type: NodeType }> = {
  manager: { type: "manager" },
  "worker-1": { type: "worker" },
  "worker-2": { type: "worker" },
};
const SELF = "zeromq_manager_host_1_Nself";
const W1 = "zeromq_worker-1_host_2_Nw1";
const W1_NEW = "zeromq_worker-1_host_3_Nw1new";
const topicOf = (id: string) => `zeek.cluster.nodeid.${id}.`;

/** What a handshake published, as `topic event(arg, …)`. */
function describeEvent(topic: string, event: ZeekEvent): string {
  const args = event.args.map((arg) => ("value" in arg ? String(arg.value) : arg.type)).join(", ");
  return `${topic} ${event.name}(${args})`;
}

function setup(options: { helloExpirationMs?: number; nodeidTopicPrefix?: string } = {}) {
  const published: string[] = [];
  const events: ClusterEvent[] = [];
  const handshake = new Handshake({
    name: "manager",
    nodeId: SELF,
    nodes: NODES,
    nodeidTopicPrefix: options.nodeidTopicPrefix ?? "zeek.cluster.nodeid",
    helloExpirationMs: options.helloExpirationMs ?? 10_000,
    publish: (topic, event) => published.push(describeEvent(topic, event)),
    emit: (event) => events.push(event),
  });
  const summary = () =>
    events.map((event) =>
      event.type === "warning" || event.type === "error"
        ? `${event.type}: ${event.message}`
        : event.type === "node_up" || event.type === "node_down"
          ? `${event.type} ${event.name} ${event.id}`
          : event.type,
    );
  return { handshake, published, events, summary };
}

const zmqHelloTo = (id: string) => `${topicOf(id)} Cluster::Backend::ZeroMQ::hello(manager, ${SELF})`;
const clusterHelloTo = (id: string) => `${topicOf(id)} Cluster::hello(manager, ${SELF})`;

describe("the hello handshake (Zeek 8.2.2 main.zeek)", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("subscription first: ZeroMQ::hello at once, Cluster::hello when the peer's ZeroMQ::hello comes", () => {
    const { handshake, published, summary } = setup();
    handshake.onSubscription(topicOf(W1));
    expect(published).toEqual([zmqHelloTo(W1)]);
    expect(handshake.pending()).toEqual({ subscriptions: [W1], hellos: [] });
    handshake.onZeromqHello("worker-1", W1);
    expect(published).toEqual([zmqHelloTo(W1), clusterHelloTo(W1)]);
    expect(handshake.pending()).toEqual({ subscriptions: [], hellos: [] });
    expect(summary()).toEqual([]);
    handshake.onClusterHello("worker-1", W1);
    expect(summary()).toEqual([`node_up worker-1 ${W1}`]);
  });

  it("ZeroMQ::hello first: both hellos go out when the subscription is seen", () => {
    const { handshake, published } = setup();
    handshake.onZeromqHello("worker-1", W1);
    expect(published).toEqual([]);
    expect(handshake.pending()).toEqual({ subscriptions: [], hellos: [W1] });
    handshake.onSubscription(topicOf(W1));
    expect(published).toEqual([zmqHelloTo(W1), clusterHelloTo(W1)]);
    expect(handshake.pending()).toEqual({ subscriptions: [], hellos: [] });
  });

  it("ignores its own node-id topic and topics outside the node-id prefix", () => {
    const { handshake, published, summary } = setup();
    handshake.onSubscription(topicOf(SELF));
    handshake.onSubscription("zeek.cluster.node.worker-1.");
    handshake.onSubscription("zeek.cluster.nodeidx");
    handshake.onUnsubscription("zeek.cluster.worker");
    expect(published).toEqual([]);
    expect(summary()).toEqual([]);
  });

  it("takes the id as Zeek does (prefix and last character cut), with a configured prefix", () => {
    const { handshake, published } = setup({ nodeidTopicPrefix: "my.ids" });
    handshake.onSubscription(`my.ids.${W1}.`);
    handshake.onSubscription("zeek.cluster.nodeid.other.");
    expect(published).toEqual([`my.ids.${W1}. Cluster::Backend::ZeroMQ::hello(manager, ${SELF})`]);
  });

  it("raises node_up once per incarnation; a second Cluster::hello with the same id is quiet", () => {
    const { handshake, summary } = setup();
    handshake.onClusterHello("worker-1", W1);
    handshake.onClusterHello("worker-1", W1);
    expect(summary()).toEqual([`node_up worker-1 ${W1}`]);
    expect(handshake.peer("worker-1")?.id).toBe(W1);
    expect(handshake.nameOf(W1)).toBe("worker-1");
  });

  it("warns about a ZeroMQ::hello twice (Zeek's text), and answers it as a new peer's (Zeek does not: a peer that lost us would never see us up again)", () => {
    const { handshake, published, summary } = setup();
    handshake.onClusterHello("worker-1", W1);
    handshake.onSubscription(topicOf(W1));
    published.length = 0;
    handshake.onZeromqHello("worker-1", W1);
    expect(summary()).toEqual([
      `node_up worker-1 ${W1}`,
      `warning: node 'worker-1' sends ZeroMQ::hello twice (id:${W1})`,
    ]);
    expect(published).toEqual([zmqHelloTo(W1), clusterHelloTo(W1)]);
  });

  it("a new id for a known name: 'never said goodbye' (sic, no closing parenthesis), node_down(old), then node_up(new)", () => {
    const { handshake, events, summary } = setup();
    handshake.onClusterHello("worker-1", W1);
    handshake.onSubscription(topicOf(W1_NEW));
    handshake.onZeromqHello("worker-1", W1_NEW);
    handshake.onClusterHello("worker-1", W1_NEW);
    expect(summary()).toEqual([
      `node_up worker-1 ${W1}`,
      `warning: node 'worker-1' never said goodbye (old id:${W1} new id:${W1_NEW}`,
      `node_down worker-1 ${W1}`,
      `node_up worker-1 ${W1_NEW}`,
    ]);
    expect(events[2]).toMatchObject({ type: "node_down", reason: "replaced" });
    // The old incarnation's unsubscription comes later: Zeek no longer knows that id.
    handshake.onUnsubscription(topicOf(W1));
    expect(summary().at(-1)).toBe(`warning: unsubscription of unknown node with id '${W1}'`);
    expect(handshake.peer("worker-1")?.id).toBe(W1_NEW);
  });

  it("a Cluster::hello from a name not in the layout is an error and raises no node_up", () => {
    const { handshake, summary } = setup();
    handshake.onClusterHello("intruder", "zeromq_intruder_h_1_N1");
    expect(summary()).toEqual(["error: Got Cluster::hello msg from unexpected node: intruder"]);
    expect(handshake.peer("intruder")).toBeUndefined();
  });

  it("a Cluster::hello with another id while the node is up is Zeek's 'duplicate node' error", () => {
    const { handshake, summary } = setup();
    handshake.onClusterHello("worker-1", W1);
    handshake.onClusterHello("worker-1", W1_NEW);
    expect(summary()).toEqual([
      `node_up worker-1 ${W1}`,
      "error: Got Cluster::hello msg from duplicate node:worker-1",
    ]);
  });

  it("node_down on the unsubscription of a peer's node-id topic; an unknown id is a warning", () => {
    const { handshake, events, summary } = setup();
    handshake.onClusterHello("worker-1", W1);
    handshake.onUnsubscription(topicOf(W1));
    handshake.onUnsubscription(topicOf("zeromq_gone_h_1_N1"));
    expect(summary()).toEqual([
      `node_up worker-1 ${W1}`,
      `node_down worker-1 ${W1}`,
      "warning: unsubscription of unknown node with id 'zeromq_gone_h_1_N1'",
    ]);
    expect(events[1]).toMatchObject({ reason: "unsubscribed" });
    expect(handshake.peer("worker-1")).toBeUndefined();
    expect(handshake.downSince("worker-1")).toBeInstanceOf(Date);
  });

  it("half a handshake expires exactly helloExpiration after it was made, with Zeek's warnings", () => {
    const { handshake, summary } = setup({ helloExpirationMs: 200 });
    handshake.onSubscription(topicOf("zeromq_a_h_1_Na"));
    vi.advanceTimersByTime(100);
    handshake.onZeromqHello("a", "zeromq_a_h_1_Nb");
    // A second subscription event for the same id keeps the first expiry (&create_expire).
    handshake.onSubscription(topicOf("zeromq_a_h_1_Na"));
    vi.advanceTimersByTime(99);
    expect(summary()).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(summary()).toEqual(["warning: Expired subscription from nodeid zeromq_a_h_1_Na"]);
    vi.advanceTimersByTime(100);
    expect(summary()).toEqual([
      "warning: Expired subscription from nodeid zeromq_a_h_1_Na",
      "warning: Expired hello from nodeid zeromq_a_h_1_Nb",
    ]);
    expect(handshake.pending()).toEqual({ subscriptions: [], hellos: [] });
  });

  it("a completed handshake leaves no timer behind, and close() stops everything", () => {
    const { handshake, summary } = setup({ helloExpirationMs: 200 });
    handshake.onSubscription(topicOf(W1));
    handshake.onZeromqHello("worker-1", W1);
    handshake.onZeromqHello("worker-2", "zeromq_worker-2_h_1_N2");
    handshake.close();
    vi.advanceTimersByTime(1000);
    handshake.onClusterHello("worker-1", W1);
    expect(summary()).toEqual([]);
  });
});

describe("cluster_started (Zeek 8.2.2 experimental.zeek, non-Broker)", () => {
  function tracker(name: string, isManager: boolean) {
    const published: string[] = [];
    const events: ClusterEvent[] = [];
    const started = new StartedTracker({
      name,
      nodeId: `id-${name}`,
      names: Object.keys(NODES),
      isManager,
      publish: (topic, event) => published.push(describeEvent(topic, event)),
      emit: (event) => events.push(event),
    });
    return { started, published, types: () => events.map((event) => event.type) };
  }

  it("a worker reports to the manager topic once it has seen every other node, and again on later node_ups", () => {
    const { started, published } = tracker("worker-1", false);
    started.onNodeUp("manager");
    expect(published).toEqual([]);
    started.onNodeUp("worker-2");
    expect(published).toEqual([
      "zeek.cluster.manager Cluster::Experimental::node_fully_connected(worker-1, id-worker-1, false)",
    ]);
    started.onClusterStarted();
    started.onNodeUp("worker-2");
    expect(published.at(-1)).toBe(
      "zeek.cluster.manager Cluster::Experimental::node_fully_connected(worker-1, id-worker-1, true)",
    );
  });

  it("the manager announces cluster_started once every node, itself included, has reported", () => {
    const { started, published, types } = tracker("manager", true);
    started.onFullyConnected("worker-1", "id-worker-1", false, false);
    started.onNodeUp("worker-1");
    started.onNodeUp("worker-2");
    expect(types()).toEqual(["node_fully_connected", "node_fully_connected"]);
    started.onFullyConnected("worker-2", "id-worker-2", false, false);
    expect(types()).toEqual([
      "node_fully_connected",
      "node_fully_connected",
      "node_fully_connected",
      "cluster_started",
    ]);
    expect(published).toEqual([
      "zeek.cluster.manager Cluster::Experimental::node_fully_connected(manager, id-manager, false)",
      "zeek/cluster/experimental/started Cluster::Experimental::cluster_started()",
    ]);
    started.onFullyConnected("worker-2", "id-worker-2", true, false);
    expect(types().filter((type) => type === "cluster_started")).toHaveLength(1);
    expect(started.isStarted).toBe(true);
  });

  it("a restarted manager adopts a resending node's view and does not announce again", () => {
    const { started, types } = tracker("manager", true);
    started.onFullyConnected("worker-1", "id-worker-1", true, false);
    started.onFullyConnected("worker-2", "id-worker-2", true, false);
    started.onNodeUp("worker-1");
    started.onNodeUp("worker-2");
    expect(types()).not.toContain("cluster_started");
    expect(started.isStarted).toBe(true);
  });
});
