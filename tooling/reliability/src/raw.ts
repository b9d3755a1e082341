// Raw zeromq.js sockets for the attacks: they speak ZMTP correctly and send whatever frames they are given.
import type { Writable } from "zeromq";

/**
 * Sends one multipart message, retrying while ZeroMQ refuses it at the HWM (an XPUB with NODROP reports EAGAIN at
 * once instead of waiting), for at most `ms`: nothing is dropped on the attacker's side, so every message sent
 * reaches the victim.
 */
export async function sendAll(socket: Writable, frames: readonly Buffer[], ms = 10_000): Promise<void> {
  const deadline = performance.now() + ms;
  for (;;) {
    try {
      await socket.send(frames as Buffer[]);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== "EAGAIN" || performance.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
}
