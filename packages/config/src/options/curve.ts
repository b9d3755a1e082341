import { option } from "./define.js";
import { curveKeySchema } from "./field-schemas.js";

const ZMQ = "Cluster::Backend::ZeroMQ::";

/** The four CURVE keys (Z85, 40 characters each; `""` = not set). Never printed or logged. */
export const curveOptionSpecs = {
  /** The broker's (and loggers') public key, which clients must know. */
  curveServerPublicKey: option(curveKeySchema, {
    default: "",
    zeek: `${ZMQ}curve_server_publickey`,
    doc: "CURVE server public key (Z85).",
  }),
  /** The secret key of the broker's XPUB/XSUB and every logger's PULL. */
  curveServerSecretKey: option(curveKeySchema, {
    default: "",
    zeek: `${ZMQ}curve_server_secretkey`,
    doc: "CURVE server secret key (Z85).",
  }),
  /** The clients' shared public key; the servers admit only this key. */
  curveClientPublicKey: option(curveKeySchema, {
    default: "",
    zeek: `${ZMQ}curve_client_publickey`,
    doc: "CURVE client public key (Z85).",
  }),
  /** The clients' shared secret key. */
  curveClientSecretKey: option(curveKeySchema, {
    default: "",
    zeek: `${ZMQ}curve_client_secretkey`,
    doc: "CURVE client secret key (Z85).",
  }),
} as const;

/** Names of the options that hold secrets: redacted whenever a configuration is shown. */
export const SECRET_OPTIONS: ReadonlySet<string> = new Set(Object.keys(curveOptionSpecs));
