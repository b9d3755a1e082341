// A logger that writes Zeek's JSON logs (LogAscii::use_json=T) and rotates them under the supervisor's log-queue
// names (`<path>__<open>__<close>__<metadata>__.log`, what zeek-archiver picks up), as a Zeek cluster logger does.
// Run: node --conditions=@zmqc/source --import tsx examples/json-rotation.ts
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { createLogStream, type RotatedFile, startLogger, startLogSender } from "@zmqc/log-pipeline";

const dns = createLogStream({
  id: "DNS::LOG",
  path: "dns",
  columns: {
    ts: "time",
    uid: "string",
    query: "string",
    rtt: { type: "interval", optional: true },
    rejected: "bool",
    answers: { type: { vector: "addr" }, optional: true },
  },
});

const dir = await mkdtemp(join(tmpdir(), "zmqc-logs-"));
try {
  const rotated: RotatedFile[] = [];
  await using logger = await startLogger({
    listenLogEndpoint: "tcp://127.0.0.1:*",
    dir,
    format: "json",
    timeZone: "UTC",
    // Rotated only at close here; Zeek's loggers (and the default) rotate hourly, and logger.rotate() rotates now.
    rotationIntervalMs: 0,
    rotateOnClose: true,
    rotation: {
      naming: "log-queue",
      metadata: { log_suffix: "logger-1" },
      // Zeek's postprocessor: called for every rotated file, e.g. to compress or upload it.
      onRotated: (file) => {
        rotated.push(file);
      },
    },
  });
  await using sender = await startLogSender({ nodeId: "worker-1", connectLogEndpoints: [logger.endpoint] });

  sender.write(dns, {
    ts: 1_764_064_800.25,
    uid: "CHhAvVGS1DHFjwGM9",
    query: "example.com",
    rtt: 0.0123,
    rejected: false,
    answers: ["192.0.2.80", "2001:db8::80"],
  });
  // Unset columns are left out of the JSON line, as Zeek does by default.
  sender.write(dns, {
    ts: 1_764_064_801,
    uid: "CJ3xTn1c4Zw6QYl0A3",
    query: "nxdomain.example",
    rejected: true,
  });

  await sender.drain();
  // PUSH/PULL has no acknowledgement: wait until the logger has the records on disk (10 s at most).
  await logger.written(2);
  // Rotates dns.log under its log-queue name (and calls onRotated) instead of leaving it as dns.log.
  await logger.close();

  for (const file of rotated) {
    console.log(`${file.path} rotated to ${basename(file.file)}:`);
    process.stdout.write(await readFile(file.file, "utf8"));
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
