// A zmqc logger in its own process, for the scenarios that kill or stop one:
//   node --conditions=@zmqc/source --import tsx src/children/logger.ts '{"endpoint": "tcp://127.0.0.1:PORT", "dir": …}'
// Prints {"event": "ready", "endpoint"} once bound; answers each "stats" line on stdin with {"event": "stats", …,
// "resources"} (its memory and handles, for the soak);
// on SIGTERM (or when stdin ends) closes gracefully, prints {"event": "closed", …stats, "error"?} and exits 0; a
// "handoff <ms>" line closes it the same way but first waits (up to <ms>) for every sender's end marker (the senders
// called retireLogger: log-pipeline's hand-off, which loses nothing).
import { startLogger } from "@zmqc/log-pipeline";
import { resourcesOf } from "../resources.js";

const config = JSON.parse(process.argv[2] ?? "{}") as { endpoint: string; dir: string };
const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
const logger = await startLogger({
  listenLogEndpoint: config.endpoint,
  dir: config.dir,
  rotationIntervalMs: 0,
  log: (line) => process.stderr.write(`${line}\n`),
});
const stats = () => {
  const { perSender: _, ...rest } = logger.stats();
  return rest;
};
let stopping = false;
const stop = (handoffMs?: number) => {
  if (stopping) return;
  stopping = true;
  void logger.close(handoffMs === undefined ? {} : { handoffMs }).then(async () => {
    const error = await logger.closed;
    print({ event: "closed", ...stats(), ...(error ? { error: error.message } : {}) });
    process.exit(0);
  });
};
let pending = "";
process.stdin.on("data", (chunk: Buffer) => {
  pending += chunk.toString("utf8");
  const lines = pending.split("\n");
  pending = lines.pop() ?? "";
  for (const line of lines) {
    const [command, argument] = line.trim().split(" ");
    if (command === "stats") print({ event: "stats", ...stats(), resources: resourcesOf() });
    else if (command === "handoff") stop(Number(argument));
  }
});
process.stdin.on("end", () => stop());
process.stdin.on("error", () => stop());
process.on("SIGTERM", () => stop());
print({ event: "ready", endpoint: logger.endpoint });
