import { z } from "zod";
import { option } from "./define.js";
import { bufferSizeSchema, endpointSchema, hwmSchema, optionalEndpointSchema } from "./field-schemas.js";

const ZMQ = "Cluster::Backend::ZeroMQ::";

/** Options of the log PUSH (senders) and PULL (loggers) sockets. */
export const logTransportOptionSpecs = {
  /** Every logger's PULL endpoint; this node's PUSH connects to each. A cluster layout fills it in. */
  connectLogEndpoints: option(z.array(endpointSchema), {
    default: [],
    zeek: `${ZMQ}connect_log_endpoints`,
    doc: "The loggers' PULL endpoints that this node's PUSH socket connects to.",
  }),
  /** Where this node binds its log PULL socket; `""` = it is no logger. A cluster layout fills it in. */
  listenLogEndpoint: option(optionalEndpointSchema, {
    default: "",
    zeek: `${ZMQ}listen_log_endpoint`,
    doc: 'Where a logger binds its PULL socket ("" = not a logger).',
  }),
  /** ZMQ_IMMEDIATE on the PUSH: queue only to loggers already connected. Default false. */
  logImmediate: option(z.boolean(), {
    default: false,
    zeek: `${ZMQ}log_immediate`,
    doc: "Set ZMQ_IMMEDIATE on the PUSH socket (false: queue to every listed logger, even before it connects).",
  }),
  /** ZMQ_SNDHWM of the log PUSH socket, 0 = no limit. Default 1000. */
  logSndhwm: option(hwmSchema, {
    default: 1000,
    zeek: `${ZMQ}log_sndhwm`,
    doc: "Send high-water mark of the log PUSH socket (0 = no limit).",
  }),
  /** ZMQ_RCVHWM of the logger's PULL socket, 0 = no limit. Default 1000. */
  logRcvhwm: option(hwmSchema, {
    default: 1000,
    zeek: `${ZMQ}log_rcvhwm`,
    doc: "Receive high-water mark of the logger's PULL socket (0 = no limit).",
  }),
  /** ZMQ_SNDBUF of the log PUSH socket in bytes, -1 = OS default. */
  logSndbuf: option(bufferSizeSchema, {
    default: -1,
    zeek: `${ZMQ}log_sndbuf`,
    doc: "Kernel send buffer of the log PUSH socket in bytes (-1 = OS default).",
  }),
  /** ZMQ_RCVBUF of the logger's PULL socket in bytes, -1 = OS default. */
  logRcvbuf: option(bufferSizeSchema, {
    default: -1,
    zeek: `${ZMQ}log_rcvbuf`,
    doc: "Kernel receive buffer of the logger's PULL socket in bytes (-1 = OS default).",
  }),
} as const;
