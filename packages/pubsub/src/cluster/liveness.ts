import { ConfigError } from "@zmqc/config";
import type { ConnectOptions } from "../options.js";

/**
 * The opt-in liveness check: ZMTP heartbeats on this node's two sockets, so that the broker drops this node's
 * connections, and the other nodes see its node-id topic unsubscribed (node_down), when it stops answering
 * without closing TCP (SIGSTOP, a hung host, a cut cable). Zeek sets no heartbeats; without this, such a node
 * stays up until TCP itself gives up.
 *
 * libzmq enforces it on the broker's side (zmqc's broker or Zeek's proxy thread alike), which starts watching a
 * connection at the first PING it receives: a node that stops within one interval of connecting is not caught.
 * Only a node that turns the check on is watched; Zeek nodes never are.
 */
export interface LivenessOptions {
  /**
   * How long the broker waits without hearing from this node before dropping it (ZMQ_HEARTBEAT_TTL, sent in
   * each PING), and how long this node waits for the broker after a PING before reconnecting
   * (ZMQ_HEARTBEAT_TIMEOUT). Whole deciseconds, 100 to 65 500 ms.
   */
  readonly timeoutMs: number;
  /** How often this node sends a PING (ZMQ_HEARTBEAT_IVL). Default a third of `timeoutMs`, at least 50 ms. */
  readonly intervalMs?: number;
}

/** The socket options of a liveness check; none when it is off. */
export function heartbeatOptions(
  liveness: LivenessOptions | undefined,
): Pick<ConnectOptions, "heartbeatIntervalMs" | "heartbeatTimeToLiveMs" | "heartbeatTimeoutMs"> {
  if (liveness === undefined) return {};
  const { timeoutMs, intervalMs = Math.max(50, Math.floor(timeoutMs / 3)) } = liveness;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 65_500) {
    throw new ConfigError([
      {
        path: "liveness.timeoutMs",
        code: "out_of_range",
        message: `liveness.timeoutMs must be an integer from 100 to 65500 (ms), got ${timeoutMs}`,
      },
    ]);
  }
  if (!Number.isInteger(intervalMs) || intervalMs <= 0 || intervalMs >= timeoutMs) {
    throw new ConfigError([
      {
        path: "liveness.intervalMs",
        code: "out_of_range",
        message: `liveness.intervalMs must be a positive integer below timeoutMs (${timeoutMs}), got ${intervalMs}`,
      },
    ]);
  }
  return { heartbeatIntervalMs: intervalMs, heartbeatTimeToLiveMs: timeoutMs, heartbeatTimeoutMs: timeoutMs };
}
