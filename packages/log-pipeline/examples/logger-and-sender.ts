// A sender logs typed conn records; a logger writes them to conn.log in Zeek's TSV format, header and all.
// Run: node --conditions=@zmqc/source --import tsx examples/logger-and-sender.ts
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogStream, startLogger, startLogSender } from "@zmqc/log-pipeline";

// Zeek's column types; the `id` record is flattened to id.orig_h, id.orig_p, … as Zeek does.
const conn = createLogStream({
  id: "Conn::LOG",
  path: "conn",
  columns: {
    ts: "time",
    uid: "string",
    id: { record: { orig_h: "addr", orig_p: "port", resp_h: "addr", resp_p: "port" } },
    proto: "enum",
    service: { type: "string", optional: true },
    orig_bytes: "count",
    tunnel_parents: { type: { set: "string" }, optional: true },
  },
});

const dir = await mkdtemp(join(tmpdir(), "zmqc-logs-"));
try {
  // `*`: the OS picks a free port, and logger.endpoint tells which. This short run never rotates.
  await using logger = await startLogger({
    listenLogEndpoint: "tcp://127.0.0.1:*",
    dir,
    rotationIntervalMs: 0,
  });
  await using sender = await startLogSender({ nodeId: "worker-1", connectLogEndpoints: [logger.endpoint] });

  sender.write(conn, {
    ts: new Date("2025-11-25T10:00:00.250Z"),
    uid: "CHhAvVGS1DHFjwGM9",
    id: { orig_h: "10.0.0.1", orig_p: "51234/tcp", resp_h: "192.0.2.7", resp_p: 443 },
    proto: "tcp",
    service: "ssl",
    orig_bytes: 1200,
    tunnel_parents: [],
  });
  sender.write(conn, {
    ts: 1_764_064_801.5, // or epoch seconds
    uid: "CJ3xTn1c4Zw6QYl0A3",
    id: { orig_h: "10.0.0.2", orig_p: "5353/udp", resp_h: "2001:db8::53", resp_p: "53/udp" },
    proto: "udp",
    service: "dns",
    orig_bytes: 64,
    tunnel_parents: new Set(["CHhAvVGS1DHFjwGM9"]),
  });
  sender.write(conn, {
    ts: 1_764_064_802,
    uid: "Cm8cBm3nHQkbmyAcL",
    id: { orig_h: "10.0.0.3", orig_p: "40000/tcp", resp_h: "198.51.100.9", resp_p: "22/tcp" },
    proto: "tcp",
    orig_bytes: 0, // service and tunnel_parents left out: unset, `-` in the log
  });

  // Sends the buffered batch and closes the sender (ZeroMQ delivers it in the background for up to lingerMs).
  await sender.drain();
  // PUSH/PULL has no acknowledgement: wait until the logger has the records on disk (10 s at most).
  await logger.written(3);
  // Writes #close and closes the file (closing again at the end of the block does nothing).
  await logger.close();

  const { batchesWritten, recordsWritten } = logger.stats();
  console.log(`wrote ${recordsWritten} records (${batchesWritten} batch) to ${join(dir, "conn.log")}:`);
  process.stdout.write(await readFile(join(dir, "conn.log"), "utf8"));
} finally {
  await rm(dir, { recursive: true, force: true });
}
