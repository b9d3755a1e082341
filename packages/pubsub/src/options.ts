import {
  type BackendOptionsInput,
  ConfigError,
  type ConfigProblem,
  type CurveClientKeys,
  curveClientKeys,
  resolveOptions,
} from "@zmqc/config";
import type { BatchingOptions } from "./batcher.js";
import { makeNodeId } from "./node-id.js";

/** What to do when the XPUB is at its HWM (Zeek drops; Zeek's `overload-no-drop` sets the HWM to 0 instead). */
export type OverflowPolicy = "drop" | { readonly waitMs: number };

/** Options of {@link connect}: the node's part of the backend options (Zeek's names and defaults) and more. */
export interface ConnectOptions
  extends Pick<
    BackendOptionsInput,
    | "connectXpubEndpoint"
    | "connectXsubEndpoint"
    | "connectXpubNodrop"
    | "xpubSndhwm"
    | "xpubSndbuf"
    | "xsubRcvhwm"
    | "xsubRcvbuf"
    | "lingerMs"
    | "ipv6"
    | "onloopQueueHwm"
    | "pollMaxMessages"
    | "debugFlags"
    | "eventSerializer"
    | "curveServerPublicKey"
    | "curveClientPublicKey"
    | "curveClientSecretKey"
  > {
  /** This node's id (frame 1 of what it publishes). Default: a fresh `zeromq_<name>_<host>_<pid>_N…` id. */
  readonly nodeId?: string;
  /** The node's name, used in the generated id. */
  readonly name?: string;
  /** Events publish() may queue before it refuses more (Zeek's main→I/O queue holds 1000). 0 = no limit. */
  readonly publishQueueSize?: number;
  /** At the XPUB's HWM: `"drop"` (Zeek's behaviour, counted as xpub drops) or wait up to `waitMs` for room. */
  readonly overflow?: OverflowPolicy;
  /** Where warnings and debug lines go (default: stderr). */
  readonly log?: (line: string) => void;
  /**
   * ZMTP heartbeats on both node sockets (`ZMQ_HEARTBEAT_IVL`): a PING every this many ms. 0 (default) = none, as
   * in Zeek, which sets no heartbeat options.
   */
  readonly heartbeatIntervalMs?: number;
  /**
   * `ZMQ_HEARTBEAT_TTL`, sent in every PING: the broker drops this node's connections when it has heard nothing
   * from it for this long (whole deciseconds, 100 ms to 65 500 ms), which the other nodes see as the unsubscription
   * of this node's topics. 0 (default) = none. Needs `heartbeatIntervalMs`.
   */
  readonly heartbeatTimeToLiveMs?: number;
  /**
   * `ZMQ_HEARTBEAT_TIMEOUT`: this node drops (and re-opens) a connection when nothing came back within this many
   * ms of a PING. 0 (default) = libzmq's default (the interval). Needs `heartbeatIntervalMs`.
   */
  readonly heartbeatTimeoutMs?: number;
  /**
   * A fatal CURVE handshake failure with the broker (a mechanism mismatch, or a client key the broker refuses):
   * `"close"` (default) closes the node with the HandshakeError as its `closed` result — Zeek exits on it; `"warn"`
   * logs it and keeps trying.
   */
  readonly onHandshakeFailure?: "close" | "warn";
  /**
   * Publish many events for one topic in one message (`zmqc-batch-v1`, SPEC.md §6.1): far more events/s, but **Zeek
   * cannot read it** (it counts a format error), so turn it on only where every subscriber is zmqc. `true` for the
   * defaults (256 events or 64 KiB per message), or the limits. A node always reads batches from other zmqc nodes.
   * Default off, as Zeek sends one event per message.
   */
  readonly batching?: boolean | BatchingOptions;
  /**
   * Across a broker restart: from the XPUB's disconnect on, events stay in the publish queue; after the reconnect
   * an event goes once every subscriber of the prefixes matching its topic (as many subscription frames as before
   * the outage) is back through the new broker. The hold ends when all are back, or this many ms after the first
   * reconnect, when what is still kept for a prefix none of whose subscribers came back is dropped and counted as
   * `reconnectDrops` (and the prefix forgotten); the rest is sent. Default 1000. 0 = off, as in Zeek, whose XPUB
   * flushes its queue into the new broker before the subscribers are back there, where it is discarded uncounted.
   */
  readonly reconnectHoldMs?: number;
}

