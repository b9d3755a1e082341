import { z } from "zod";
import { option } from "./define.js";
import { endpointSchema } from "./field-schemas.js";

const ZMQ = "Cluster::Backend::ZeroMQ::";

/** Options of the central XSUB/XPUB broker (Zeek's proxy thread). */
export const brokerOptionSpecs = {
  /** Where the broker binds its XPUB; nodes connect their XSUB here. Default `tcp://127.0.0.1:5555`. */
  listenXpubEndpoint: option(endpointSchema, {
    default: "tcp://127.0.0.1:5555",
    zeek: `${ZMQ}listen_xpub_endpoint`,
    doc: "Where the broker binds its XPUB socket; nodes connect their XSUB here.",
  }),
  /** Where the broker binds its XSUB; nodes connect their XPUB here. Default `tcp://127.0.0.1:5556`. */
  listenXsubEndpoint: option(endpointSchema, {
    default: "tcp://127.0.0.1:5556",
    zeek: `${ZMQ}listen_xsub_endpoint`,
    doc: "Where the broker binds its XSUB socket; nodes connect their XPUB here.",
  }),
  /** Run the broker inside this process. Default false; a cluster layout turns it on for the manager. */
  runProxyThread: option(z.boolean(), {
    default: false,
    zeek: `${ZMQ}run_proxy_thread`,
    doc: "Run the central broker in this process (Zeek: true on the manager).",
  }),
  /** ZeroMQ I/O threads of the broker's context. Default 2. */
  proxyIoThreads: option(z.int().min(1).max(64), {
    default: 2,
    zeek: `${ZMQ}proxy_io_threads`,
    doc: "Number of ZeroMQ I/O threads of the broker's context.",
  }),
  /** XPUB_NODROP on the broker's XPUB: block instead of dropping when a subscriber is at its HWM. Default true. */
  listenXpubNodrop: option(z.boolean(), {
    default: true,
    zeek: `${ZMQ}listen_xpub_nodrop`,
    doc: "Set ZMQ_XPUB_NODROP on the broker's XPUB socket.",
  }),
} as const;
