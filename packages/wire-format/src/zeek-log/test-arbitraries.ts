// fast-check generators for zeek-bin-serializer log values and batches (used by the tests only; not exported).
import { isUtf8 } from "node:buffer";
import fc from "fast-check";
import { LogValues, logField } from "./build.js";
import {
  LOG_PORT_PROTOCOLS,
  type LogBatch,
  type LogField,
  type LogValue,
  type LogValueType,
} from "./model.js";

type AtomType = Exclude<LogValueType, "set" | "vector">;

const INT32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });

/** Well-formed text (lone surrogates cannot survive UTF-8, so they are not generated). */
const text = fc.string({ unit: "grapheme", maxLength: 16 });
/** Byte strings that are not UTF-8: decoders return these as bytes, everything else as text. */
const nonUtf8 = fc.uint8Array({ minLength: 1, maxLength: 12 }).filter((bytes) => !isUtf8(bytes));
const textOrBytes = fc.oneof(text, nonUtf8);
const identifier = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}(::[A-Za-z_][A-Za-z0-9_]{0,8})?$/);

/** Subtypes: what Zeek writes (VOID), what its doctests use (ERROR), and anything else an int can hold. */
export const subtype = fc.oneof(fc.constant(0), fc.constant(22), INT32);

/** A present value of each atomic type, subtype VOID. */
export const atoms: { readonly [T in AtomType]: fc.Arbitrary<LogValue> } = {
  bool: fc.boolean().map(LogValues.bool),
  int: fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }).map(LogValues.int),
  count: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map(LogValues.count),
  double: fc.double().map(LogValues.double),
  time: fc.double().map((seconds) => LogValues.time(seconds)),
  interval: fc.double().map(LogValues.interval),
  string: textOrBytes.map(LogValues.string),
  enum: identifier.map(LogValues.enum),
  port: fc
    .tuple(fc.integer({ min: 0, max: 65535 }), fc.constantFrom(...LOG_PORT_PROTOCOLS))
    .map(([n, p]) => LogValues.port(n, p)),
  addr: fc.oneof(fc.ipV4(), fc.ipV6()).map(LogValues.addr),
  subnet: fc
    .oneof(
      fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })),
      fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 })),
    )
    .map(([address, length]) => LogValues.subnet(address, length)),
  file: textOrBytes.map(LogValues.file),
  func: textOrBytes.map(LogValues.func),
};

const ATOM_TYPES = Object.keys(atoms) as AtomType[];

/** An unset value: any tag and subtype (Zeek only looks at the tag of a present value). */
const absentAny = fc
  .tuple(INT32, subtype)
  .map(([tag, st]): LogValue => ({ present: false, tag, subtype: st }));

/** Any value, sets and vectors nested up to a few levels, with random subtypes. */
export const logValue: fc.Arbitrary<LogValue> = fc.letrec<{ value: LogValue }>((tie) => ({
  value: fc
    .tuple(
      fc.oneof(
        { depthSize: "small", maxDepth: 5, withCrossShrink: true },
        fc.oneof(...Object.values(atoms), absentAny),
        fc.array(tie("value"), { maxLength: 4 }).map(LogValues.set),
        fc.array(tie("value"), { maxLength: 4 }).map(LogValues.vector),
      ),
      subtype,
    )
    .map(([value, st]) => ({ ...value, subtype: st })),
})).value;

/** A value of a column's type, or unset with the column's tag, as Zeek sends them. */
function columnValue(type: LogValueType, element: AtomType): fc.Arbitrary<LogValue> {
  const elements = fc.array(fc.oneof(atoms[element], fc.constant(LogValues.absent(element))), {
    maxLength: 4,
  });
  const present =
    type === "set"
      ? elements.map(LogValues.set)
      : type === "vector"
        ? elements.map(LogValues.vector)
        : atoms[type];
  return fc.oneof(present, fc.constant(LogValues.absent(type)));
}

interface Column {
  readonly field: LogField;
  readonly values: fc.Arbitrary<LogValue>;
}

const column: fc.Arbitrary<Column> = fc
  .record({
    name: text,
    type: fc.constantFrom<LogValueType>(...ATOM_TYPES, "set", "vector"),
    element: fc.constantFrom(...ATOM_TYPES),
    optional: fc.boolean(),
    secondaryName: fc.option(text, { nil: undefined }),
  })
  .map(({ name, type, element, optional, secondaryName }) => {
    const container = type === "set" || type === "vector";
    const field = logField(name, type, {
      optional,
      ...(container ? { element } : {}),
      ...(secondaryName === undefined ? {} : { secondaryName }),
    });
    return { field, values: columnValue(type, element) };
  });

/** A batch whose records fit its columns (values of the column's type, or unset). */
export const logBatch: fc.Arbitrary<LogBatch> = fc.array(column, { maxLength: 6 }).chain((columns) =>
  fc.record({
    stream: identifier,
    writer: identifier,
    filter: text,
    path: text,
    fields: fc.constant(columns.map((c) => c.field)),
    records:
      columns.length === 0
        ? fc.constant([])
        : fc.array(fc.tuple(...columns.map((c) => c.values)), { maxLength: 5 }),
  }),
);

/** A vector nested `depth` levels deep around an empty vector (for depth-limit tests). */
export function nestedVector(depth: number): LogValue {
  let value: LogValue = LogValues.vector([]);
  for (let i = 0; i < depth; i++) value = LogValues.vector([value]);
  return value;
}
