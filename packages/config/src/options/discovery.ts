import { option } from "./define.js";
import { durationMsSchema, topicPrefixSchema } from "./field-schemas.js";

const ZMQ = "Cluster::Backend::ZeroMQ::";

/** Topics and timing of node discovery (the hello handshake). */
export const discoveryOptionSpecs = {
  /** Prefix of per-node topics: `<prefix>.<name>.`. Default `zeek.cluster.node`. */
  nodeTopicPrefix: option(topicPrefixSchema, {
    default: "zeek.cluster.node",
    zeek: `${ZMQ}node_topic_prefix`,
    doc: "Prefix of node topics (<prefix>.<name>.).",
  }),
  /** Prefix of per-incarnation topics: `<prefix>.<id>.`. Default `zeek.cluster.nodeid`. */
  nodeidTopicPrefix: option(topicPrefixSchema, {
    default: "zeek.cluster.nodeid",
    zeek: `${ZMQ}nodeid_topic_prefix`,
    doc: "Prefix of node-id topics (<prefix>.<id>.).",
  }),
  /** How long half a handshake is kept before "Expired subscription/hello" warnings, in ms. Default 10 s. */
  helloExpiration: option(durationMsSchema, {
    default: 10_000,
    zeek: `${ZMQ}hello_expiration`,
    doc: "How long one half of a hello handshake waits for the other, in ms.",
  }),
  /** Prefix of internal topics such as the ready-to-publish check. Default `zeek.zeromq.internal.`. */
  internalTopicPrefix: option(topicPrefixSchema, {
    default: "zeek.zeromq.internal.",
    zeek: `${ZMQ}internal_topic_prefix`,
    doc: "Prefix of internal topics (ready-to-publish checks).",
  }),
} as const;
