import { ZmqcError } from "./errors.js";

/** libzmq's `ZMQ_EVENT_HANDSHAKE_FAILED_*` numbers, as Zeek prints them. */
const HANDSHAKE_EVENTS = {
  "handshake:error:other": 0x0800,
  "handshake:error:protocol": 0x2000,
  "handshake:error:auth": 0x4000,
} as const;

/** libzmq's `ZMQ_PROTOCOL_ERROR_*` values by zeromq.js's code names (Zeek prints the number). */
const PROTOCOL_ERRORS: Readonly<Record<string, readonly [number, string]>> = {
  ERR_ZMTP_UNSPECIFIED: [0x10000000, "unspecified ZMTP error"],
  ERR_ZMTP_UNEXPECTED_COMMAND: [0x10000001, "unexpected ZMTP command"],
  ERR_ZMTP_INVALID_SEQUENCE: [0x10000002, "invalid ZMTP sequence"],
  ERR_ZMTP_KEY_EXCHANGE: [0x10000003, "key exchange failed"],
  ERR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED: [0x10000011, "malformed ZMTP command"],
  ERR_ZMTP_MALFORMED_COMMAND_MESSAGE: [0x10000012, "malformed MESSAGE command"],
  ERR_ZMTP_MALFORMED_COMMAND_HELLO: [0x10000013, "malformed HELLO command"],
  ERR_ZMTP_MALFORMED_COMMAND_INITIATE: [0x10000014, "malformed INITIATE command"],
  ERR_ZMTP_MALFORMED_COMMAND_ERROR: [0x10000015, "malformed ERROR command"],
  ERR_ZMTP_MALFORMED_COMMAND_READY: [0x10000016, "malformed READY command"],
  ERR_ZMTP_MALFORMED_COMMAND_WELCOME: [0x10000017, "malformed WELCOME command"],
  ERR_ZMTP_INVALID_METADATA: [0x10000018, "invalid ZMTP metadata"],
  ERR_ZMTP_CRYPTOGRAPHIC: [0x11000001, "cryptographic error: wrong server key?"],
  ERR_ZMTP_MECHANISM_MISMATCH: [
    0x11000002,
    "security mechanism mismatch: one side uses CURVE and the other does not",
  ],
  ERR_ZAP_UNSPECIFIED: [0x20000000, "unspecified ZAP error"],
  ERR_ZAP_MALFORMED_REPLY: [0x20000001, "malformed ZAP reply"],
  ERR_ZAP_BAD_REQUEST_ID: [0x20000002, "bad ZAP request id"],
  ERR_ZAP_BAD_VERSION: [0x20000003, "bad ZAP version"],
  ERR_ZAP_INVALID_STATUS_CODE: [0x20000004, "invalid ZAP status code"],
  ERR_ZAP_INVALID_METADATA: [0x20000005, "invalid ZAP metadata"],
};

/** A socket monitor's handshake failure, as zeromq.js reports it (`socket.events`). */
export interface HandshakeFailureEvent {
  readonly type: "handshake:error:protocol" | "handshake:error:auth" | "handshake:error:other";
  readonly address: string;
  readonly error: { readonly code?: string; readonly status?: number; readonly errno?: number };
}

/**
 * A CURVE handshake that failed (Zeek: "ZeroMQ: Handshake for socket … failed: event=0x2000 value=285212674").
 * A protocol or authentication failure will not heal by retrying, so Zeek makes it fatal; an unspecified one is a
 * warning.
 */
export class HandshakeError extends ZmqcError {
  /** libzmq's event number (0x0800, 0x2000, 0x4000). */
  readonly event: number;
  /** The event's value: a `ZMQ_PROTOCOL_ERROR_*` number, or the ZAP status (400) for an authentication failure. */
  readonly value: number;
  readonly endpoint: string;
  /** What it means, in words. */
  readonly meaning: string;
  /** False for an unspecified failure (Zeek warns and goes on). */
  readonly fatal: boolean;

  constructor(event: HandshakeFailureEvent) {
    const number = HANDSHAKE_EVENTS[event.type];
    const [value, meaning] =
      event.type === "handshake:error:auth"
        ? [event.error.status ?? 0, "the server refused this client's public key (ZAP)"]
        : event.type === "handshake:error:protocol"
          ? (PROTOCOL_ERRORS[event.error.code ?? ""] ?? [
              event.error.errno ?? 0,
              event.error.code ?? "protocol error",
            ])
          : [event.error.errno ?? 0, "handshake failed without details"];
    super(
      "HANDSHAKE",
      `ZeroMQ: Handshake for socket ${event.address} failed: event=0x${number.toString(16)} value=${value} (${meaning})`,
    );
    this.name = "HandshakeError";
    this.event = number;
    this.value = value;
    this.endpoint = event.address;
    this.meaning = meaning;
    this.fatal = event.type !== "handshake:error:other";
  }
}
