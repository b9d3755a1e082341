// CURVE on the broker (Zeek 8.2's server mode): encrypted forwarding, a ZAP handler admitting only the client key,
// and the failures a misconfigured client sees. Real sockets on 127.0.0.1; Zeek's own test keys.
import { createConnection, createServer, type Server } from "node:net";
import { type Broker, type BrokerMode, generateKeypair, watchHandshakes } from "@zmqc/broker";
import { startTestBroker } from "@zmqc/broker/testing";
import type { HandshakeError } from "@zmqc/config";
import { ZEEK_CURVE_KEYS } from "@zmqc/zeek-harness";
import { describe, expect, it } from "vitest";
import { XSubscriber } from "zeromq";
import { connectPeer, type PeerSecurity, within } from "./peers.js";

const keys = ZEEK_CURVE_KEYS;

const CLIENT: PeerSecurity = {
  curveServerKey: keys.serverPublic,
  curvePublicKey: keys.clientPublic,
  curveSecretKey: keys.clientSecret,
};

async function curveBroker(mode: BrokerMode, log: string[]): Promise<Broker> {
  return startTestBroker({
    mode,
    curveServerSecretKey: keys.serverSecret,
    curveClientPublicKey: keys.clientPublic,
    log: (line) => log.push(line),
  });
}

/**
 * The first fatal handshake failure the socket's monitor reports (Zeek warns about an unspecified one, 0x0800,
 * and goes on; protocol and authentication failures are fatal).
 */
function handshakeFailure(socket: XSubscriber): Promise<HandshakeError> {
  return new Promise((resolve) => watchHandshakes(socket, resolve));
}

/**
 * Connects an XSUB with `security` to `endpoint` and waits for its first fatal handshake failure. The monitor is in
 * place before the socket connects: waiting on a peer's socket after connectPeer() timed out twice in five full runs
 * on a busy machine (load average 5), and a monitor attached after connect() may come too late for a failure.
 */
async function firstFailure(endpoint: string, security: PeerSecurity): Promise<HandshakeError> {
  const xsub = new XSubscriber({ linger: 0, ...security });
  try {
    const failed = handshakeFailure(xsub);
    xsub.connect(endpoint);
    return await within(10_000, "the handshake failure", failed);
  } finally {
    xsub.close();
  }
}

/** A TCP relay in front of `port` that records every byte from the client. */
async function recordingRelay(
  port: number,
): Promise<{ port: number; seen: () => Buffer; close: () => Promise<void> }> {
  const chunks: Buffer[] = [];
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: "127.0.0.1", port });
    client.on("data", (chunk: Buffer) => chunks.push(chunk));
    client.pipe(upstream).pipe(client);
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  return {
    port: address.port,
    seen: () => Buffer.concat(chunks),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
      }),
  };
}

const portOf = (endpoint: string) => Number(endpoint.split(":").at(-1));

describe.each(["native", "managed"] as const)("CURVE broker (%s mode)", (mode) => {
  it("forwards between CURVE clients with the configured client key, encrypted on the wire", async () => {
    const log: string[] = [];
    await using broker = await curveBroker(mode, log);
    // The publisher reaches the broker's XSUB through a relay that records what goes over TCP.
    const relay = await recordingRelay(portOf(broker.xsubEndpoint));
    try {
      await using subscriber = connectPeer(broker, CLIENT);
      await using publisher = connectPeer(
        { xpubEndpoint: broker.xpubEndpoint, xsubEndpoint: `tcp://127.0.0.1:${relay.port}` },
        CLIENT,
      );
      await subscriber.subscribe("secret.topic.");
      expect(await within(10_000, "the subscription at the publisher", publisher.nextNotification())).toBe(
        "+secret.topic.",
      );
      await publisher.xpub.send([
        "secret.topic.alpha",
        "node-1",
        "broker-bin-v1",
        "plaintext-payload-marker",
      ]);
      expect(await within(10_000, "the message", subscriber.nextMessage())).toEqual([
        "secret.topic.alpha",
        "node-1",
        "broker-bin-v1",
        "plaintext-payload-marker",
      ]);
      const wire = relay.seen();
      expect(wire.length).toBeGreaterThan(0);
      expect(wire.includes("secret.topic")).toBe(false);
      expect(wire.includes("plaintext-payload-marker")).toBe(false);
      expect(wire.includes("CURVE")).toBe(true); // the ZMTP greeting names the mechanism
    } finally {
      await relay.close();
    }
    expect(broker.stats().authRefused).toBe(0);
    expect(log).toEqual([]);
  });

  it("refuses a client with another public key, counts and logs it, and delivers nothing from it", async () => {
    const log: string[] = [];
    await using broker = await curveBroker(mode, log);
    await using intruder = connectPeer(broker, {
      ...CLIENT,
      curvePublicKey: keys.wrongClientPublic,
      curveSecretKey: keys.wrongClientSecret,
    });
    const failure = await within(10_000, "the handshake failure", handshakeFailure(intruder.xsub));
    expect(failure.message).toMatch(
      /^ZeroMQ: Handshake for socket tcp:\/\/127\.0\.0\.1:\d+ failed: event=0x4000 value=400 \(the server refused/,
    );
    expect(failure.fatal).toBe(true);
    await within(
      10_000,
      "the refusal count",
      waitUntil(() => broker.stats().authRefused > 0),
    );
    expect(log[0]).toMatch(
      /^ZeroMQ\/ZAP: refused a client from 127\.0\.0\.1: its public key is not an allowed client key$/,
    );
    expect(log.join("\n")).not.toContain(keys.wrongClientPublic);
    // Its subscription never reached the broker: an admitted client sees no subscriber.
    await using honest = connectPeer(broker, CLIENT);
    await intruder.subscribe("x.");
    await honest.subscribe("y.");
    expect(await within(10_000, "the honest subscription", honest.nextNotification())).toBe("+y.");
  });

  it("a plain client gets Zeek's mechanism-mismatch failure (event=0x2000 value=285212674)", async () => {
    await using broker = await curveBroker(mode, []);
    const failure = await firstFailure(broker.xpubEndpoint, {});
    expect(failure.event).toBe(0x2000);
    expect(failure.value).toBe(285_212_674);
    expect(failure.message).toContain("security mechanism mismatch");
  });
});

describe("a plain broker", () => {
  it("gives a CURVE client the same mismatch failure (Zeek's two-nodes-encryption-mismatch-2)", async () => {
    await using broker = await startTestBroker();
    const failure = await firstFailure(broker.xpubEndpoint, CLIENT);
    expect([failure.event, failure.value]).toEqual([0x2000, 285_212_674]);
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe("generateKeypair", () => {
  it("makes key pairs a broker and its clients handshake with", async () => {
    const server = generateKeypair();
    const client = generateKeypair();
    expect(server.public).toHaveLength(40);
    expect(server.secret).not.toBe(server.public);
    await using broker = await startTestBroker({
      curveServerSecretKey: server.secret,
      curveClientPublicKey: client.public,
      log: () => {},
    });
    await using peer = connectPeer(broker, {
      curveServerKey: server.public,
      curvePublicKey: client.public,
      curveSecretKey: client.secret,
    });
    await using other = connectPeer(broker, {
      curveServerKey: server.public,
      curvePublicKey: client.public,
      curveSecretKey: client.secret,
    });
    await other.subscribe("k.");
    expect(await within(10_000, "the subscription", peer.nextNotification())).toBe("+k.");
  });
});
