import { type BackendOptionsInput, resolveOptions } from "@zmqc/config";
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
  /** ZMQ_SNDTIMEO of the XPUB: 0 fails at once at the HWM (drop), n waits n ms, -1 forever. */
  readonly sendTimeoutMs: number;
  readonly log: (line: string) => void;
}

/** Validates the options (a ConfigError lists every problem) and fills in Zeek's defaults. */
export function resolveNodeSettings(options: ConnectOptions = {}): NodeSettings {
  const { nodeId, name, publishQueueSize = 1000, overflow = "drop", log, ...backend } = options;
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
    sendTimeoutMs: overflow === "drop" ? 0 : overflow.waitMs,
    log: log ?? ((line) => process.stderr.write(`${line}\n`)),
  };
}
