// A sender producing far faster than a deliberately slow logger: its memory stays bounded, and every record is
// accounted for. The sender runs in a child process (support/flood-sender.ts) so its RSS is its own; the logger
// is this process's PULL socket (startLogReceiver, small logRcvhwm) feeding a sink that awaits a gate, which
// stays shut until the sender has written everything: nothing moves past the high-water marks meanwhile.
// Assertions are on counts (written = sent + dropped; the logger gets exactly what was sent) and on a generous
// RSS bound, never on time.
import { fileURLToPath } from "node:url";
import { Cleanup, startChild } from "@zmqc/zeek-harness";
import { afterEach, describe, expect, it } from "vitest";
import { startLogReceiver } from "../src/index.js";

const PACKAGE_DIR = fileURLToPath(new URL("../", import.meta.url));
const FLOOD = fileURLToPath(new URL("./support/flood-sender.ts", import.meta.url));
// As in @zmqc/vitest-config: TEST_DIST=1 tests the built dist/, so the child imports it too.
const TEST_DIST = process.env.TEST_DIST !== undefined && process.env.TEST_DIST !== "0";
const CONDITIONS = TEST_DIST ? [] : ["--conditions=@zmqc/source"];

/** 100 000 records of ~2 KiB: ~200 MiB produced, which an unbounded queue would hold. */
const RECORDS = 100_000;
const PAYLOAD_BYTES = 2048;
const PRODUCED_MIB = (RECORDS * PAYLOAD_BYTES) / 1024 / 1024;
/**
 * RSS growth allowed. The HWMs hold a few batches of ~200 KiB and the wait policy's queue at most 32 MiB; the
 * rest of the growth is garbage not yet collected (records, batches encoded and dropped). Measured on 2 cores:
 * ~60 MiB (drop), ~95 MiB (wait); with the queue unbounded, ~280 MiB.
 */
const RSS_GROWTH_LIMIT_MIB = 128;

interface Report {
  readonly phase: "written" | "drained";
  readonly stats: {
    readonly recordsWritten: number;
    readonly recordsSent: number;
    readonly batchesSent: number;
    readonly batchesDropped: number;
    readonly recordsDropped: number;
    readonly recordsBuffered: number;
  };
  readonly warnings: readonly string[];
  readonly baselineRssMiB: number;
  readonly peakRssMiB: number;
}

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

async function flood(overflow: "drop" | { waitMs: number }) {
  const receiver = cleanup.add(
    await startLogReceiver({ listenLogEndpoint: "tcp://127.0.0.1:*", logRcvhwm: 4 }),
    (r) => r.close(),
  );
  let open = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  let received = 0;
  let expected = Number.POSITIVE_INFINITY;
  let arrived = () => {};
  const allArrived = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  // The slow logger: each batch waits for the gate before the next is read.
  const sink = (async () => {
    for await (const { batch } of receiver.batches()) {
      await gate;
      received += batch.records.length;
      if (received >= expected) arrived();
    }
  })();
  const child = cleanup.add(
    startChild(
      "flood sender",
      process.execPath,
      [
        ...CONDITIONS,
        "--import",
        "tsx",
        FLOOD,
        JSON.stringify({
          endpoint: receiver.endpoint,
          records: RECORDS,
          payloadBytes: PAYLOAD_BYTES,
          chunk: 500,
          writeBufferSize: 100,
          logSndhwm: 4,
          overflow,
          lingerMs: 10_000,
        }),
      ],
      { cwd: PACKAGE_DIR, hardTimeoutMs: 60_000 },
    ),
    (c) => c.dispose(),
  );
  const parse = (line: string) => JSON.parse(line) as Report;
  const written = parse(await child.takeLine("written", (line) => line.includes('"written"'), 30_000));
  open();
  child.writeLine("drain");
  const drained = parse(await child.takeLine("drained", (line) => line.includes('"drained"'), 30_000));
  await child.waitForExit(10_000);
  // The child closed its socket once it had delivered (lingerMs): wait for the logger to take all that was sent.
  expected = drained.stats.recordsSent;
  if (received >= expected) arrived();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    allArrived,
    new Promise((resolve) => {
      timer = setTimeout(resolve, 10_000);
    }),
  ]);
  clearTimeout(timer);
  await receiver.close();
  await sink;
  return { written, drained, received };
}

describe("a slow logger: the sender's memory stays bounded, every record is counted", () => {
  it("drop policy (Zeek's): the excess is dropped at the HWM and reported; RSS stays bounded", async () => {
    const { written, drained, received } = await flood("drop");
    const { stats } = drained;
    expect(stats.recordsWritten).toBe(RECORDS);
    expect(stats.recordsSent + stats.recordsDropped).toBe(RECORDS);
    expect(stats.recordsBuffered).toBe(0);
    // The gate was shut: only what the high-water marks and socket buffers hold got through.
    expect(stats.recordsDropped).toBeGreaterThan(RECORDS / 2);
    expect(written.stats.recordsSent).toBe(stats.recordsSent);
    expect(drained.warnings[0]).toMatch(
      /^Failed to send log write\. HWM reached\? \(100 records of conn dropped\)$/,
    );
    // Nothing accepted is lost: the logger got exactly what ZeroMQ took.
    expect(received).toBe(stats.recordsSent);
    const growth = drained.peakRssMiB - written.baselineRssMiB;
    expect(
      growth,
      `RSS ${written.baselineRssMiB} → ${drained.peakRssMiB} MiB for ${PRODUCED_MIB} MiB produced`,
    ).toBeLessThan(RSS_GROWTH_LIMIT_MIB);
  }, 60_000);

  it("wait policy (waitMs -1, never drop at the socket): the queue is bounded (32 MiB), the rest dropped and counted", async () => {
    const { written, drained, received } = await flood({ waitMs: -1 });
    const { stats } = drained;
    expect(stats.recordsWritten).toBe(RECORDS);
    expect(stats.recordsSent + stats.recordsDropped).toBe(RECORDS);
    expect(stats.recordsBuffered).toBe(0);
    // While the gate was shut, the queue held what ZeroMQ would not take, up to its bound.
    expect(written.stats.recordsBuffered).toBeGreaterThan(0);
    expect(stats.recordsDropped).toBeGreaterThan(RECORDS / 2);
    expect(drained.warnings[0]).toMatch(/already waiting for the loggers/);
    expect(received).toBe(stats.recordsSent);
    const growth = drained.peakRssMiB - written.baselineRssMiB;
    expect(
      growth,
      `RSS ${written.baselineRssMiB} → ${drained.peakRssMiB} MiB for ${PRODUCED_MIB} MiB produced`,
    ).toBeLessThan(RSS_GROWTH_LIMIT_MIB);
  }, 60_000);
});
