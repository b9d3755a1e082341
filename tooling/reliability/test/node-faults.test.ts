// Nodes in their own processes (discovery through joinCluster, liveness check on), with faults: one killed with
// SIGKILL and restarted, one frozen with SIGSTOP (its TCP connections stay open: only the heartbeats tell) and thawed
// with SIGCONT. Every peer must see node_down, then node_up for the node that came back; nobody else dies.
import { startTestBroker } from "@zmqc/broker/testing";
import { Cleanup } from "@zmqc/zeek-harness";
import { afterEach, describe, expect, it } from "vitest";
import { type JsonChild, startJsonChild } from "../src/children.js";
import { writeLedger } from "../src/ledger.js";

const NODES = { manager: "manager", "proxy-1": "proxy", "worker-1": "worker", "worker-2": "worker" } as const;
type Name = keyof typeof NODES;
const NAMES = Object.keys(NODES) as Name[];
const LIVENESS = { timeoutMs: 500, intervalMs: 100 };
/** How long a discovery event may take: the liveness timeout plus generous room for a loaded 2-core box. */
const EVENT_MS = 8000;

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

interface Member {
  readonly node: JsonChild;
  readonly id: string;
  readonly joinedAt: number;
}

/** Starts nodes of NODES (liveness on) on `broker` in child processes; every one cleaned up (SIGCONT, SIGKILL). */
function clusterOn(broker: { xpubEndpoint: string; xsubEndpoint: string }, names: readonly Name[]) {
  const nodes = Object.fromEntries(names.map((name) => [name, NODES[name]]));
  const members = new Map<Name, Member>();
  const start = async (name: Name): Promise<Member> => {
    const node = cleanup.add(
      startJsonChild(`zmqc ${name}`, "cluster-node", { broker, nodes, name, liveness: LIVENESS }),
      async (n) => {
        n.child.kill("SIGCONT");
        await n.child.dispose();
      },
    );
    const joined = await node.waitFor({ event: "joined" }, 20_000);
    const member = { node, id: String(joined.id), joinedAt: performance.now() };
    members.set(name, member);
    return member;
  };
  const member = (name: Name) => members.get(name) as Member;
  const peersOf = (name: Name) => names.filter((other) => other !== name);
  /** Waits until every peer of `name` has printed `event` for its incarnation `id`; the number of peers. */
  const seenByPeers = async (event: "node_up" | "node_down", name: Name, id: string, ms = EVENT_MS) => {
    await Promise.all(peersOf(name).map((peer) => member(peer).node.waitFor({ event, name, id }, ms)));
    return peersOf(name).length;
  };
  /** Starts every node and waits for the full mesh (every node up on every other). */
  const startAll = async () => {
    await Promise.all(names.map(start));
    for (const name of names) await seenByPeers("node_up", name, member(name).id);
  };
  /** Waits until the broker surely watches `name`'s heartbeats, then freezes it with SIGSTOP. */
  const freeze = async (name: Name) => {
    // The broker arms the TTL at the first PING, one interval after the connection is made: the only wait on
    // time here, bounded (three intervals after the node joined).
    const left = member(name).joinedAt + 3 * LIVENESS.intervalMs - performance.now();
    if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
    member(name).node.child.kill("SIGSTOP");
  };
  const notRunning = () => names.filter((name) => !member(name).node.child.running());
  return { start, member, peersOf, seenByPeers, startAll, freeze, notRunning };
}

