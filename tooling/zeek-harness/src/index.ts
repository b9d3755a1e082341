/**
 * @zmqc/zeek-harness — finds and runs a real Zeek for the interop tests, and skips those tests visibly
 * when this machine has no Zeek.
 *
 * @packageDocumentation
 */

export * from "./child.js";
export { ZEEK_CURVE_KEYS } from "./curve-keys.js";
export { describeWithZeek } from "./describe-with-zeek.js";
export { findZeek, type ZeekInstall, zeekPath, zeekUnavailableReason } from "./find-zeek.js";
export { reservePorts, zeekPort } from "./ports.js";
export {
  DEFAULT_ZEEK_TIMEOUT_MS,
  type RunZeekOptions,
  runZeek,
  type ZeekResult,
} from "./run-zeek.js";
