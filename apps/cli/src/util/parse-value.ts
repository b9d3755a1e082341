import { Value, type ZeekValue } from "@zmqc/wire-format";

/** Thrown for a command-line value that does not parse. */
export class ValueSyntaxError extends Error {}

const TYPED = /^(count|int|double|bool|string|addr|subnet|port|time|interval|enum):(.*)$/s;

/**
 * A Zeek value from the command line. `type:text` says the type (`count:5`, `int:-5`, `double:1`,
 * `bool:T`, `string:5`, `addr:10.0.0.1`, `subnet:10.0.0.0/8`, `port:80/tcp`, `time:1700000000.5`,
 * `interval:1.5`, `enum:Log::WRITER_ASCII`); without one it is guessed: `5` count, `-5` int, `1.5` double, `T`/`F`
 * bool, an address, a subnet, `80/tcp` a port, anything else (or `"quoted"`) a string.
 */
export function parseValue(text: string): ZeekValue {
  const typed = TYPED.exec(text);
  try {
    if (typed) return parseTyped(typed[1] as string, typed[2] as string);
    return guess(text);
  } catch (error) {
    if (error instanceof ValueSyntaxError) throw error;
    throw new ValueSyntaxError(`'${text}': ${(error as Error).message}`);
  }
}

function parseTyped(type: string, text: string): ZeekValue {
  switch (type) {
    case "count":
      if (!/^\d+$/.test(text)) throw new ValueSyntaxError(`'${text}' is not a count`);
      return Value.count(BigInt(text));
    case "int":
      if (!/^[-+]?\d+$/.test(text)) throw new ValueSyntaxError(`'${text}' is not an int`);
      return Value.integer(BigInt(text));
    case "double":
    case "time":
    case "interval": {
      const number = Number(text);
      if (text.trim() === "" || !Number.isFinite(number))
        throw new ValueSyntaxError(`'${text}' is not a number`);
      return type === "double"
        ? Value.real(number)
        : type === "time"
          ? Value.time(number)
          : Value.interval(number);
    }
    case "bool":
      if (text !== "T" && text !== "F") throw new ValueSyntaxError(`'${text}' is not a bool (T or F)`);
      return Value.boolean(text === "T");
    case "string":
      return Value.string(text);
    case "addr":
      return Value.address(text);
    case "subnet":
      return Value.subnet(text);
    case "port": {
      const [number, protocol = "unknown"] = text.split("/");
      if (!/^\d+$/.test(number ?? "") || !["tcp", "udp", "icmp", "unknown"].includes(protocol)) {
        throw new ValueSyntaxError(`'${text}' is not a port (like 80/tcp)`);
      }
      return Value.port(Number(number), protocol as "tcp" | "udp" | "icmp" | "unknown");
    }
    default:
      return Value.enum(text);
  }
}

function guess(text: string): ZeekValue {
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"'))
    return Value.string(JSON.parse(text) as string);
  if (/^\d+$/.test(text)) return Value.count(BigInt(text));
  if (/^-\d+$/.test(text)) return Value.integer(BigInt(text));
  if (/^-?\d+\.\d*(e[-+]?\d+)?$/i.test(text)) return Value.real(Number(text));
  if (text === "T" || text === "F") return Value.boolean(text === "T");
  if (/^\d+\/(tcp|udp|icmp|unknown)$/.test(text)) return parseTyped("port", text);
  for (const attempt of [() => Value.address(text), () => Value.subnet(text)]) {
    try {
      return attempt();
    } catch {
      // not that type
    }
  }
  return Value.string(text);
}
