// The fault-injection relay itself, over plain TCP: it forwards both ways, delays, stalls and resumes without
// losing or reordering bytes, cuts every connection, and cuts one in the middle of what it forwards.
import { createServer, type Server, Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type Relay, startRelay } from "./relay.js";

/** An echo server on 127.0.0.1. */
async function echoServer(): Promise<{ server: Server; endpoint: string; received: () => number }> {
  let received = 0;
  const server = createServer((socket) => {
    socket.on("error", () => {});
    socket.on("data", (chunk: Buffer) => {
      received += chunk.length;
      socket.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no address");
  return { server, endpoint: `tcp://127.0.0.1:${address.port}`, received: () => received };
}

/** A client of the relay that collects what comes back. */
async function client(relay: Relay) {
  const port = Number(relay.endpoint.split(":").at(-1));
  const socket = new Socket();
  const chunks: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  socket.on("error", () => {});
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  await new Promise<void>((resolve) => socket.connect(port, "127.0.0.1", () => resolve()));
  const echoed = async (length: number) => {
    const deadline = performance.now() + 5000;
    while (Buffer.concat(chunks).length < length) {
      if (performance.now() > deadline)
        throw new Error(`only ${Buffer.concat(chunks).length} of ${length} bytes came back`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return Buffer.concat(chunks);
  };
  return { socket, echoed, closed };
}

const open: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close();
});

describe("fault-injection relay", () => {
  it("forwards both ways, in order, through a delay and a stall", async () => {
    const echo = await echoServer();
    open.push(() => new Promise((resolve) => echo.server.close(() => resolve())));
    const relay = await startRelay(echo.endpoint);
    open.push(() => relay.close());
    const { socket, echoed } = await client(relay);
    open.push(async () => void socket.destroy());
    const payload = Buffer.from(Array.from({ length: 100_000 }, (_, i) => i % 251));
    relay.delay(20);
    socket.write(payload.subarray(0, 30_000));
    relay.stall();
    socket.write(payload.subarray(30_000, 60_000));
    expect(relay.open()).toBe(1);
    relay.resume();
    relay.delay(0);
    socket.write(payload.subarray(60_000));
    expect((await echoed(payload.length)).equals(payload)).toBe(true);
    expect(relay.stats().bytesUp).toBe(payload.length);
    expect(relay.stats().bytesDown).toBe(payload.length);
  });

  it("cuts every connection, and one in the middle of what it forwards", async () => {
    const echo = await echoServer();
    open.push(() => new Promise((resolve) => echo.server.close(() => resolve())));
    const relay = await startRelay(echo.endpoint);
    open.push(() => relay.close());
    const first = await client(relay);
    first.socket.write("hello");
    await first.echoed(5);
    expect(relay.cut()).toBe(1);
    await first.closed;

    const second = await client(relay);
    const cut = relay.cutMidFrame();
    second.socket.write(Buffer.alloc(1000, 7));
    await cut;
    await second.closed;
    // Only part of it went through before the cut (the first half of the chunk the relay read).
    const deadline = performance.now() + 5000;
    while (echo.received() === 5 && performance.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 5));
    expect(echo.received()).toBeGreaterThan(5);
    expect(echo.received()).toBeLessThan(5 + 1000);
    expect(relay.stats()).toMatchObject({ connections: 2, cuts: 1, midFrameCuts: 1 });
  });
});
