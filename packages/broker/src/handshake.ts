import { HandshakeError, type HandshakeFailureEvent } from "@zmqc/config";
import type { Socket } from "zeromq";

const FAILURES = ["handshake:error:protocol", "handshake:error:auth", "handshake:error:other"] as const;

/**
 * Watches a socket's handshakes as Zeek's monitor thread does: a protocol or authentication failure (a CURVE
 * mismatch, a refused client key) goes to `onFatal` — it will not heal by reconnecting — and an unspecified one to
 * `onWarning` (Zeek logs it and goes on; it also precedes a mismatch).
 */
export function watchHandshakes(
  socket: Socket,
  onFatal: (error: HandshakeError) => void,
  onWarning: (error: HandshakeError) => void = () => {},
): void {
  for (const type of FAILURES) {
    socket.events.on(type, (event) => {
      const error = new HandshakeError({ ...(event as Omit<HandshakeFailureEvent, "type">), type });
      (error.fatal ? onFatal : onWarning)(error);
    });
  }
}
