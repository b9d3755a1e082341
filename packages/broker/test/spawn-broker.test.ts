// spawnBroker() from @zmqc/broker/testing: the real broker in a child process, for other packages' integration
// tests (the fault and Zeek tests here use it too).

import { spawnBroker } from "@zmqc/broker/testing";
import { ZmqcError } from "@zmqc/config";
import { Cleanup } from "@zmqc/zeek-harness";
import { afterEach, describe, expect, it } from "vitest";
import { connectPeer, within } from "./peers.js";
import { recordMessages, recordNotifications } from "./support/recording.js";

describe("spawnBroker", () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it.each(["native", "managed"] as const)(
    "runs a %s broker in another process: endpoints read back, events through it, close() stops it cleanly",
    async (mode) => {
      const broker = cleanup.add(await spawnBroker({ mode }), (b) => b.close());
      expect(broker.mode).toBe(mode);
      expect(broker.pid).not.toBe(process.pid);
      expect(broker.xpubEndpoint).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
      expect(broker.xsubEndpoint).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);

      const publisher = cleanup.add(connectPeer(broker), (peer) => peer.close());
      const subscriber = cleanup.add(connectPeer(broker), (peer) => peer.close());
      const notifications = recordNotifications(publisher.xpub);
      const messages = recordMessages(subscriber.xsub);
      await subscriber.subscribe("zeek.cluster.worker");
      await notifications.waitFor("+zeek.cluster.worker");
      const event = ["zeek.cluster.worker", "zeromq_manager", "broker-bin-v1", "payload"];
      await publisher.xpub.send(event);
      await messages.waitFor(event);

      expect(broker.running()).toBe(true);
      const exit = await within(5000, "the broker to stop", broker.close());
      expect(exit).toEqual({ code: 0, signal: null, stderr: "" });
      expect(broker.running()).toBe(false);
      // Idempotent, and the same exit as `exited`.
      expect(await broker.close()).toBe(exit);
      expect(await broker.exited).toBe(exit);
    },
  );

  it("await using stops the child", async () => {
    let exited: Promise<unknown> | undefined;
    {
      await using broker = await spawnBroker();
      exited = broker.exited;
    }
    expect(await within(5000, "the broker to have exited", exited)).toMatchObject({ code: 0, signal: null });
  });

  it("a port in use rejects with the child's BindError reason (code BIND) once the child has exited", async () => {
    const first = cleanup.add(await spawnBroker(), (b) => b.close());
    const error = await spawnBroker({ listenXpubEndpoint: first.xpubEndpoint }).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(ZmqcError.is(error, "BIND")).toBe(true);
    expect((error as Error).message).toContain(`Failed to bind xpub socket ${first.xpubEndpoint}`);
    expect(first.running()).toBe(true);
  });

  it("bad options reject with code CONFIG", async () => {
    const error = await spawnBroker({ proxyIoThreads: -1 }).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(ZmqcError.is(error, "CONFIG")).toBe(true);
  });

  it("kill(SIGKILL) is a crash: exited reports the signal and the ports are free for a restart", async () => {
    const first = await spawnBroker({ mode: "managed" });
    cleanup.add(first, (b) => b.close());
    first.kill("SIGKILL");
    expect(await within(5000, "the killed broker to exit", first.exited)).toMatchObject({
      code: null,
      signal: "SIGKILL",
    });
    const second = cleanup.add(
      await spawnBroker({ listenXpubEndpoint: first.xpubEndpoint, listenXsubEndpoint: first.xsubEndpoint }),
      (b) => b.close(),
    );
    expect([second.xpubEndpoint, second.xsubEndpoint]).toEqual([first.xpubEndpoint, first.xsubEndpoint]);
  });
});
