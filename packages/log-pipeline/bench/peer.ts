// One side of the log-path benchmark, in its own process (forked by log-path.ts): the "sink" binds a logger (or
// the raw PULL + append loop), the "source" sends to it. Commands and results go over the IPC channel; times are
// process.hrtime (CLOCK_MONOTONIC, the same clock in every process on the machine).
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay, setImmediate as nextTurn } from "node:timers/promises";
import { Pull, Push } from "zeromq";
import { startLogger, startLogSender } from "../src/index.js";
import { BATCH, type ConnRecord, conn, pool, preEncodedMessages } from "./conn.js";
import { dataLines } from "./zeek-loggers.js";

/**
 * `raw`: raw PUSH of pre-encoded batches → raw PULL + append. `zmqc`: zmqc sender → zmqc logger. `zmqc-curve`: the
 * same with CURVE. `logger`: raw PUSH of the pre-encoded batches (what a Zeek worker sends) → zmqc logger.
 * `zeek-zmqc`: a real Zeek worker → zmqc logger; `zeek-zeek`: a real Zeek worker → a real Zeek logger (both run by
 * log-path.ts with zeek-loggers.ts; only the zmqc logger of `zeek-zmqc` runs here). `c`: a C libzmq PUSH of the
 * same pre-encoded batches → a C PULL + append (c/pushpull.c, run by log-path.ts itself, not by these peers).
 */
export type Kind = "raw" | "zmqc" | "zmqc-curve" | "logger" | "zeek-zmqc" | "zeek-zeek" | "c";

/** The keys of a CURVE run (Zeek's names). */
export interface Keys {
  readonly serverPublic: string;
  readonly serverSecret: string;
  readonly clientPublic: string;
  readonly clientSecret: string;
}

export type Command =
  | {
      readonly op: "sink";
      readonly kind: Kind;
      readonly records: number;
      readonly keys: Keys;
      /** Where the logger binds (a Zeek worker's logger port); default a port the OS picks. */
      readonly bind?: string;
    }
  | {
      readonly op: "source";
      readonly kind: Kind;
      readonly records: number;
      readonly endpoint: string;
      readonly keys: Keys;
    }
  /** The source's CPU since its last `source` began, asked once the sink is done (its I/O thread's sending too). */
  | { readonly op: "cpu" }
  | { readonly op: "exit" };

export type Reply =
  | { readonly op: "ready"; readonly endpoint: string; readonly dir: string }
  | {
      readonly op: "written";
      /** When the last record reached the file (hrtime ns, as a string). */
      readonly end: string;
      /** CPU time of the sink process (µs) from ready to the last record. */
      readonly cpuMicros: number;
      /** Lines in the file: records (zmqc) or bytes appended (raw). */
      readonly check: number;
      readonly errors: number;
      /** conn.log's size when the last record was written (before `#close`), and its data lines' bytes. */
      readonly bytes?: number;
      readonly dataBytes?: number;
    }
  | {
      readonly op: "sent";
      readonly start: string;
      /** When the sender had handed everything to ZeroMQ (hrtime ns). */
      readonly sent: string;
      readonly cpuMicros: number;
      readonly dropped: number;
    }
  | { readonly op: "cpu"; readonly cpuMicros: number }
  | { readonly op: "failed"; readonly message: string };

/** How long a connected pair settles before the clock starts (the handshake is not what is measured). */
const SETTLE_MS = 100;
/** A run that has not finished by then has lost something: report it instead of hanging. */
const RUN_LIMIT_MS = 120_000;

const cpu = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};
const now = () => process.hrtime.bigint().toString();
/** CPU of this process when its last `source` run began (the `cpu` command measures from here). */
let sourceCpu0 = 0;
const reply = (message: Reply) => process.send?.(message);

