import { ZmqcError } from "@zmqc/config";
import type { Socket } from "zeromq";

/** A failed bind: which socket, which endpoint, and the OS's reason. */
export class BindError extends ZmqcError {
  readonly endpoint: string;
  /** The errno name, e.g. `EADDRINUSE`. */
  readonly errno: string | undefined;

  constructor(socket: string, endpoint: string, cause: unknown) {
    const error = cause as { message?: string; code?: string };
    const hint =
      error.code === "EADDRINUSE"
        ? " — is another broker running? set listenXpubEndpoint/listenXsubEndpoint"
        : "";
    // Zeek's wording: "ZeroMQ: Failed to bind xpub socket %s: %s (%d)".
    super("BIND", `Failed to bind ${socket} socket ${endpoint}: ${error.message ?? String(cause)}${hint}`, {
      cause,
    });
    this.name = "BindError";
    this.endpoint = endpoint;
    this.errno = error.code;
  }
}

/** Binds a socket and returns the endpoint it really bound (a `*` port resolved); a failure is a BindError. */
export async function bindSocket(socket: Socket, name: string, endpoint: string): Promise<string> {
  try {
    await socket.bind(endpoint);
  } catch (error) {
    throw new BindError(name, endpoint, error);
  }
  return socket.lastEndpoint ?? endpoint;
}
