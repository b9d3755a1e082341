/**
 * `zmqc decode`: frames or a payload (hex, or a file) → what they say, for people. Tries the formats in turn
 * unless told which, and says which one fit.
 */
import { readFileSync } from "node:fs";
import { ZeekJsonFormat, zeekTypeName } from "@zmqc/log-pipeline";
import {
  type DecodedEvent,
  decodeEventMessage,
  decodeLogMessage,
  decodeSubscription,
  eventCodec,
  eventFormats,
  LOG_WRITE_TOPIC,
  type LogBatch,
  logCodec,
  logFormats,
  NETWORK_TIMESTAMP_METADATA,
  valueText,
} from "@zmqc/wire-format";

/** Thrown for input that is not hex, or that no format decodes. */
export class DecodeInputError extends Error {}

/** Parses hex, allowing whitespace, `:` and a `0x` prefix between bytes. */
export function parseHex(text: string): Uint8Array {
  const clean = text.replace(/0x/gi, "").replace(/[\s:,]/g, "");
  if (clean.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(clean)) {
    throw new DecodeInputError(`not hex: '${text.length > 40 ? `${text.slice(0, 40)}…` : text}'`);
  }
  return Uint8Array.from(Buffer.from(clean, "hex"));
}

/** An event as Zeek would write the call: `name(arg, …)`. */
export function eventText(event: DecodedEvent): string {
  const lines = [`${event.name}(${event.args.map(valueText).join(", ")})`];
  for (const entry of event.metadata ?? []) {
    const id = entry.id === NETWORK_TIMESTAMP_METADATA ? "network_timestamp" : `id ${entry.id}`;
    lines.push(`  metadata ${id}: ${valueText(entry.value)}`);
  }
  for (const anomaly of event.anomalies ?? []) lines.push(`  note: ${anomaly}`);
  return lines.join("\n");
}

/** A log batch: its header and each record as one of Zeek's JSON log lines. */
export function logBatchText(batch: LogBatch): string {
  const json = new ZeekJsonFormat();
  const fields = batch.fields.map(
    (field) => `${field.name}:${zeekTypeName(field)}${field.optional ? " &optional" : ""}`,
  );
  const head = `stream ${batch.stream}, writer ${batch.writer}, filter ${batch.filter}, path ${batch.path}, ${batch.records.length} record(s)`;
  const rows = batch.records.map((record) => json.formatRecord(batch.fields, record).trimEnd());
  return [head, `fields: ${fields.join(" ")}`, ...rows].join("\n");
}

/** Decodes one payload in `format`, or in the first format that takes it. */
export function decodePayload(payload: Uint8Array, format?: string): string {
  const formats = format === undefined ? [...eventFormats(), ...logFormats()] : [format];
  const failures: string[] = [];
  for (const name of formats) {
    try {
      if (eventFormats().includes(name)) {
        return `${name} event (${payload.length} bytes)\n${eventText(eventCodec(name).decode(payload))}`;
      }
      if (logFormats().includes(name)) {
        return `${name} log batch (${payload.length} bytes): ${logBatchText(logCodec(name).decode(payload))}`;
      }
      failures.push(`${name}: unknown format (known: ${[...eventFormats(), ...logFormats()].join(", ")})`);
    } catch (error) {
      failures.push(`${name}: ${(error as Error).message}`);
    }
  }
  if (format === undefined && (payload[0] === 0 || payload[0] === 1) && isText(payload.subarray(1))) {
    const { subscribe, prefix } = decodeSubscription(payload);
    return `subscription frame: ${subscribe ? "subscribe" : "unsubscribe"} '${prefix}'`;
  }
  throw new DecodeInputError(`no format decodes these ${payload.length} bytes:\n  ${failures.join("\n  ")}`);
}

/** Decodes a whole message: 4 frames (an event or a log write) or one subscription frame. */
export function decodeFrames(frames: readonly Uint8Array[]): string {
  if (frames.length === 1) return decodePayload(frames[0] as Uint8Array);
  if (frames.length !== 4) throw new DecodeInputError(`a message has 4 frames (or 1), not ${frames.length}`);
  const topic = Buffer.from(frames[0] as Uint8Array).toString("utf8");
  const sender = Buffer.from(frames[1] as Uint8Array).toString("utf8");
  const format = Buffer.from(frames[2] as Uint8Array).toString("utf8");
  const payload = frames[3] as Uint8Array;
  const head = `topic '${topic}', sender '${sender}', format ${format}, ${payload.length} payload bytes`;
  if (topic === LOG_WRITE_TOPIC) {
    return `log message: ${head}\n${logBatchText(decodeLogMessage({ sender, format, payload }))}`;
  }
  return `event message: ${head}\n${eventText(decodeEventMessage({ topic, sender, format, payload }))}`;
}

function isText(bytes: Uint8Array): boolean {
  return bytes.every((byte) => byte >= 0x20 && byte < 0x7f);
}

/** Where `zmqc decode` reads from. */
export interface DecodeInput {
  readonly hex: readonly string[];
  readonly file?: string;
  readonly format?: string;
}

/** What `zmqc decode` prints. */
export function decodeCommand(input: DecodeInput, stdin: () => string): string {
  if (input.file !== undefined) return decodePayload(Uint8Array.from(readFileSync(input.file)), input.format);
  const args =
    input.hex.length === 0 || (input.hex.length === 1 && input.hex[0] === "-") ? [stdin()] : input.hex;
  const frames = args.length === 1 ? (args[0] as string).trim().split(/\n+/) : args;
  if (frames.length === 1 || input.format !== undefined) {
    return decodePayload(parseHex(frames.join("")), input.format);
  }
  return decodeFrames(frames.map(parseHex));
}
