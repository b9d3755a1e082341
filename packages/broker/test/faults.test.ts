// Faults with real processes: a node killed with SIGKILL (the broker must tell the others its prefixes are gone,
// which is how Zeek detects node_down), and a broker killed with SIGKILL and restarted on the same ports (nodes
// must reconnect and re-send their subscriptions by themselves, and see no 0x00 on the way: Zeek's semantics).
import { fileURLToPath } from "node:url";
import { spawnBroker, startTestBroker } from "@zmqc/broker/testing";
import { Cleanup, startChild } from "@zmqc/zeek-harness";
import { afterEach, describe, expect, it } from "vitest";
import { connectPeer, within } from "./peers.js";
import { recordMessages, recordNotifications } from "./support/recording.js";

const PEER_CHILD = fileURLToPath(new URL("./support/peer-child.mjs", import.meta.url));
const WAIT_MS = 5000;

describe("faults", () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it("a node killed with SIGKILL: the others' XPUBs get 0x00 for each prefix only it had, and only for those", async () => {
    const broker = cleanup.add(await startTestBroker(), (b) => b.close());
    const watcher = cleanup.add(connectPeer(broker), (peer) => peer.close());
    const log = recordNotifications(watcher.xpub);
    // A prefix the watcher shares with the node that dies: it must not be released.
    const shared = "zeek.cluster.worker";
    await watcher.subscribe(shared);
    const ownShared = await log.waitFor(`+${shared}`);

    const own = [
      "zeek.cluster.nodeid.zeromq_worker-9_host_4242_N1a2b3c.",
      "zeek.cluster.node.worker-9.",
      "zeek.cluster.pool.worker",
    ];
    const child = cleanup.add(
      startChild("peer child", process.execPath, [
        PEER_CHILD,
        broker.xsubEndpoint,
        broker.xpubEndpoint,
        ...own,
        shared,
      ]),
      (c) => c.dispose(),
    );
    await child.takeLine("ready", (line) => line === "ready", 10_000);
    for (const prefix of own) await log.waitFor(`+${prefix}`);
    // The child's subscription of the shared prefix comes through too (VERBOSER), after the watcher's own.
    await log.waitFor(`+${shared}`, { from: ownShared + 1 });

    const mark = log.entries.length;
    child.kill("SIGKILL");
    expect((await child.waitForExit(WAIT_MS)).signal).toBe("SIGKILL");
    // Detection is the TCP close (no heartbeats are set), so the bounded waits are ample; how fast it is belongs
    // in a benchmark, not here.
    await Promise.all(own.map((prefix) => log.waitFor(`-${prefix}`, { from: mark })));
    // Nothing about the shared prefix came before this marker, the watcher's own subscription echoed back.
    await watcher.subscribe("/marker");
    await log.waitFor("+/marker", { from: mark });
    expect(log.values(mark).sort()).toEqual([...own.map((prefix) => `-${prefix}`), "+/marker"].sort());
  });

  it("a broker killed with SIGKILL and restarted on the same ports: nodes reconnect, re-send their subscriptions (no 0x00 meanwhile) and events flow again", async () => {
    const first = cleanup.add(await spawnBroker(), (b) => b.close());
    const publisher = cleanup.add(connectPeer(first), (peer) => peer.close());
    const subscriber = cleanup.add(connectPeer(first), (peer) => peer.close());
    const notifications = recordNotifications(publisher.xpub);
    // The subscriber always has a receive pending, as a node's I/O loop has: libzmq re-sends an XSUB's
    // subscriptions after a reconnect only when the socket is next used, and a socket nobody reads or writes is
    // never used (zeromq.js watches a socket only while something waits on it).
    const messages = recordMessages(subscriber.xsub);
    const topics = ["zeek.cluster.nodeid.zeromq_worker-1_host_4242_N1a2b3c.", "zeek.cluster.node.worker-1."];
    for (const topic of topics) await subscriber.subscribe(topic);
    for (const topic of topics) await notifications.waitFor(`+${topic}`);
    const event = (payload: string) => [topics[0] as string, "zeromq_manager", "broker-bin-v1", payload];
    await publisher.xpub.send(event("before"));
    await messages.waitFor(event("before"));

    const mark = notifications.entries.length;
    first.kill("SIGKILL");
    expect((await within(WAIT_MS, "the killed broker to exit", first.exited)).signal).toBe("SIGKILL");
    const second = cleanup.add(
      await spawnBroker({ listenXpubEndpoint: first.xpubEndpoint, listenXsubEndpoint: first.xsubEndpoint }),
      (b) => b.close(),
    );
    expect([second.xpubEndpoint, second.xsubEndpoint]).toEqual([first.xpubEndpoint, first.xsubEndpoint]);

    // The subscriber's XSUB re-sends its subscriptions to the new broker, which passes them to the publisher
    // (libzmq's reconnect interval, 100 ms, is what it takes; the waits below are bounded).
    for (const topic of topics) await notifications.waitFor(`+${topic}`, { from: mark });
    await publisher.xpub.send(event("after"));
    await messages.waitFor(event("after"));
    // Only the two events; nothing sent before the restart came twice.
    expect(messages.values()).toEqual([event("before"), event("after")]);
    // A broker that goes away is not a node that goes away: nobody is told the prefixes are gone.
    expect(notifications.values(mark).filter((text) => !text.startsWith("+"))).toEqual([]);
  });
});
