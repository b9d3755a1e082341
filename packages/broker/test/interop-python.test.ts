// Interop with another ZeroMQ binding: pyzmq (Debian's python3-zmq, libzmq 4.3.4) on either side of the broker.
// (a) a pyzmq node talks to a zeromq.js node through our broker; (b) zeromq.js nodes talk through a third-party
// forwarder, pyzmq's zmq.proxy with XPUB_VERBOSER, the way Zeek's proxy thread is set up.
import { startTestBroker } from "@zmqc/broker/testing";
import { Cleanup } from "@zmqc/zeek-harness";
import { afterEach, describe, expect, it } from "vitest";
import { awaitNotification, connectPeer, within } from "./peers.js";
import { describeWithPyzmq, startPythonForwarder, startPythonPeer } from "./support/pyzmq.js";

const WAIT_MS = 5000;
// Every byte value, so a frame that is not UTF-8 text crosses unchanged.
const BINARY = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

describeWithPyzmq("interop with pyzmq", () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  describe("pyzmq nodes through zmqc's broker", () => {
    it("a pyzmq node and a zeromq.js node see each other's subscriptions and exchange 4-frame events both ways", async () => {
      const broker = cleanup.add(await startTestBroker(), (b) => b.close());
      const js = cleanup.add(connectPeer(broker), (peer) => peer.close());
      const py = cleanup.add(await startPythonPeer(broker), (peer) => peer.child.dispose());
      const pyTopic = "zeek.cluster.nodeid.zeromq_python_1.";
      const jsTopic = "zeek.cluster.node.js-1.";

      // The Python node's subscription reaches the zeromq.js node (and comes back to itself, as Zeek relies on).
      py.subscribe(pyTopic);
      await awaitNotification(js, `+${pyTopic}`);
      await py.awaitNotification(`+${pyTopic}`);
      await js.subscribe(jsTopic);
      await py.awaitNotification(`+${jsTopic}`);

      // zeromq.js → pyzmq.
      await js.xpub.send([pyTopic, "zeromq_js-1_host_1_N1", "broker-bin-v1", BINARY]);
      expect(await py.nextMessage()).toEqual([
        Buffer.from(pyTopic),
        Buffer.from("zeromq_js-1_host_1_N1"),
        Buffer.from("broker-bin-v1"),
        BINARY,
      ]);

      // pyzmq → zeromq.js.
      await py.publish([jsTopic, "zeromq_python_1", "broker-bin-v1", BINARY]);
      expect(await within(WAIT_MS, "the Python node's event", js.xsub.receive())).toEqual([
        Buffer.from(jsTopic),
        Buffer.from("zeromq_python_1"),
        Buffer.from("broker-bin-v1"),
        BINARY,
      ]);

      // Unsubscriptions, both ways.
      py.unsubscribe(pyTopic);
      await awaitNotification(js, `-${pyTopic}`);
      await js.unsubscribe(jsTopic);
      await py.awaitNotification(`-${jsTopic}`);

      // A Python node that dies takes its subscriptions with it: 0x00 reaches the others.
      py.subscribe("zeek.cluster.node.python-1.");
      await awaitNotification(js, "+zeek.cluster.node.python-1.");
      py.child.kill("SIGKILL");
      await py.child.exited;
      await awaitNotification(js, "-zeek.cluster.node.python-1.");
    });
  });

  describe("zmqc nodes through pyzmq's zmq.proxy (XPUB_VERBOSER)", () => {
    it("two zeromq.js nodes see each other's subscriptions and exchange 4-frame events both ways", async () => {
      const forwarder = cleanup.add(await startPythonForwarder(), (f) => f.child.dispose());
      expect(forwarder.xpubEndpoint).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
      const manager = cleanup.add(connectPeer(forwarder), (peer) => peer.close());
      const worker = cleanup.add(connectPeer(forwarder), (peer) => peer.close());

      await worker.subscribe("zeek.cluster.worker");
      await awaitNotification(manager, "+zeek.cluster.worker");
      await manager.subscribe("zeek.cluster.manager");
      await awaitNotification(worker, "+zeek.cluster.manager");

      await manager.xpub.send(["zeek.cluster.worker", "zeromq_manager", "broker-bin-v1", BINARY]);
      expect(await within(WAIT_MS, "the manager's event", worker.xsub.receive())).toEqual([
        Buffer.from("zeek.cluster.worker"),
        Buffer.from("zeromq_manager"),
        Buffer.from("broker-bin-v1"),
        BINARY,
      ]);
      await worker.xpub.send(["zeek.cluster.manager", "zeromq_worker-1", "broker-bin-v1", "reply"]);
      expect(await within(WAIT_MS, "the worker's event", manager.nextMessage())).toEqual([
        "zeek.cluster.manager",
        "zeromq_worker-1",
        "broker-bin-v1",
        "reply",
      ]);

      // A prefix two nodes share is released only when the last of them leaves (VERBOSER upstream, the
      // forwarder's XSUB counting).
      const second = cleanup.add(connectPeer(forwarder), (peer) => peer.close());
      await second.subscribe("zeek.cluster.worker");
      await awaitNotification(manager, "+zeek.cluster.worker");
      await worker.unsubscribe("zeek.cluster.worker");
      await worker.subscribe("/marker");
      expect(await within(WAIT_MS, "a notification", manager.nextNotification())).toBe("+/marker");
      await second.unsubscribe("zeek.cluster.worker");
      await awaitNotification(manager, "-zeek.cluster.worker");
      await manager.unsubscribe("zeek.cluster.manager");
      await awaitNotification(worker, "-zeek.cluster.manager");
    });
  });
});
