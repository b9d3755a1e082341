import type {
  AddressValue,
  BooleanValue,
  CountValue,
  EnumValue,
  IntegerValue,
  NoneValue,
  PortValue,
  RealValue,
  SetValue,
  StringValue,
  SubnetValue,
  TableValue,
  TimespanValue,
  TimestampValue,
  ValueType,
  VectorValue,
  ZeekEvent,
  ZeekValue,
} from "@zmqc/wire-format";

/** The value each parameter type takes (a record parameter is a `vector`; `any` takes every value). */
export interface ValueByType {
  none: NoneValue;
  boolean: BooleanValue;
  count: CountValue;
  integer: IntegerValue;
  real: RealValue;
  string: StringValue;
  address: AddressValue;
  subnet: SubnetValue;
  port: PortValue;
  timestamp: TimestampValue;
  timespan: TimespanValue;
  enum: EnumValue;
  set: SetValue;
  table: TableValue;
  vector: VectorValue;
  any: ZeekValue;
}

/** A parameter type: one of the value types, or `any`. */
export type ParamType = ValueType | "any";

/** The argument values of a parameter list, position by position. */
export type ArgsOf<P extends readonly ParamType[]> = { readonly [K in keyof P]: ValueByType[P[K]] };

/** An event's name and parameter types: makes typed events and checks received ones, as Zeek does on receipt. */
export interface EventDefinition<P extends readonly ParamType[] = readonly ParamType[]> {
  /** The fully qualified event name, e.g. `Cluster::hello`. */
  readonly name: string;
  readonly params: P;
  /** An event with these arguments, ready to publish. */
  make(...args: ArgsOf<P>): ZeekEvent;
  /** Why received arguments do not fit (Zeek's "Unserialize error …"), or undefined when they do. */
  mismatch(args: readonly ZeekValue[]): string | undefined;
}

/**
 * Declares an event by name and parameter types. Handlers of a definition receive only events whose arguments
 * match exactly (count is not integer, as in Zeek); others are counted as type errors.
 *
 * @example
 * ```ts
 * const hello = defineEvent("Cluster::hello", ["string", "string"]);
 * node.publish(topic, hello.make(Value.string("worker-1"), Value.string(nodeId)));
 * node.on(hello, ([name, id]) => console.log(name.value, id.value));
 * ```
 */
export function defineEvent<const P extends readonly ParamType[]>(
  name: string,
  params: P,
): EventDefinition<P> {
  return {
    name,
    params,
    make: (...args) => ({ name, args: args as readonly ZeekValue[] }),
    mismatch(args) {
      if (args.length !== params.length)
        return `${name} takes ${params.length} arguments, got ${args.length}`;
      for (let i = 0; i < params.length; i++) {
        const expected = params[i];
        const actual = (args[i] as ZeekValue).type;
        if (expected !== "any" && expected !== actual)
          return `${name} parameter #${i + 1} type mismatch, got ${actual}, expecting ${expected}`;
      }
      return undefined;
    },
  };
}
