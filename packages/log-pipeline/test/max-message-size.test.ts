// The maxMessageSize guard at a logger's PULL (issue #12, hostile input): an oversized frame gets its sender cut off
// by libzmq before the frame is buffered; the logger stays up and keeps writing what good senders send, and the
// cut-off sender comes back by itself.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "@zmqc/config";
import { createLogStream, type Logger, startLogger, startLogSender } from "@zmqc/log-pipeline";
import { afterEach, describe, expect, it } from "vitest";
import { Push } from "zeromq";

const LIMIT = 4096;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const notes = createLogStream({ id: "Notes::LOG", path: "notes", columns: { ts: "time", text: "string" } });

/** Waits (bounded) until the logger's stats satisfy `done`. */
async function statsWhere(
  logger: Logger,
  what: string,
  done: (stats: ReturnType<Logger["stats"]>) => boolean,
) {
  const deadline = Date.now() + 10_000;
  while (!done(logger.stats())) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(logger.stats())}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Resolves when the socket's monitor reports `type` (the first one from now on). */
async function nextSocketEvent(socket: Push, type: string): Promise<void> {
  for await (const event of socket.events) if (event.type === type) return;
}

describe("logger maxMessageSize", () => {
  it("cuts off a sender of an oversized frame and keeps writing the good senders' records", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zmqc-maxmsg-"));
    dirs.push(dir);
    await using logger = await startLogger({
      listenLogEndpoint: "tcp://127.0.0.1:*",
      dir,
      rotationIntervalMs: 0,
      maxMessageSize: LIMIT,
      log: () => {},
    });
    const hostile = new Push({ linger: 0 });
    try {
      hostile.connect(logger.endpoint);
      const cutOff = nextSocketEvent(hostile, "disconnect");
      await hostile.send(["zeek-bin-serializer", "hostile", Buffer.alloc(LIMIT + 1, 7)]);
      await cutOff;

      await using sender = await startLogSender({
        nodeId: "good",
        connectLogEndpoints: [logger.endpoint],
        writeBufferSize: 10,
        flushInterval: 0,
        lingerMs: 1000,
      });
      for (let i = 0; i < 20; i++) sender.write(notes, { ts: 1_764_064_800 + i, text: `note ${i}` });
      await sender.drain();
      await statsWhere(logger, "the good records", (stats) => stats.recordsWritten === 20);

      // The hostile sender reconnects by itself: a small (malformed) message reaches the logger, counted.
      await hostile.send(["only one frame"]);
      await statsWhere(logger, "the reconnected sender's message", (stats) => stats.msgErrors === 1);
      expect(logger.stats()).toMatchObject({ recordsWritten: 20, decodeErrors: 0 });
    } finally {
      hostile.close();
    }
  });

  it.each([-2, 0.5, Number.NaN])("rejects %s with a ConfigError", async (value) => {
    const dir = mkdtempSync(join(tmpdir(), "zmqc-maxmsg-"));
    dirs.push(dir);
    await expect(
      startLogger({ listenLogEndpoint: "tcp://127.0.0.1:*", dir, maxMessageSize: value }),
    ).rejects.toBeInstanceOf(ConfigError);
  });
});
