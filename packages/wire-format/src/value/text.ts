import type { ZeekValue } from "./model.js";

/**
 * A value as text for people, in Zeek's notation: strings quoted (a string that is not UTF-8 shows its bytes as
 * latin1), `T`/`F`, `80/tcp`, sets in `{}`, vectors in `[]`, tables as `{[key] = value}`, times in epoch seconds,
 * intervals in seconds with their unit. For logs and displays (`zmqc decode` prints events with it), not for
 * parsing back.
 *
 * @example
 * ```ts
 * valueText(Value.vector([Value.string("a"), Value.port(80, "tcp")])); // '["a", 80/tcp]'
 * ```
 */
export function valueText(value: ZeekValue): string {
  switch (value.type) {
    case "none":
      return "<none>";
    case "boolean":
      return value.value ? "T" : "F";
    case "count":
    case "integer":
      return value.value.toString();
    case "real":
      return Number.isInteger(value.value) ? value.value.toFixed(1) : String(value.value);
    case "string":
      return JSON.stringify(
        typeof value.value === "string" ? value.value : Buffer.from(value.value).toString("latin1"),
      );
    case "address":
      return value.value;
    case "subnet":
      return `${value.address}/${value.length}`;
    case "port":
      return `${value.number}/${value.protocol}`;
    case "timestamp":
      return seconds(value.ns);
    case "timespan":
      return `${seconds(value.ns)} secs`;
    case "enum":
      return value.name;
    case "set":
      return `{${value.elements.map(valueText).join(", ")}}`;
    case "vector":
      return `[${value.elements.map(valueText).join(", ")}]`;
    case "table":
      return `{${value.entries.map(([key, item]) => `[${valueText(key)}] = ${valueText(item)}`).join(", ")}}`;
  }
}

/** Nanoseconds as decimal seconds, exactly (no float rounding), at least one decimal. */
function seconds(ns: bigint): string {
  const sign = ns < 0n ? "-" : "";
  const abs = ns < 0n ? -ns : ns;
  const fraction = (abs % 1_000_000_000n).toString().padStart(9, "0").replace(/0+$/, "");
  return `${sign}${abs / 1_000_000_000n}.${fraction === "" ? "0" : fraction}`;
}
