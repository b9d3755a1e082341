import { isIP } from "node:net";
import { z } from "zod";
import { curveKeyProblem } from "../curve-key.js";
import { parseDuration } from "../duration.js";
import { parseEndpoint } from "../endpoint.js";

/** A ZeroMQ endpoint: `tcp://host:port` (IPv6 in brackets), `ipc://path` or `inproc://name`. */
export const endpointSchema = z.string().superRefine((value, ctx) => {
  const parsed = parseEndpoint(value);
  if ("error" in parsed)
    ctx.addIssue({ code: "custom", message: parsed.error, params: { kind: "endpoint" } });
});

/** An endpoint, or `""` for "none" (Zeek's convention for listen endpoints that are off). */
export const optionalEndpointSchema = z.string().superRefine((value, ctx) => {
  if (value === "") return;
  const parsed = parseEndpoint(value);
  if ("error" in parsed)
    ctx.addIssue({ code: "custom", message: parsed.error, params: { kind: "endpoint" } });
});

/** A high-water mark: messages queued per peer, 0 = no limit. */
export const hwmSchema = z.int().min(0);

/** A kernel buffer size in bytes, -1 = the OS default. */
export const bufferSizeSchema = z.int().min(-1);

/** A TCP port a node listens on. */
export const portSchema = z.int().min(1).max(65535);

/** A Z85 CURVE key (40 characters), or `""` for "not set". */
export const curveKeySchema = z.string().superRefine((value, ctx) => {
  if (value === "") return;
  const problem = curveKeyProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem, params: { kind: "curve_key" } });
});

/** A duration in milliseconds; also accepts `"10s"`, `"500ms"`, Zeek's `"10sec"`. */
export const durationMsSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const ms = typeof value === "number" ? value : parseDuration(value);
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) {
    ctx.addIssue({
      code: "custom",
      message: `${JSON.stringify(value)} is not a duration ≥ 0 (milliseconds, or a string such as "10s" or "500ms")`,
      params: { kind: "out_of_range" },
    });
    return z.NEVER;
  }
  return ms;
});

/** A non-empty topic prefix. */
export const topicPrefixSchema = z.string().min(1);

/** An IPv4 or IPv6 address; IPv6 may be written with brackets, which are removed. */
export const ipSchema = z
  .string()
  .transform((value) => (value.startsWith("[") && value.endsWith("]") ? value.slice(1, -1) : value))
  .superRefine((value, ctx) => {
    if (isIP(value) === 0)
      ctx.addIssue({ code: "custom", message: `${JSON.stringify(value)} is not an IPv4 or IPv6 address` });
  });
