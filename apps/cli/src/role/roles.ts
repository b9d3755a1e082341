/**
 * What each role runs: the library pieces a manager, worker, proxy, logger or standalone broker is made of, and
 * their orderly stop.
 */
import { resolve } from "node:path";
import { type Broker, type BrokerMode, registerBrokerMetrics, startBroker } from "@zmqc/broker";
import {
  type BackendOptions,
  curveClientKeys,
  curveServerKeys,
  type NodeType,
  type ResolvedConfig,
} from "@zmqc/config";
import {
  type Logger,
  type LogSender,
  type LogSenderStats,
  registerLoggerMetrics,
  registerLogSenderMetrics,
  startLogger,
  startLogSender,
} from "@zmqc/log-pipeline";
import { type Cluster, registerNodeMetrics, startClusterNode } from "@zmqc/pubsub";
import { collectDefaultMetrics, Registry } from "prom-client";
import { type Demo, startManagerDemo, startWorkerDemo } from "../demo/traffic.js";
import { writeClusterLog } from "./cluster-log.js";
import type { RoleLog } from "./log.js";
import { watchCluster } from "./watch.js";

/** The roles a zmqc process can play: the four Zeek node types and the standalone broker. */
export type RoleName = NodeType | "broker";

/** How to run a role, beyond the configuration. */
export interface RoleSettings {
  /** Where a logger writes its files (default `./logs`). */
  readonly logDir?: string;
  /** Run demo traffic (workers ping and log, the manager answers). */
  readonly demo?: boolean;
  /** The broker's forwarding mode (default native; managed keeps Zeek's proxy statistics). */
  readonly brokerMode?: BrokerMode;
  /**
   * The largest frame the broker and the logger accept (ZMQ_MAXMSGSIZE; a peer sending more is cut off and
   * reconnects); default -1, no limit, as in Zeek.
   */
  readonly maxMessageSize?: number;
  /** How long a node's events wait for their subscribers after a broker restart (pubsub's `reconnectHoldMs`). */
  readonly reconnectHoldMs?: number;
}

/** A running role. */
export interface RunningRole {
  readonly registry: Registry;
  /** Whether the process has joined: the node's subscriptions are in place (a broker: bound). */
  healthy(): boolean;
  status(): RoleStatus;
  /** Stops in order: traffic, node (draining), log sender (draining), logger, broker. Never rejects. */
  stop(): Promise<void>;
  /** Resolves when a part stopped on its own (an error), so the process can exit. */
  readonly failed: Promise<Error>;
}

/** A role's state, served at `/status`. */
export interface RoleStatus {
  readonly role: RoleName;
  readonly name: string;
  readonly pid: number;
  readonly nodeId: string | undefined;
  readonly joined: boolean;
  readonly members: readonly { name: string; type: NodeType; up: boolean; self: boolean; id?: string }[];
  readonly node?: Record<string, number>;
  readonly sender?: SenderStatus;
  readonly logger?: Record<string, unknown>;
  readonly broker?: Record<string, unknown>;
  readonly demo?: Record<string, number>;
}

/** Whether a node's status says it has joined and sees every other node of the layout up. */
export function upEverywhere(status: RoleStatus): boolean {
  return status.joined && status.members.every((member) => member.self || member.up);
}

