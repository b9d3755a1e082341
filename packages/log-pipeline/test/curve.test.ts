// CURVE on the log path (Zeek 8.2): a logger's PULL is a CURVE server admitting only the client key; senders are
// CURVE clients. Real sockets on 127.0.0.1 with Zeek's own test keys.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ZEEK_CURVE_KEYS } from "@zmqc/zeek-harness";
import { afterEach, describe, expect, it } from "vitest";
import { startLogger } from "../src/logger.js";
import { startLogSender } from "../src/sender/sender.js";
import { createLogStream } from "../src/sender/stream.js";
import { waitUntil } from "./support/wait.js";

const keys = ZEEK_CURVE_KEYS;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "zmqc-log-curve-"));
  dirs.push(dir);
  return dir;
}

const stream = createLogStream({
  id: "Secret::LOG",
  path: "secret",
  columns: { n: "count", text: "string" },
});
const SERVER = { curveServerSecretKey: keys.serverSecret, curveClientPublicKey: keys.clientPublic };
const CLIENT = {
  curveServerPublicKey: keys.serverPublic,
  curveClientPublicKey: keys.clientPublic,
  curveClientSecretKey: keys.clientSecret,
};

const until = (what: string, condition: () => boolean) => waitUntil(what, condition, 10_000, undefined, 10);

function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms).unref(),
    ),
  ]);
}

/** A logger on an ephemeral port with the server keys, its log lines collected in `lines`. */
function encryptedLogger(lines: string[]) {
  return startLogger({
    ...SERVER,
    listenLogEndpoint: "tcp://127.0.0.1:*",
    dir: tempDir(),
    rotationIntervalMs: 0,
    log: (line) => lines.push(line),
  });
}

describe("CURVE log path", () => {
  it("an encrypted sender's records reach an encrypted logger's file", async () => {
    const lines: string[] = [];
    await using logger = await encryptedLogger(lines);
    await using sender = await startLogSender({
      ...CLIENT,
      nodeId: "w",
      connectLogEndpoints: [logger.endpoint],
    });
    for (let n = 0; n < 10; n++) sender.write(stream, { n, text: `record ${n}` });
    await sender.flush();
    await until("10 records written", () => logger.stats().recordsWritten === 10);
    expect(readFileSync(join(logger.dir, "secret.log"), "utf8")).toContain("9\trecord 9\n");
    expect(logger.stats().authRefused).toBe(0);
    expect(lines).toEqual([]);
  });

  it("a sender with another client key is refused: counted and logged by the logger, fatal at the sender", async () => {
    const lines: string[] = [];
    const senderLines: string[] = [];
    await using logger = await encryptedLogger(lines);
    await using sender = await startLogSender({
      ...CLIENT,
      curveClientPublicKey: keys.wrongClientPublic,
      curveClientSecretKey: keys.wrongClientSecret,
      nodeId: "intruder",
      connectLogEndpoints: [logger.endpoint],
      log: (line) => senderLines.push(line),
    });
    sender.write(stream, { n: 1, text: "should never arrive" });
    void sender.flush();
    const failure = await within(10_000, "the handshake failure", sender.handshakeFailed);
    expect([failure.event, failure.value]).toEqual([0x4000, 400]);
    expect(senderLines).toContain(failure.message);
    await until("the refusal", () => logger.stats().authRefused > 0);
    expect(lines.some((line) => /^ZeroMQ\/ZAP: refused a client from 127\.0\.0\.1/.test(line))).toBe(true);
    expect(logger.stats().recordsReceived).toBe(0);
  });

  it("plain against encrypted, either way, is Zeek's mechanism mismatch (event=0x2000 value=285212674)", async () => {
    await using encrypted = await startLogger({
      ...SERVER,
      listenLogEndpoint: "tcp://127.0.0.1:*",
      dir: tempDir(),
      rotationIntervalMs: 0,
    });
    await using plainSender = await startLogSender({
      nodeId: "p",
      connectLogEndpoints: [encrypted.endpoint],
      log: () => {},
    });
    const first = await within(10_000, "the plain sender's failure", plainSender.handshakeFailed);
    expect([first.event, first.value]).toEqual([0x2000, 285_212_674]);

    await using plain = await startLogger({
      listenLogEndpoint: "tcp://127.0.0.1:*",
      dir: tempDir(),
      rotationIntervalMs: 0,
    });
    await using keyedSender = await startLogSender({
      ...CLIENT,
      nodeId: "k",
      connectLogEndpoints: [plain.endpoint],
      log: () => {},
    });
    const second = await within(10_000, "the keyed sender's failure", keyedSender.handshakeFailed);
    expect([second.event, second.value]).toEqual([0x2000, 285_212_674]);
  });
});
