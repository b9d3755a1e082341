// The socket options Zeek's proxy thread takes from its script options and the broker honours in both modes:
// `ipv6` (Zeek's ipv6-logging / ipv6-error tests) and `proxyIoThreads` (the I/O threads of the broker's context).
import { readdirSync, readFileSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import { BindError, type BrokerMode } from "@zmqc/broker";
import { startTestBroker } from "@zmqc/broker/testing";
import { encodeSubscription } from "@zmqc/wire-format";
import { describe, expect, it } from "vitest";
import { XPublisher, XSubscriber } from "zeromq";
import { within } from "./peers.js";

/** The thread ids of this process's libzmq I/O threads ("ZMQbg/IO/<n>") now (Linux). */
function zmqIoThreads(): Set<string> {
  return new Set(
    readdirSync("/proc/self/task").filter((task) => {
      try {
        return readFileSync(`/proc/self/task/${task}/comm`, "utf8").startsWith("ZMQbg/IO/");
      } catch {
        return false; // The thread ended meanwhile.
      }
    }),
  );
}

const linux = process.platform === "linux";

describe.each(["native", "managed"] as const)("%s broker options", (mode: BrokerMode) => {
  it.runIf(linux)("proxyIoThreads: the broker's context runs that many I/O threads", async () => {
    for (const proxyIoThreads of [1, 3]) {
      const before = zmqIoThreads();
      const broker = await startTestBroker({ mode, proxyIoThreads });
      try {
        // Counted as new thread ids (an earlier broker's context may end its threads meanwhile), once they have
        // named themselves: a new libzmq thread sets its name from inside, a moment after it starts.
        const started = () => [...zmqIoThreads()].filter((thread) => !before.has(thread));
        await within(
          5000,
          `${proxyIoThreads} new I/O threads`,
          (async () => {
            while (started().length < proxyIoThreads) await delay(5);
          })(),
        );
        expect(started()).toHaveLength(proxyIoThreads);
      } finally {
        await broker.close();
      }
    }
  });

  it("ipv6: true binds [::1] and forwards between IPv6 peers", async () => {
    await using broker = await startTestBroker({
      mode,
      ipv6: true,
      listenXpubEndpoint: "tcp://[::1]:*",
      listenXsubEndpoint: "tcp://[::1]:*",
    });
    expect(broker.xpubEndpoint).toMatch(/^tcp:\/\/\[::1\]:\d+$/);
    expect(broker.xsubEndpoint).toMatch(/^tcp:\/\/\[::1\]:\d+$/);
    const xpub = new XPublisher({ linger: 0, ipv6: true });
    const xsub = new XSubscriber({ linger: 0, ipv6: true });
    try {
      xpub.connect(broker.xsubEndpoint);
      xsub.connect(broker.xpubEndpoint);
      await xsub.send(encodeSubscription("v6.", true));
      const [subscription] = await within(5000, "the subscription over IPv6", xpub.receive());
      expect(subscription?.toString()).toBe("\x01v6.");
      await xpub.send(["v6.topic", "payload"]);
      const frames = await within(5000, "the message over IPv6", xsub.receive());
      expect(frames.map((frame) => frame.toString())).toEqual(["v6.topic", "payload"]);
    } finally {
      xpub.close();
      xsub.close();
    }
  });

  it("ipv6: false on [::1] is Zeek's ipv6-error: a BindError for the XPUB (bound first)", async () => {
    const error = await startTestBroker({
      mode,
      ipv6: false,
      listenXpubEndpoint: "tcp://[::1]:*",
      listenXsubEndpoint: "tcp://[::1]:*",
    }).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(BindError);
    expect((error as BindError).message).toMatch(/^Failed to bind xpub socket tcp:\/\/\[::1\]:\*/);
  });
});