describe("node faults", () => {
  it("kill -9 and SIGSTOP: a killed node is down on every peer and up again when restarted; a frozen one (liveness on) is down on every peer", async () => {
    const broker = cleanup.add(await startTestBroker(), (b) => b.close());
    const cluster = clusterOn(broker, NAMES);
    await cluster.startAll();
    const { member, peersOf, seenByPeers } = cluster;

    // Kill worker-2: every peer sees node_down (the broker's unsubscription of its node-id topic, at once).
    const killed = member("worker-2");
    killed.node.child.kill("SIGKILL");
    expect((await killed.node.child.waitForExit(5000)).signal).toBe("SIGKILL");
    const killDowns = await seenByPeers("node_down", "worker-2", killed.id);
    const restarted = await cluster.start("worker-2");
    expect(restarted.id).not.toBe(killed.id);
    const restartUps = await seenByPeers("node_up", "worker-2", restarted.id);
    // And the new incarnation sees every other node up.
    for (const peer of peersOf("worker-2"))
      await restarted.node.waitFor({ event: "node_up", name: peer, id: member(peer).id }, EVENT_MS);
    const killLedger = writeLedger({
      scenario: "node-kill",
      title: "A node killed with SIGKILL, then restarted",
      proves:
        "A node killed with kill -9 is reported down on every peer (the broker unsubscribes its node-id topic when its TCP connection drops), and its restarted incarnation, with a new id, is up on every peer and sees every peer up; no other node is affected.",
      unit: "discovery notifications",
      sent: 2 * peersOf("worker-2").length,
      received: killDowns + restartUps,
      dropped: {},
      figures: { nodes: NAMES.length, nodeDownSeen: killDowns, nodeUpAfterRestart: restartUps },
      unexpectedExits: cluster.notRunning(),
    });
    expect(killLedger.balanced).toBe(true);
    expect(killLedger.unexpectedExits).toEqual([]);

    // Freeze worker-1: its TCP connections stay open; only its missing heartbeats tell.
    const frozen = member("worker-1");
    await cluster.freeze("worker-1");
    const freezeDowns = await seenByPeers("node_down", "worker-1", frozen.id);
    frozen.node.child.kill("SIGCONT");
    // Thawed, it should be up again on every peer: that is the it.fails below; here it is only recorded.
    let thawUps = 0;
    await Promise.all(
      peersOf("worker-1").map((peer) =>
        member(peer)
          .node.waitFor({ event: "node_up", name: "worker-1", id: frozen.id }, 3000)
          .then(
            () => thawUps++,
            () => {},
          ),
      ),
    );
    const freezeLedger = writeLedger({
      scenario: "node-freeze",
      title: "A node frozen with SIGSTOP (liveness on), then thawed with SIGCONT",
      proves:
        "With the liveness check (ZMTP heartbeats, 500 ms TTL), a node that stops answering while its TCP connections stay open is reported down on every peer; no other node is affected. Not yet: up again after SIGCONT (see the failing test and RELIABILITY.md).",
      unit: "node_down notifications",
      sent: peersOf("worker-1").length,
      received: freezeDowns,
      dropped: {},
      findings: [
        'pubsub: a node thawed after SIGCONT is never up again on its peers. It reconnects and its peers, which saw it go down, send it a new ZeroMQ::hello; it never saw them go down (no 0x00 reaches it; their subscriptions come again and look like duplicates), so it answers "sends ZeroMQ::hello twice" and never sends Cluster::hello. The peers keep it down while it keeps them up (expected failure in node-faults.test.ts).',
      ],
      figures: {
        nodes: NAMES.length,
        livenessTimeoutMs: LIVENESS.timeoutMs,
        nodeUpAfterThaw: thawUps,
        nodeUpAfterThawExpected: peersOf("worker-1").length,
      },
      unexpectedExits: cluster.notRunning(),
    });
    expect(freezeLedger.balanced).toBe(true);
    expect(freezeLedger.unexpectedExits).toEqual([]);
  });

  // A pubsub bug (packages/pubsub, not ours to change): after SIGCONT the thawed node reconnects and its peers,
  // which saw it go down, send it a new ZeroMQ::hello. But the thawed node never saw them go down (the broker sends
  // it no 0x00 for their topics; it gets their subscriptions again, which it takes for duplicates), so it answers
  // "node 'manager' sends ZeroMQ::hello twice" and never sends Cluster::hello: the peers keep it down for good
  // while it keeps them up. Zeek has the same handshake, but no liveness check that makes this happen. A fix would
  // have the node restart its handshakes when its sockets reconnect (the "connected" status after a disconnect).
  it.fails("SIGSTOP then SIGCONT with liveness on: the thawed node is up again on every peer", async () => {
    const broker = cleanup.add(await startTestBroker(), (b) => b.close());
    const cluster = clusterOn(broker, ["manager", "worker-1"]);
    await cluster.startAll();
    const frozen = cluster.member("worker-1");
    await cluster.freeze("worker-1");
    await cluster.seenByPeers("node_down", "worker-1", frozen.id);
    frozen.node.child.kill("SIGCONT");
    await cluster.seenByPeers("node_up", "worker-1", frozen.id, 3000);
  });
});
