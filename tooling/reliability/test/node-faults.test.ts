// Nodes in their own processes (discovery through joinCluster, liveness check on), with faults: one killed with
// SIGKILL and restarted, one frozen with SIGSTOP (its TCP connections stay open: only the heartbeats tell) and thawed
// with SIGCONT. Every peer must see node_down, then node_up for the node that came back; nobody else dies.
import { startTestBroker } from "@zmqc/broker/testing";
import { Cleanup, reservePorts } from "@zmqc/zeek-harness";
import { afterEach, describe, expect, it } from "vitest";
import { type JsonChild, parseLine, startJsonChild } from "../src/children.js";
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
function clusterOn(
  broker: { xpubEndpoint: string; xsubEndpoint: string },
  names: readonly Name[],
  options: { embedBrokerIn?: Name } = {},
) {
  const nodes = Object.fromEntries(names.map((name) => [name, NODES[name]]));
  const members = new Map<Name, Member>();
  const start = async (name: Name): Promise<Member> => {
    const node = cleanup.add(
      startJsonChild(`zmqc ${name}`, "cluster-node", {
        broker,
        nodes,
        name,
        liveness: LIVENESS,
        embedBroker: options.embedBrokerIn === name,
      }),
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
    // The node that runs the broker first: the others connect to it.
    if (options.embedBrokerIn !== undefined) await start(options.embedBrokerIn);
    await Promise.all(names.filter((name) => name !== options.embedBrokerIn).map(start));
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
  /** Every discovery event `name`'s current incarnation printed so far. */
  const printed = (name: Name) =>
    member(name)
      .node.child.output()
      .stdout.split("\n")
      .map(parseLine)
      .filter((line) => line !== undefined);
  return { start, member, peersOf, seenByPeers, startAll, freeze, notRunning, printed };
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
    // Thawed, it is up again on every peer (asserted in the SIGCONT test below); here it is only recorded.
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
        "With the liveness check (ZMTP heartbeats, 500 ms TTL), a node that stops answering while its TCP connections stay open is reported down on every peer; no other node is affected; thawed with SIGCONT, it is up again on every peer (asserted in the SIGCONT test).",
      unit: "node_down notifications",
      sent: peersOf("worker-1").length,
      received: freezeDowns,
      dropped: {},
      findings: [
        "pubsub (fixed): a thawed node never saw its peers go down (no 0x00 reaches it), so their new ZeroMQ::hello looked like \"hello twice\" and, as in Zeek, went unanswered: its peers kept it down for good. It now answers a hello twice as a new peer's (still warning in Zeek's words).",
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

  it("the manager, which runs the broker, killed with SIGKILL and restarted with a new id on the same ports: every other node sees it replaced (never said goodbye) and up again", async () => {
    const [xpubPort, xsubPort] = await reservePorts(2);
    const broker = {
      xpubEndpoint: `tcp://127.0.0.1:${xpubPort}`,
      xsubEndpoint: `tcp://127.0.0.1:${xsubPort}`,
    };
    const cluster = clusterOn(broker, NAMES, { embedBrokerIn: "manager" });
    await cluster.startAll();
    const { member, peersOf } = cluster;
    const old = member("manager");
    old.node.child.kill("SIGKILL");
    expect((await old.node.child.waitForExit(5000)).signal).toBe("SIGKILL");
    // The broker died with it: no unsubscription reaches anyone, so nobody sees node_down yet.
    const restarted = await cluster.start("manager");
    expect(restarted.id).not.toBe(old.id);
    let replaced = 0;
    let upAgain = 0;
    for (const peer of peersOf("manager")) {
      const down = await member(peer).node.waitFor(
        { event: "node_down", name: "manager", id: old.id },
        EVENT_MS,
      );
      expect(down.reason).toBe("replaced");
      replaced++;
      await member(peer).node.waitFor({ event: "node_up", name: "manager", id: restarted.id }, EVENT_MS);
      upAgain++;
    }
    let managerSees = 0;
    for (const peer of peersOf("manager")) {
      await restarted.node.waitFor({ event: "node_up", name: peer, id: member(peer).id }, EVENT_MS);
      managerSees++;
    }
    // Nobody else went down, and each peer warned once that the manager never said goodbye.
    const otherDowns = peersOf("manager").flatMap((peer) =>
      cluster.printed(peer).filter((line) => line.event === "node_down" && line.name !== "manager"),
    );
    const goodbyes = peersOf("manager").filter((peer) =>
      cluster
        .printed(peer)
        .some((line) => line.event === "warning" && String(line.message).includes("never said goodbye")),
    );
    const ledger = writeLedger({
      scenario: "manager-restart",
      title:
        "The manager, running the broker, killed with SIGKILL and restarted with a new id on the same ports",
      proves:
        'As with Zeek\'s manager (which runs the proxy thread): the broker dies with it, so no unsubscription tells anyone; when it comes back with a new id, every other node goes through "never said goodbye" (node_down, reason replaced, for the old id), then node_up for the new one, and the new manager sees every other node up; no other node goes down or exits.',
      unit: "discovery notifications",
      sent: 3 * peersOf("manager").length,
      received: replaced + upAgain + managerSees,
      dropped: {},
      figures: {
        nodes: NAMES.length,
        replacedOnPeers: replaced,
        upAgainOnPeers: upAgain,
        peersUpOnNewManager: managerSees,
        neverSaidGoodbyeWarnings: goodbyes.length,
        otherNodeDowns: otherDowns.length,
      },
      unexpectedExits: cluster.notRunning(),
    });
    expect(ledger.balanced).toBe(true);
    expect(ledger.unexpectedExits).toEqual([]);
    expect(otherDowns).toEqual([]);
    expect(goodbyes).toEqual(peersOf("manager"));
  });

  // A pubsub bug (packages/pubsub, not ours to change): after SIGCONT the thawed node reconnects and its peers,
  // which saw it go down, send it a new ZeroMQ::hello. But the thawed node never saw them go down (the broker sends
  // it no 0x00 for their topics; it gets their subscriptions again, which it takes for duplicates), so it answers
  // "node 'manager' sends ZeroMQ::hello twice" and never sends Cluster::hello: the peers keep it down for good
  // while it keeps them up. Zeek has the same handshake, but no liveness check that makes this happen. A fix would
  // have the node restart its handshakes when its sockets reconnect (the "connected" status after a disconnect).
  it("SIGSTOP then SIGCONT with liveness on: the thawed node is up again on every peer", async () => {
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
