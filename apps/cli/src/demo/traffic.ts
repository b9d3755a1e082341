/**
 * Demo traffic for `zmqc cluster up --demo`: workers ping the manager, the manager answers through the worker pool
 * with `publishHrw` (as Zeek scripts do), and workers write a conn-like log stream the loggers turn into files.
 */
import type { LogSender } from "@zmqc/log-pipeline";
import { createLogStream } from "@zmqc/log-pipeline";
import { type Cluster, defineEvent, publishHrw } from "@zmqc/pubsub";
import { Value } from "@zmqc/wire-format";

/** `Demo::ping(sender, seq)`: a worker to the manager. */
export const demoPing = defineEvent("Demo::ping", ["string", "count"]);
/** `Demo::pong(sender, seq, answered_by)`: the manager's answer, routed by HRW over the worker pool. */
export const demoPong = defineEvent("Demo::pong", ["string", "count", "string"]);

/** A conn-like log stream (a subset of Zeek's conn.log columns). */
export const demoConn = createLogStream({
  id: "Conn::LOG",
  path: "conn",
  columns: {
    ts: "time",
    uid: "string",
    id: { record: { orig_h: "addr", orig_p: "port", resp_h: "addr", resp_p: "port" } },
    proto: "enum",
    service: { type: "string", optional: true },
    duration: { type: "interval", optional: true },
    orig_bytes: { type: "count", optional: true },
    resp_bytes: { type: "count", optional: true },
    conn_state: { type: "string", optional: true },
  },
});

/** What the demo has done in this process. */
export interface DemoStats {
  pingsSent: number;
  pingsAnswered: number;
  pongsReceived: number;
  recordsWritten: number;
}

/** A running demo; stop() ends the traffic (records already written stay with the sender). */
export interface Demo {
  stats(): DemoStats;
  stop(): void;
}

const SERVICES = ["http", "ssl", "dns", undefined] as const;
const STATES = ["SF", "S0", "REJ", "RSTO"] as const;

/** The manager's part: answer every ping with a pong, routed by HRW on the pinging node's name. */
export function startManagerDemo(cluster: Cluster): Demo {
  const stats: DemoStats = { pingsSent: 0, pingsAnswered: 0, pongsReceived: 0, recordsWritten: 0 };
  const off = cluster.node.on(demoPing, ([sender, seq]) => {
    const pong = demoPong.make(sender, seq, Value.string(cluster.name));
    if (publishHrw(cluster.node, cluster.pools.worker, sender, pong)) stats.pingsAnswered++;
  });
  return { stats: () => ({ ...stats }), stop: off };
}

/** Options of {@link startWorkerDemo}. */
export interface WorkerDemoOptions {
  /** Ticks per second; each sends one ping and writes `recordsPerTick` records. Default 10. */
  readonly ticksPerSecond?: number;
  readonly recordsPerTick?: number;
}

/** A worker's part: ping the manager and write conn records, `ticksPerSecond` times a second. */
export function startWorkerDemo(
  cluster: Cluster,
  sender: LogSender | undefined,
  options: WorkerDemoOptions = {},
): Demo {
  const { ticksPerSecond = 10, recordsPerTick = 5 } = options;
  const stats: DemoStats = { pingsSent: 0, pingsAnswered: 0, pongsReceived: 0, recordsWritten: 0 };
  const manager = cluster.members().find((member) => member.type === "manager")?.name;
  const offPong = cluster.node.on(demoPong, () => {
    stats.pongsReceived++;
  });
  let seq = 0;
  const tick = () => {
    seq++;
    if (manager !== undefined && cluster.member(manager)?.up) {
      const ping = demoPing.make(Value.string(cluster.name), Value.count(seq));
      if (cluster.node.publish(cluster.nodeTopic(manager), ping)) stats.pingsSent++;
    }
    if (sender === undefined) return;
    for (let i = 0; i < recordsPerTick; i++) {
      sender.write(demoConn, connRecord(cluster.name, seq, i));
      stats.recordsWritten++;
    }
  };
  const timer = setInterval(tick, Math.max(1, Math.round(1000 / ticksPerSecond)));
  return {
    stats: () => ({ ...stats }),
    stop() {
      clearInterval(timer);
      offPong();
    },
  };
}

function connRecord(node: string, seq: number, i: number) {
  const n = seq * 7 + i;
  return {
    ts: Date.now() / 1000,
    uid: `C${node.replaceAll(/[^A-Za-z0-9]/g, "")}${seq.toString(36)}x${i}`,
    id: {
      orig_h: `10.0.${n % 256}.${((n * 13) % 254) + 1}`,
      orig_p: `${1024 + (n % 60_000)}/tcp`,
      resp_h: `192.0.2.${(n % 200) + 1}`,
      resp_p: `${[80, 443, 53, 22][n % 4]}/tcp`,
    },
    proto: "tcp",
    service: SERVICES[n % SERVICES.length],
    duration: (n % 1000) / 997,
    orig_bytes: n % 5000,
    resp_bytes: (n * 31) % 90_000,
    conn_state: STATES[n % STATES.length],
  };
}
