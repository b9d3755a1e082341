/**
 * @zmqc/config — every option of Zeek's ZeroMQ cluster backend with Zeek's defaults, the cluster layout, and
 * loading from defaults < layout < file < environment < overrides, with one typed error for bad input.
 *
 * @packageDocumentation
 */

export { clusterProblems, deriveNodeOptions, type ResolvedCluster, resolveCluster } from "./cluster.js";
export {
  type CurveClientKeys,
  type CurveOptions,
  type CurveServerKeys,
  curveClientKeys,
  curveServerKeys,
} from "./curve.js";
export { CURVE_KEY_LENGTH, curveKeyBytes, curveKeyProblem } from "./curve-key.js";
export { parseDuration } from "./duration.js";
export { type ParsedEndpoint, parseEndpoint, tcpEndpoint } from "./endpoint.js";
export { ENV_PREFIX, envVarName, LOADER_ENV, ZEEK_CURVE_ENV } from "./env.js";
export {
  ConfigError,
  type ConfigProblem,
  type ConfigProblemCode,
  type ConfigSource,
  isZmqcErrorCode,
  ZMQC_ERROR_CODES,
  ZmqcError,
  type ZmqcErrorCode,
} from "./errors.js";
export { HandshakeError, type HandshakeFailureEvent } from "./handshake.js";
export { configJsonSchema } from "./json-schema.js";
export {
  type ClusterLayout,
  type ClusterLayoutInput,
  type ClusterNode,
  clusterLayoutSchema,
  clusterNodeSchema,
  NODE_TYPES,
  type NodeType,
  nodeNameSchema,
} from "./layout.js";
export {
  type ConfigInput,
  configFileSchema,
  type LoadConfigOptions,
  loadConfig,
  type ResolvedConfig,
  type ResolvedNode,
  resolveOptions,
} from "./load.js";
export { checkMaxMessageSize } from "./max-message-size.js";
export * from "./options/index.js";
export { formatConfig, printableConfig, REDACTED, redactOptions } from "./print.js";
