import { ZmqcError } from "@zmqc/config";

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

/** The BindError for a bind failure reported as data (by sockets.ts, or from the managed worker). */
export function bindErrorOf(failure: {
  readonly socket: string;
  readonly endpoint: string;
  readonly message: string;
  readonly code: string | undefined;
}): BindError {
  return new BindError(
    failure.socket,
    failure.endpoint,
    Object.assign(new Error(failure.message), { code: failure.code }),
  );
}
