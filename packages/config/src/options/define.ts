import { z } from "zod";

/** One option: its schema, Zeek's default, Zeek's name for it, and what it means. */
export interface OptionSpec<S extends z.ZodType = z.ZodType> {
  readonly schema: S;
  readonly default: z.output<S>;
  /** The fully qualified Zeek script name, such as `Cluster::Backend::ZeroMQ::xpub_sndhwm`. */
  readonly zeek: string;
  readonly doc: string;
}

/** Declares an option; the spec keeps the schema's type so inferred option types stay precise. */
export function option<S extends z.ZodType>(
  schema: S,
  spec: { default: z.output<S>; zeek: string; doc: string },
): OptionSpec<S> {
  return { schema, ...spec };
}

type Specs = Record<string, OptionSpec>;

/** The metadata every option schema carries: its meaning, Zeek's name and default (also in JSON Schema). */
function metaOf(spec: OptionSpec) {
  return {
    description: `${spec.doc} Zeek: ${spec.zeek}, default ${JSON.stringify(spec.default)}.`,
    zeek: spec.zeek,
    default: spec.default,
  };
}

/** A strict object schema where each option falls back to its (Zeek) default. */
export function schemaWithDefaults<T extends Specs>(specs: T) {
  const shape = Object.fromEntries(
    Object.entries(specs).map(([key, spec]) => [
      key,
      spec.schema.default(spec.default as never).meta(metaOf(spec)),
    ]),
  ) as { [K in keyof T]: z.ZodDefault<T[K]["schema"]> };
  return z.strictObject(shape);
}

/** A strict object schema where every option may be left out: one configuration layer (file, env, …). */
export function layerSchema<T extends Specs>(specs: T) {
  const shape = Object.fromEntries(
    Object.entries(specs).map(([key, spec]) => [key, spec.schema.optional().meta(metaOf(spec))]),
  ) as { [K in keyof T]: z.ZodOptional<T[K]["schema"]> };
  return z.strictObject(shape);
}

/** The defaults of a group of options, as one object. */
export function defaultsOf<T extends Specs>(specs: T): { [K in keyof T]: z.output<T[K]["schema"]> } {
  return Object.fromEntries(Object.entries(specs).map(([key, spec]) => [key, spec.default])) as {
    [K in keyof T]: z.output<T[K]["schema"]>;
  };
}
