import { z } from "zod";
import { option } from "./define.js";
import { bufferSizeSchema, endpointSchema, hwmSchema } from "./field-schemas.js";

const ZMQ = "Cluster::Backend::ZeroMQ::";

/** Options of a node's XPUB/XSUB sockets, its receive loop and its ZeroMQ context. */
export const nodeSocketOptionSpecs = {
  /** The broker XSUB this node's XPUB connects to. Default `tcp://127.0.0.1:5556`. */
  connectXpubEndpoint: option(endpointSchema, {
    default: "tcp://127.0.0.1:5556",
    zeek: `${ZMQ}connect_xpub_endpoint`,
    doc: "The broker's XSUB endpoint that this node's XPUB connects to.",
  }),
  /** The broker XPUB this node's XSUB connects to. Default `tcp://127.0.0.1:5555`. */
  connectXsubEndpoint: option(endpointSchema, {
    default: "tcp://127.0.0.1:5555",
    zeek: `${ZMQ}connect_xsub_endpoint`,
    doc: "The broker's XPUB endpoint that this node's XSUB connects to.",
  }),
  /** ZMQ_LINGER of the node's XPUB and PUSH sockets in ms: -1 waits forever, 0 discards. Default 500. */
  lingerMs: option(z.int().min(-1), {
    default: 500,
    zeek: `${ZMQ}linger_ms`,
    doc: "How long unsent messages are kept at close, in ms (-1 forever, 0 discard); applies to XPUB and PUSH.",
  }),
  /** ZMQ_SNDHWM of the node's XPUB: events queued towards the broker, 0 = no limit. Default 1000. */
  xpubSndhwm: option(hwmSchema, {
    default: 1000,
    zeek: `${ZMQ}xpub_sndhwm`,
    doc: "Send high-water mark of the node's XPUB socket (0 = no limit).",
  }),
  /** ZMQ_SNDBUF of the node's XPUB in bytes, -1 = OS default. Default -1. */
  xpubSndbuf: option(bufferSizeSchema, {
    default: -1,
    zeek: `${ZMQ}xpub_sndbuf`,
    doc: "Kernel send buffer of the node's XPUB socket in bytes (-1 = OS default).",
  }),
  /** ZMQ_RCVHWM of the node's XSUB: where back pressure towards the broker starts, 0 = no limit. Default 1000. */
  xsubRcvhwm: option(hwmSchema, {
    default: 1000,
    zeek: `${ZMQ}xsub_rcvhwm`,
    doc: "Receive high-water mark of the node's XSUB socket (0 = no limit).",
  }),
  /** ZMQ_RCVBUF of the node's XSUB in bytes, -1 = OS default. Default -1. */
  xsubRcvbuf: option(bufferSizeSchema, {
    default: -1,
    zeek: `${ZMQ}xsub_rcvbuf`,
    doc: "Kernel receive buffer of the node's XSUB socket in bytes (-1 = OS default).",
  }),
  /** ZMQ_XPUB_NODROP on the node's XPUB, so a full queue is counted as a drop. Default true. */
  connectXpubNodrop: option(z.boolean(), {
    default: true,
    zeek: `${ZMQ}connect_xpub_nodrop`,
    doc: "Set ZMQ_XPUB_NODROP on the node's XPUB; false makes sends always succeed and drops go uncounted.",
  }),
  /** Received events queued for handlers before new ones are dropped and counted, 0 = no limit. Default 10000. */
  onloopQueueHwm: option(hwmSchema, {
    default: 10000,
    zeek: `${ZMQ}onloop_queue_hwm`,
    doc: "Maximum received events waiting for handlers; beyond it events are dropped and counted (0 = no limit).",
  }),
  /** Messages taken from one socket per poll round, so one busy socket cannot starve the others; 0 = no cap. */
  pollMaxMessages: option(hwmSchema, {
    default: 100,
    zeek: `${ZMQ}poll_max_messages`,
    doc: "Messages read from one socket per poll round (0 = no cap).",
  }),
  /** ZMQ_IPV6 on the node's and the broker's contexts. Default false (Zeek 8.2). */
  ipv6: option(z.boolean(), {
    default: false,
    zeek: `${ZMQ}ipv6`,
    doc: "Enable IPv6 on the ZeroMQ contexts (a layout with an IPv6 node turns it on, as zeekctl does).",
  }),
  /** Debug output to stderr: bit 1 = poll, bit 2 = thread. Default 0. */
  debugFlags: option(
    z.int().min(0).max(3, { message: "only bits 1 (poll) and 2 (thread) exist, so the value is 0 to 3" }),
    {
      default: 0,
      zeek: `${ZMQ}debug_flags`,
      doc: "Debug output on stderr: 1 = poll, 2 = thread (bit mask).",
    },
  ),
} as const;