async function waitFor(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + RUN_LIMIT_MS;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what}: not done within ${RUN_LIMIT_MS} ms`);
    await delay(1);
  }
}

async function sink(kind: Kind, records: number, keys: Keys, bind?: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "zmqc-logbench-"));
  try {
    if (kind === "raw") {
      // What a user writes without zmqc: a PULL socket, and each batch's payload appended to a file.
      const pull = new Pull({ receiveHighWaterMark: 1000 });
      await pull.bind("tcp://127.0.0.1:*");
      const file = await open(join(dir, "conn.bin"), "a");
      const batches = Math.ceil(records / BATCH);
      reply({ op: "ready", endpoint: pull.lastEndpoint ?? "", dir });
      const cpu0 = cpu();
      let bytes = 0;
      for (let got = 0; got < batches; got++) {
        const frames = await pull.receive();
        const payload = frames[3] as Buffer;
        await file.write(payload);
        bytes += payload.length;
      }
      const end = now();
      const cpuMicros = cpu() - cpu0;
      await file.close();
      pull.close();
      reply({ op: "written", end, cpuMicros, check: bytes, errors: 0 });
      return;
    }
    const logger = await startLogger({
      listenLogEndpoint: bind ?? "tcp://127.0.0.1:*",
      dir,
      rotationIntervalMs: 0,
      ...(kind === "zmqc-curve"
        ? { curveServerSecretKey: keys.serverSecret, curveClientPublicKey: keys.clientPublic }
        : {}),
    });
    reply({ op: "ready", endpoint: logger.endpoint, dir });
    const cpu0 = cpu();
    await waitFor(() => logger.stats().recordsWritten >= records, `logger (${kind})`);
    const end = now();
    const cpuMicros = cpu() - cpu0;
    const { decodeErrors, msgErrors, formatErrors, writeErrors } = logger.stats();
    const bytes = statSync(join(dir, "conn.log")).size;
    await logger.close();
    const { lines, bytes: dataBytes } = dataLines(join(dir, "conn.log"));
    reply({
      op: "written",
      end,
      cpuMicros,
      check: lines,
      errors: decodeErrors + msgErrors + formatErrors + writeErrors,
      bytes,
      dataBytes,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function source(kind: Kind, records: number, endpoint: string, keys: Keys): Promise<void> {
  if (kind === "raw" || kind === "logger") {
    const messages = preEncodedMessages(records);
    const push = new Push({ sendHighWaterMark: 1000, linger: 10_000 });
    push.connect(endpoint);
    await delay(SETTLE_MS);
    const cpu0 = cpu();
    sourceCpu0 = cpu0;
    const start = now();
    for (const message of messages) await push.send(message);
    const sent = now();
    const cpuMicros = cpu() - cpu0;
    push.close();
    reply({ op: "sent", start, sent, cpuMicros, dropped: 0 });
    return;
  }
  const sender = await startLogSender({
    nodeId: "bench-sender",
    connectLogEndpoints: [endpoint],
    flushInterval: 0,
    lingerMs: 10_000,
    log: () => {},
    ...(kind === "zmqc-curve"
      ? {
          curveServerPublicKey: keys.serverPublic,
          curveClientPublicKey: keys.clientPublic,
          curveClientSecretKey: keys.clientSecret,
        }
      : {}),
  });
  await delay(SETTLE_MS);
  const cpu0 = cpu();
  sourceCpu0 = cpu0;
  const start = now();
  for (let i = 0; i < records; i++) {
    sender.write(conn, pool[i % pool.length] as ConnRecord);
    // A producer that lets its event loop run between batches, as one fed by the network would.
    if ((i + 1) % BATCH === 0) await nextTurn();
  }
  await sender.flush();
  const sent = now();
  const cpuMicros = cpu() - cpu0;
  const { recordsDropped } = sender.stats();
  await sender.drain();
  reply({ op: "sent", start, sent, cpuMicros, dropped: recordsDropped });
}

process.on("message", (command: Command) => {
  const run =
    command.op === "sink"
      ? sink(command.kind, command.records, command.keys, command.bind)
      : command.op === "source"
        ? source(command.kind, command.records, command.endpoint, command.keys)
        : command.op === "cpu"
          ? Promise.resolve(reply({ op: "cpu", cpuMicros: cpu() - sourceCpu0 }))
          : Promise.resolve(process.disconnect());
  run.catch((error: unknown) => reply({ op: "failed", message: String((error as Error).stack ?? error) }));
});