/** The node's settings, validated, with Zeek's defaults. */
export interface NodeSettings {
  readonly nodeId: string;
  readonly format: string;
  readonly connectXpubEndpoint: string;
  readonly connectXsubEndpoint: string;
  readonly connectXpubNodrop: boolean;
  readonly xpubSndhwm: number;
  readonly xpubSndbuf: number;
  readonly xsubRcvhwm: number;
  readonly xsubRcvbuf: number;
  readonly lingerMs: number;
  readonly ipv6: boolean;
  readonly onloopQueueHwm: number;
  readonly pollMaxMessages: number;
  readonly debugPoll: boolean;
  readonly debugThread: boolean;
  readonly publishQueueSize: number;
  /** How long an event may wait for room at the XPUB's HWM before it is dropped (0 = Zeek: at once). */
  readonly hwmWaitMs: number;
  readonly log: (line: string) => void;
  /** ZMTP heartbeats: 0 = off (libzmq's default is used for a 0 timeout). */
  readonly heartbeatIntervalMs: number;
  readonly heartbeatTimeToLiveMs: number;
  readonly heartbeatTimeoutMs: number;
  /** CURVE client keys (Zeek's client mode), or undefined for plain TCP. */
  readonly curve: CurveClientKeys | undefined;
  readonly onHandshakeFailure: "close" | "warn";
  /** Event batching, or undefined when each event goes in its own message (Zeek's way). */
  readonly batching: BatchingOptions | undefined;
  /** The longest hold of events after a broker reconnection (0 = none, Zeek's way). */
  readonly reconnectHoldMs: number;
}

/** The receiver keeps the TTL in a 16-bit count of deciseconds and multiplies it by 100 in 16 bits as well. */
const MAX_HEARTBEAT_TTL_MS = 65_500;

/** The heartbeat and hold durations: whole ms in range, and heartbeat settings that make sense together. */
function timingProblems(options: ConnectOptions): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const check = (
    key: "heartbeatIntervalMs" | "heartbeatTimeToLiveMs" | "heartbeatTimeoutMs" | "reconnectHoldMs",
    max: number,
  ) => {
    const value = options[key];
    if (value === undefined) return;
    if (!Number.isInteger(value) || value < 0 || value > max) {
      problems.push({
        path: key,
        code: "out_of_range",
        message: `${key} must be an integer from 0 to ${max} (ms), got ${value}`,
      });
    }
  };
  check("heartbeatIntervalMs", 2 ** 31 - 1);
  check("heartbeatTimeToLiveMs", MAX_HEARTBEAT_TTL_MS);
  check("heartbeatTimeoutMs", 2 ** 31 - 1);
  check("reconnectHoldMs", 2 ** 31 - 1);
  const {
    heartbeatTimeToLiveMs: ttl = 0,
    heartbeatIntervalMs: interval = 0,
    heartbeatTimeoutMs: timeout = 0,
  } = options;
  if (ttl > 0 && ttl < 100) {
    problems.push({
      path: "heartbeatTimeToLiveMs",
      code: "out_of_range",
      message: `heartbeatTimeToLiveMs is sent in whole deciseconds: ${ttl} ms would be 0 (off); use at least 100`,
    });
  }
  if ((ttl > 0 || timeout > 0) && interval === 0) {
    problems.push({
      path: "heartbeatIntervalMs",
      code: "invalid_value",
      message:
        "heartbeatTimeToLiveMs and heartbeatTimeoutMs need heartbeatIntervalMs (no PING is ever sent without it)",
    });
  }
  return problems;
}

/** Validates the options (a ConfigError lists every problem) and fills in Zeek's defaults. */
export function resolveNodeSettings(options: ConnectOptions = {}): NodeSettings {
  const {
    nodeId,
    name,
    publishQueueSize = 1000,
    overflow = "drop",
    log,
    heartbeatIntervalMs = 0,
    heartbeatTimeToLiveMs = 0,
    heartbeatTimeoutMs = 0,
    onHandshakeFailure = "close",
    batching,
    reconnectHoldMs = 1000,
    ...backend
  } = options;
  const problems = timingProblems(options);
  if (problems.length > 0) throw new ConfigError(problems);
  const resolved = resolveOptions(backend);
  return {
    nodeId: nodeId ?? makeNodeId(name),
    format: resolved.eventSerializer,
    connectXpubEndpoint: resolved.connectXpubEndpoint,
    connectXsubEndpoint: resolved.connectXsubEndpoint,
    connectXpubNodrop: resolved.connectXpubNodrop,
    xpubSndhwm: resolved.xpubSndhwm,
    xpubSndbuf: resolved.xpubSndbuf,
    xsubRcvhwm: resolved.xsubRcvhwm,
    xsubRcvbuf: resolved.xsubRcvbuf,
    lingerMs: resolved.lingerMs,
    ipv6: resolved.ipv6,
    onloopQueueHwm: resolved.onloopQueueHwm,
    pollMaxMessages: resolved.pollMaxMessages,
    debugPoll: (resolved.debugFlags & 1) !== 0,
    debugThread: (resolved.debugFlags & 2) !== 0,
    publishQueueSize,
    hwmWaitMs: overflow === "drop" ? 0 : overflow.waitMs,
    log: log ?? ((line) => process.stderr.write(`${line}\n`)),
    heartbeatIntervalMs,
    heartbeatTimeToLiveMs,
    heartbeatTimeoutMs,
    curve: curveClientKeys(resolved),
    onHandshakeFailure,
    batching: batching === true ? {} : batching === false ? undefined : batching,
    reconnectHoldMs,
  };
}
