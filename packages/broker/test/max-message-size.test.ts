// The maxMessageSize guard (issue #12, hostile input): a peer that sends a frame over the limit is cut off by libzmq
// before the frame is buffered, the broker stays up and keeps forwarding for everyone else, and the peer comes back
// by itself. Both modes share the socket setup, so both are checked.
import type { BrokerMode } from "@zmqc/broker";
import { startTestBroker } from "@zmqc/broker/testing";
import { ConfigError } from "@zmqc/config";
import { describe, expect, it } from "vitest";
import { awaitNotification, connectPeer, within } from "./peers.js";

const LIMIT = 1024;

/** Resolves when the socket's monitor reports `type` (the first one from now on). */
async function nextSocketEvent(
  socket: { events: AsyncIterable<{ type: string }> },
  type: string,
): Promise<void> {
  for await (const event of socket.events) if (event.type === type) return;
}

describe.each<BrokerMode>(["native", "managed"])("maxMessageSize (%s)", (mode) => {
  it("cuts off a peer that sends a larger frame and keeps forwarding the others' messages", async () => {
    await using broker = await startTestBroker({ mode, maxMessageSize: LIMIT });
    await using hostile = connectPeer(broker);
    await using sender = connectPeer(broker);
    await using receiver = connectPeer(broker);
    await receiver.subscribe("t");
    await awaitNotification(sender, "+t");
    await awaitNotification(hostile, "+t");

    const cutOff = nextSocketEvent(hostile.xpub, "disconnect");
    await hostile.xpub.send(["t", "hostile", "broker-bin-v1", Buffer.alloc(LIMIT + 1, 1)]);
    await within(5000, "the hostile peer's disconnect", cutOff);

    // A frame of exactly the limit is fine, from anyone.
    await sender.xpub.send(["t", "sender", "broker-bin-v1", Buffer.alloc(LIMIT, 2)]);
    const [topic, from, format, payload] = await within(5000, "the good message", receiver.xsub.receive());
    expect([topic?.toString(), from?.toString(), format?.toString(), payload?.length]).toEqual([
      "t",
      "sender",
      "broker-bin-v1",
      LIMIT,
    ]);

    // The hostile peer reconnects by itself (its XPUB gets the subscription again) and may send good messages.
    await awaitNotification(hostile, "+t");
    await hostile.xpub.send(["t", "hostile", "broker-bin-v1", "small"]);
    const again = await within(5000, "the reconnected peer's message", receiver.nextMessage());
    expect(again).toEqual(["t", "hostile", "broker-bin-v1", "small"]);
  });
});

describe("maxMessageSize validation", () => {
  it.each([-2, 1.5, Number.NaN])("rejects %s with a ConfigError", async (value) => {
    await expect(startTestBroker({ maxMessageSize: value })).rejects.toBeInstanceOf(ConfigError);
  });
});
