import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { startLogger } from "../src/logger.js";
import { registerLoggerMetrics, registerLogSenderMetrics } from "../src/metrics.js";
import { startLogSender } from "../src/sender/sender.js";
import { createLogStream } from "../src/sender/stream.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const stream = createLogStream({ id: "M::LOG", path: "m", columns: { n: "count" } });

const value = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1]);

describe("log metrics", () => {
  it("a sender's and a logger's counters read the same numbers as stats()", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zmqc-log-metrics-"));
    dirs.push(dir);
    await using logger = await startLogger({
      listenLogEndpoint: "tcp://127.0.0.1:*",
      dir,
      rotationIntervalMs: 0,
    });
    await using sender = await startLogSender({
      nodeId: "metrics-test",
      connectLogEndpoints: [logger.endpoint],
      writeBufferSize: 10,
    });
    const registry = new Registry();
    const removeSender = registerLogSenderMetrics(sender, registry);
    const removeLogger = registerLoggerMetrics(logger, registry);
    for (let n = 0; n < 25; n++) sender.write(stream, { n });
    await sender.flush();
    // Wait for the logger to have written all 25 (bounded), reading it through the metrics themselves.
    const deadline = Date.now() + 10_000;
    let text = await registry.metrics();
    while (value(text, "zmqc_logger_records_written_total") < 25) {
      if (Date.now() > deadline) throw new Error(`records not written in time:\n${text}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      text = await registry.metrics();
    }
    expect(value(text, "zmqc_log_records_written_total")).toBe(25);
    expect(value(text, "zmqc_log_records_sent_total")).toBe(25);
    expect(value(text, "zmqc_log_batches_sent_total")).toBe(3);
    expect(value(text, "zmqc_log_batches_dropped_total")).toBe(0);
    expect(value(text, "zmqc_log_records_buffered")).toBe(0);
    expect(value(text, "zmqc_logger_batches_received_total")).toBe(3);
    expect(value(text, "zmqc_logger_decode_errors_total")).toBe(0);
    expect(value(text, "zmqc_logger_end_markers_total")).toBe(0);
    expect(text).toContain(
      '# HELP zmqc_log_batches_dropped_total Log batches dropped at the PUSH socket\'s HWM (Zeek: "Failed to send log write. HWM reached?")',
    );
    removeSender();
    removeLogger();
    expect((await registry.metrics()).trim()).toBe("");
  });
});