/** Starts the pieces of `role` for the loaded configuration. On failure, whatever started is closed again. */
export async function startRole(
  role: RoleName,
  config: ResolvedConfig,
  log: RoleLog,
  settings: RoleSettings = {},
): Promise<RunningRole> {
  const { options } = config;
  const name = config.node?.name ?? role;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const parts = new Parts(log);
  try {
    let broker: Broker | undefined;
    if (role === "broker" || (role === "manager" && options.runProxyThread)) {
      broker = await startBroker({
        ...brokerOptionsOf(options),
        mode: settings.brokerMode ?? "native",
        maxMessageSize: settings.maxMessageSize ?? -1,
        log: (line) => log.warn(line),
      });
      parts.add("broker", () => broker?.close());
      registerBrokerMetrics(broker, registry);
      log.info(
        { xpub: broker.xpubEndpoint, xsub: broker.xsubEndpoint, mode: settings.brokerMode ?? "native" },
        "broker listening",
      );
    }
    let logger: Logger | undefined;
    if (role !== "broker" && options.listenLogEndpoint !== "") {
      logger = await startLogger({
        listenLogEndpoint: options.listenLogEndpoint,
        logRcvhwm: options.logRcvhwm,
        logRcvbuf: options.logRcvbuf,
        ipv6: options.ipv6,
        curveServerSecretKey: options.curveServerSecretKey,
        curveClientPublicKey: options.curveClientPublicKey,
        dir: resolve(settings.logDir ?? "logs"),
        maxMessageSize: settings.maxMessageSize ?? -1,
        log: (line) => log.warn(line),
      });
      parts.add("logger", () => logger?.close());
      registerLoggerMetrics(logger, registry);
      log.info({ endpoint: logger.endpoint, dir: logger.dir }, "logger listening");
    }
    let cluster: Cluster | undefined;
    let sender: LogSender | undefined;
    if (role !== "broker") {
      cluster = await startClusterNode(config, {
        log: (line) => log.warn(line),
        ...(settings.reconnectHoldMs === undefined ? {} : { reconnectHoldMs: settings.reconnectHoldMs }),
      });
      const joined = cluster;
      parts.add("node", () => joined.drain());
      registerNodeMetrics(cluster.node, registry);
      watchCluster(cluster, log, options.internalTopicPrefix);
      // Listening before the sender exists: a peer may be up before the sender has started.
      const clusterLines = writeClusterLog(cluster);
      parts.add("cluster log", () => clusterLines.stop());
      // A node sends its logs to every logger; a logger (or a manager that is the logger) to itself, so its own
      // cluster.log lines land in its files as Zeek's local writes do.
      // (Not when the logger encrypts and this node has no client keys to reach it with.)
      const toSelf = options.connectLogEndpoints.length === 0 && logger !== undefined;
      const selfUnreachable = toSelf && curveServerKeys(options) !== undefined && !curveClientKeys(options);
      const logEndpoints =
        options.connectLogEndpoints.length > 0
          ? options.connectLogEndpoints
          : logger && !selfUnreachable
            ? [logger.endpoint]
            : [];
      if (logEndpoints.length > 0) {
        sender = await startLogSender({
          nodeId: cluster.nodeId,
          connectLogEndpoints: logEndpoints,
          logSndhwm: options.logSndhwm,
          logSndbuf: options.logSndbuf,
          lingerMs: options.lingerMs,
          logImmediate: options.logImmediate,
          writeBufferSize: options.writeBufferSize,
          flushInterval: options.flushInterval,
          logSerializer: options.logSerializer,
          ipv6: options.ipv6,
          curveServerPublicKey: options.curveServerPublicKey,
          curveClientPublicKey: options.curveClientPublicKey,
          curveClientSecretKey: options.curveClientSecretKey,
          log: (line) => log.warn(line),
        });
        const started = sender;
        registerLogSenderMetrics(sender, registry);
        // Before the node: the sender drains while the loggers are certainly still there.
        parts.add("log sender", () => started.drain());
        clusterLines.attach(sender);
      }
    }
    let demo: Demo | undefined;
    if (settings.demo && cluster) {
      if (role === "manager") demo = startManagerDemo(cluster);
      if (role === "worker") demo = startWorkerDemo(cluster, sender);
      const running = demo;
      if (running) parts.add("demo", () => running.stop());
    }

    let joined = role === "broker";
    cluster?.ready().then(
      () => {
        joined = true;
        log.info({ nodeId: cluster?.nodeId }, "joined the cluster");
      },
      (error: unknown) => log.error({ err: error }, "could not join the cluster"),
    );
    const failed = new Promise<Error>((resolveFailure) => {
      const report = (what: string) => (error: Error | undefined) => {
        if (error !== undefined && !parts.stopping)
          resolveFailure(new Error(`${what} stopped: ${error.message}`));
      };
      cluster?.closed.then(report("node"));
      // Zeek exits on a CURVE handshake a logger refuses: batches for it would never be taken.
      sender?.handshakeFailed.then((error) => {
        if (!parts.stopping) resolveFailure(error);
      });
      logger?.closed.then(report("logger"));
      broker?.closed.then(report("broker"));
    });

    return {
      registry,
      healthy: () => joined,
      failed,
      stop: () => parts.stopAll(),
      status: () => ({
        role,
        name,
        pid: process.pid,
        nodeId: cluster?.nodeId,
        joined,
        members:
          cluster?.members().map((member) => ({
            name: member.name,
            type: member.type,
            up: member.up,
            self: member.self,
            ...(member.id === undefined ? {} : { id: member.id }),
          })) ?? [],
        ...(cluster ? { node: { ...cluster.node.stats() } } : {}),
        ...(sender ? { sender: senderStatus(sender) } : {}),
        ...(logger ? { logger: loggerStatus(logger) } : {}),
        ...(broker ? { broker: { ...broker.stats() } } : {}),
        ...(demo ? { demo: { ...demo.stats() } } : {}),
      }),
    };
  } catch (error) {
    await parts.stopAll();
    throw error;
  }
}

/** A log sender's counters as `/status` serves them. */
export type SenderStatus = Omit<LogSenderStats, "perLogger"> & {
  readonly perLogger: Record<string, { batches: number; records: number; retired: boolean }>;
};

/** A Map does not survive JSON: each logger's share goes out as an object keyed by endpoint. */
function senderStatus(sender: LogSender): SenderStatus {
  const { perLogger, ...stats } = sender.stats();
  return { ...stats, perLogger: Object.fromEntries(perLogger) };
}

function loggerStatus(logger: Logger): Record<string, unknown> {
  const { perSender, ...stats } = logger.stats();
  return { ...stats, dir: logger.dir, senders: Object.fromEntries(perSender) };
}

/** The broker's part of the backend options. */
function brokerOptionsOf(options: BackendOptions) {
  return {
    listenXpubEndpoint: options.listenXpubEndpoint,
    listenXsubEndpoint: options.listenXsubEndpoint,
    listenXpubNodrop: options.listenXpubNodrop,
    proxyIoThreads: options.proxyIoThreads,
    ipv6: options.ipv6,
    pollMaxMessages: options.pollMaxMessages,
    lingerMs: options.lingerMs,
    curveServerSecretKey: options.curveServerSecretKey,
    curveClientPublicKey: options.curveClientPublicKey,
  };
}

/** The started parts, stopped newest first (traffic, then sender, node, logger, broker). */
class Parts {
  private readonly parts: { what: string; stop: () => unknown }[] = [];
  private stopped: Promise<void> | undefined;
  stopping = false;

  constructor(private readonly log: RoleLog) {}

  add(what: string, stop: () => unknown): void {
    this.parts.push({ what, stop });
  }

  stopAll(): Promise<void> {
    this.stopping = true;
    this.stopped ??= (async () => {
      for (const part of this.parts.reverse()) {
        try {
          await part.stop();
        } catch (error) {
          this.log.error({ err: error }, `stopping the ${part.what} failed`);
        }
      }
    })();
    return this.stopped;
  }
}
