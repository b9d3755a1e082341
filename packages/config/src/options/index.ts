import type { z } from "zod";
import { brokerOptionSpecs } from "./broker.js";
import { curveOptionSpecs } from "./curve.js";
import { defaultsOf, layerSchema, schemaWithDefaults } from "./define.js";
import { discoveryOptionSpecs } from "./discovery.js";
import { logTransportOptionSpecs } from "./log-transport.js";
import { logWriterOptionSpecs } from "./log-writer.js";
import { nodeSocketOptionSpecs } from "./node-sockets.js";
import { serializerOptionSpecs } from "./serializers.js";

/** Every backend option, flat, as Zeek has them in one module. */
export const backendOptionSpecs = {
  ...nodeSocketOptionSpecs,
  ...brokerOptionSpecs,
  ...logTransportOptionSpecs,
  ...logWriterOptionSpecs,
  ...serializerOptionSpecs,
  ...curveOptionSpecs,
  ...discoveryOptionSpecs,
} as const;

/** The name of one backend option. */
export type BackendOptionName = keyof typeof backendOptionSpecs;

/** The broker's options, with Zeek's defaults. */
export const brokerOptionsSchema = schemaWithDefaults(brokerOptionSpecs);
/** A node's socket options, with Zeek's defaults. */
export const nodeSocketOptionsSchema = schemaWithDefaults(nodeSocketOptionSpecs);
/** The log transport's options, with Zeek's defaults. */
export const logTransportOptionsSchema = schemaWithDefaults(logTransportOptionSpecs);
/** The log writer's options, with Zeek's defaults. */
export const logWriterOptionsSchema = schemaWithDefaults(logWriterOptionSpecs);
/** The event serializer choice, with Zeek's default. */
export const serializerOptionsSchema = schemaWithDefaults(serializerOptionSpecs);
/** The CURVE keys (all unset by default). */
export const curveOptionsSchema = schemaWithDefaults(curveOptionSpecs);
/** Discovery topics and timing, with Zeek's defaults. */
export const discoveryOptionsSchema = schemaWithDefaults(discoveryOptionSpecs);

/** Every backend option with Zeek's defaults: `backendOptionsSchema.parse({})` is Zeek's configuration. */
export const backendOptionsSchema = schemaWithDefaults(backendOptionSpecs);
/** Any subset of the backend options: what one configuration layer (file, env, overrides) may set. */
export const backendOptionsLayerSchema = layerSchema(backendOptionSpecs);

/** Every backend option, resolved (durations in ms). */
export type BackendOptions = z.output<typeof backendOptionsSchema>;
/** What a user may write for the backend options (durations also as strings such as `"10s"`). */
export type BackendOptionsInput = z.input<typeof backendOptionsLayerSchema>;
/** Options of the central broker. */
export type BrokerOptions = z.output<typeof brokerOptionsSchema>;
/** Options of a node's XPUB/XSUB sockets. */
export type NodeSocketOptions = z.output<typeof nodeSocketOptionsSchema>;
/** Options of the log PUSH/PULL sockets. */
export type LogTransportOptions = z.output<typeof logTransportOptionsSchema>;
/** Options of the log buffers. */
export type LogWriterOptions = z.output<typeof logWriterOptionsSchema>;
/** The CURVE keys. */
export type CurveOptions = z.output<typeof curveOptionsSchema>;
/** Discovery topics and timing. */
export type DiscoveryOptions = z.output<typeof discoveryOptionsSchema>;

/** Zeek's defaults for every option, as one frozen object. */
export const DEFAULT_BACKEND_OPTIONS: Readonly<BackendOptions> = Object.freeze(
  defaultsOf(backendOptionSpecs) as BackendOptions,
);

/** Zeek's script name of an option, such as `Cluster::Backend::ZeroMQ::xpub_sndhwm`. */
export function zeekOptionName(name: BackendOptionName): string {
  return backendOptionSpecs[name].zeek;
}

/** What an option means, in one sentence. */
export function describeOption(name: BackendOptionName): string {
  return backendOptionSpecs[name].doc;
}

export { SECRET_OPTIONS } from "./curve.js";
export { LOG_SERIALIZERS, type LogSerializer } from "./log-writer.js";
export { EVENT_SERIALIZERS, type EventSerializer } from "./serializers.js";
