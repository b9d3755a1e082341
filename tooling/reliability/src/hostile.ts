// Hostile multipart messages, seeded: for a node's receive path (4-frame events), a logger's PULL (4-frame log
// batches) and the broker (anything at all). Each message says which counter a receiver must count it in, when
// that is certain ("msgErrors" for a wrong part count, "formatErrors" for a bad format name, …), or "any" when a
// mutation may or may not still decode (a flipped byte inside a string is a valid event with another value).
import {
  type EventCodec,
  encodeLogFrames,
  eventCodec,
  type LogBatch,
  type LogCodec,
  LogValues,
  logCodec,
  logField,
  Value,
  type ZeekValue,
} from "@zmqc/wire-format";
import type { Prng } from "./prng.js";

/** A hostile message and the counter a receiver must count it in ("any": one of the error counters, or accepted). */
export interface HostileMessage {
  readonly kind: string;
  readonly frames: Buffer[];
  readonly expect: string;
}

/** The largest frame sent: big enough to matter, small enough for a 2-core CI box. */
export const HUGE_FRAME_BYTES = 4 * 1024 * 1024;

const GOOD_EVENT = "Reliability::good";
/** An event name the receiving node takes by name, whatever its arguments. */
export const BAD_EVENT = "Reliability::bad";
export { GOOD_EVENT };

function buf(bytes: Uint8Array | string): Buffer {
  return typeof bytes === "string"
    ? Buffer.from(bytes)
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A few random frames of random (small) sizes. */
function randomFrames(prng: Prng, count: number): Buffer[] {
  return Array.from({ length: count }, () => prng.bytes(prng.int(0, 64)));
}

/** `flips` random bytes of `payload` changed (a copy). */
function flipBytes(prng: Prng, payload: Buffer, flips: number): Buffer {
  const copy = Buffer.from(payload);
  if (copy.length === 0) return copy;
  for (let i = 0; i < flips; i++) {
    const at = prng.int(0, copy.length - 1);
    copy[at] = (copy[at] as number) ^ prng.int(1, 255);
  }
  return copy;
}

/** A copy of `payload` with 4 bytes at a random place set to an extreme length (0xffffffff, 0x7fffffff, 0x80000000, 0). */
function overwriteLength(prng: Prng, payload: Buffer): Buffer {
  const copy = Buffer.from(payload);
  if (copy.length === 0) return copy;
  const at = prng.int(0, copy.length - 1);
  const pattern = prng.pick([
    [0xff, 0xff, 0xff, 0xff],
    [0x7f, 0xff, 0xff, 0xff],
    [0x80, 0, 0, 0],
    [0, 0, 0, 0],
  ]);
  for (let k = 0; k < 4 && at + k < copy.length; k++) copy[at + k] = pattern[k] as number;
  return copy;
}

function nested(depth: number): ZeekValue {
  let value: ZeekValue = Value.count(1);
  for (let i = 0; i < depth; i++) value = Value.vector([value]);
  return value;
}

/** Hostile (and good) events for a node's receive path, all on topics under `topicPrefix`. */
export class EventAttack {
  readonly #prng: Prng;
  readonly #codec: EventCodec;
  readonly #topic: string;
  readonly #sender: Buffer;
  readonly #format: Buffer;
  readonly #victimId: Buffer;
  readonly #samples: Buffer[];

  constructor(
    prng: Prng,
    options: { topicPrefix: string; sender: string; victimId: string; format?: string },
  ) {
    this.#prng = prng;
    this.#codec = eventCodec(options.format ?? "broker-bin-v1");
    this.#topic = options.topicPrefix;
    this.#sender = Buffer.from(options.sender);
    this.#format = Buffer.from(this.#codec.format);
    this.#victimId = Buffer.from(options.victimId);
    this.#samples = [
      this.#encode(BAD_EVENT, [Value.string("a sample"), Value.count(42), Value.real(1.5)]),
      this.#encode(BAD_EVENT, [
        Value.vector([Value.string("x"), Value.integer(-1)]),
        Value.address("10.0.0.1"),
      ]),
      // Not the good event: a flipped byte in its count would make another good event.
      this.#encode(BAD_EVENT, [Value.count(7)]),
    ];
  }

  #encode(name: string, args: readonly ZeekValue[]): Buffer {
    return buf(this.#codec.encode({ name, args }));
  }

  #topicFrame(): Buffer {
    return Buffer.from(`${this.#topic}${this.#prng.int(0, 9)}`);
  }

  /** A valid `Reliability::good(seq)` event. */
  good(seq: number): Buffer[] {
    return [
      Buffer.from(`${this.#topic}good`),
      this.#sender,
      this.#format,
      this.#encode(GOOD_EVENT, [Value.count(seq)]),
    ];
  }

  /** One hostile message, its kind chosen at random. */
  next(): HostileMessage {
    const prng = this.#prng;
    const sample = prng.pick(this.#samples);
    const four = (payload: Buffer, format: Buffer = this.#format, sender: Buffer = this.#sender) => [
      this.#topicFrame(),
      sender,
      format,
      payload,
    ];
    switch (prng.int(0, 12)) {
      case 0:
      case 1: {
        const count = prng.pick([1, 2, 3, 5, 6, 9]);
        return {
          kind: "wrong part count",
          frames: [this.#topicFrame(), ...randomFrames(prng, count - 1)],
          expect: "msgErrors",
        };
      }
      case 2: {
        const format = prng.pick([
          Buffer.from(""),
          Buffer.from("BROKER-BIN-V1"),
          Buffer.from("broker-bin-v2"),
          Buffer.from("broker-json-v1"),
          Buffer.from("zeek-bin-serializer"),
          prng.bytes(prng.int(1, 40)),
        ]);
        // A random format could, once in 2^n, equal ours: then it is not a format error.
        const expect = format.equals(this.#format) ? "any" : "formatErrors";
        return { kind: "bad format name", frames: four(sample, format), expect };
      }
      case 3:
        return {
          kind: "truncated payload",
          frames: four(sample.subarray(0, prng.int(0, sample.length - 1))),
          expect: "any",
        };
      case 4:
        return { kind: "random payload", frames: four(prng.bytes(prng.int(0, 512))), expect: "any" };
      case 5:
        return {
          kind: "flipped bytes",
          frames: four(flipBytes(prng, sample, prng.int(1, 4))),
          expect: "any",
        };
      case 6:
        return { kind: "extreme length field", frames: four(overwriteLength(prng, sample)), expect: "any" };
      case 7: {
        // Big frames: now and then a huge payload or topic (a few MiB), mostly tens of KiB.
        const roll = prng.next();
        if (roll < 0.2)
          return {
            kind: "huge payload",
            frames: four(prng.bytes(prng.int(HUGE_FRAME_BYTES / 4, HUGE_FRAME_BYTES))),
            expect: "any",
          };
        if (roll < 0.3)
          return {
            kind: "huge topic",
            frames: [
              Buffer.concat([Buffer.from(this.#topic), Buffer.alloc(HUGE_FRAME_BYTES, 0x41)]),
              this.#sender,
              this.#format,
              sample,
            ],
            expect: "any",
          };
        return { kind: "big payload", frames: four(prng.bytes(prng.int(4096, 65_536))), expect: "any" };
      }
      case 8: {
        // Valid frames, poisoned values: the good event with arguments of the wrong type or number.
        const args = prng.pick<ZeekValue[]>([
          [Value.string("not a count")],
          [],
          [Value.count(1), Value.count(2)],
          [Value.integer(-5)],
          [Value.real(Number.NaN)],
        ]);
        return {
          kind: "wrong argument types",
          frames: four(this.#encode(GOOD_EVENT, args)),
          expect: "typeErrors",
        };
      }
      case 9:
        return {
          kind: "unknown event",
          frames: four(
            this.#encode(`Evil::${prng.int(0, 1000)}`, [Value.string("x".repeat(prng.int(0, 2000)))]),
          ),
          expect: "unhandledEvents",
        };
      case 10: {
        // Valid frames with extreme values: the node takes them by name.
        const value = prng.pick<ZeekValue>([
          Value.count(2n ** 64n - 1n),
          Value.integer(-(2n ** 63n)),
          Value.real(Number.POSITIVE_INFINITY),
          Value.string(prng.bytes(prng.int(0, 300))),
          Value.string("\u0000\uffff\ud800".repeat(10)),
          nested(prng.int(20, 60)),
          Value.table(
            Array.from({ length: 200 }, (_, i) => [Value.count(i), Value.string(`v${i}`)] as const),
          ),
        ]);
        return { kind: "extreme values", frames: four(this.#encode(BAD_EVENT, [value])), expect: "accepted" };
      }
      case 11:
        return {
          kind: "forged sender = victim",
          frames: four(sample, this.#format, this.#victimId),
          expect: "selfEchoes",
        };
      default:
        // Non-UTF-8 sender: Zeek compares bytes and never decodes it; neither do we.
        return {
          kind: "binary sender",
          frames: four(sample, this.#format, prng.bytes(prng.int(0, 30))),
          expect: "any",
        };
    }
  }
}

const GOOD_FIELDS = [logField("seq", "count"), logField("note", "string")];

/** Hostile (and good) log batches for a logger's PULL. */
export class LogAttack {
  readonly #prng: Prng;
  readonly #codec: LogCodec;
  readonly #sender: string;
  readonly #samples: Buffer[];

  constructor(prng: Prng, options: { sender: string }) {
    this.#prng = prng;
    this.#codec = logCodec("zeek-bin-serializer");
    this.#sender = options.sender;
    this.#samples = [
      this.#batch("sample", [[LogValues.count(1), LogValues.string("s")]]),
      this.#batch("sample", [
        [LogValues.count(2), LogValues.string("t")],
        [LogValues.count(3), LogValues.string("u")],
      ]),
    ];
  }

  #batch(path: string, records: LogBatch["records"], fields: LogBatch["fields"] = GOOD_FIELDS): Buffer {
    return buf(
      this.#codec.encode({
        stream: "Reliability::LOG",
        writer: "Log::WRITER_ASCII",
        filter: "default",
        path,
        fields,
        records,
      }),
    );
  }

  #goodPayload(first: number, count: number): Buffer {
    return this.#batch(
      "good",
      Array.from({ length: count }, (_, i) => [
        LogValues.count(first + i),
        LogValues.string(`good ${first + i}`),
      ]),
    );
  }

  #frames(payload: Buffer, format: string = this.#codec.format): Buffer[] {
    return encodeLogFrames({ sender: this.#sender, format, payload }).map(buf);
  }

  /** A good batch of `count` records to `good.log`, with `seq` from `first`. */
  good(first: number, count: number): Buffer[] {
    return this.#frames(this.#goodPayload(first, count));
  }

  next(): HostileMessage {
    const prng = this.#prng;
    const sample = prng.pick(this.#samples);
    switch (prng.int(0, 10)) {
      case 0:
      case 1: {
        const count = prng.pick([1, 2, 3, 5, 7]);
        return {
          kind: "wrong part count",
          frames: [Buffer.from("log-write"), ...randomFrames(prng, count - 1)],
          expect: "msgErrors",
        };
      }
      case 2:
        return {
          kind: "bad format name",
          frames: this.#frames(
            sample,
            prng.pick(["", "zeek-bin-serializer-v2", "ZEEK-BIN-SERIALIZER", `x${prng.int(0, 1e6)}`]),
          ),
          expect: "formatErrors",
        };
      case 3:
        return {
          kind: "truncated payload",
          frames: this.#frames(sample.subarray(0, prng.int(0, sample.length - 1))),
          expect: "any",
        };
      case 4:
        return { kind: "random payload", frames: this.#frames(prng.bytes(prng.int(0, 512))), expect: "any" };
      case 5:
        return {
          kind: "flipped bytes",
          frames: this.#frames(flipBytes(prng, sample, prng.int(1, 4))),
          expect: "any",
        };
      case 6:
        return prng.next() < 0.2
          ? {
              kind: "huge payload",
              frames: this.#frames(prng.bytes(prng.int(HUGE_FRAME_BYTES / 4, HUGE_FRAME_BYTES))),
              expect: "any",
            }
          : { kind: "big payload", frames: this.#frames(prng.bytes(prng.int(4096, 65_536))), expect: "any" };
      case 7: {
        // Valid frames, poisoned path: a logger must refuse to write outside its directory.
        const path = prng.pick(["../escaped", "/etc/zmqc-evil", "a/b", "..", "", "nul\u0000byte"]);
        return {
          kind: "path traversal",
          frames: this.#frames(this.#batch(path, [[LogValues.count(1), LogValues.string("x")]])),
          expect: "writeErrors",
        };
      }
      case 10:
        return {
          kind: "extreme length field",
          frames: this.#frames(overwriteLength(prng, sample)),
          expect: "any",
        };
      case 8:
        // Valid frames, poisoned columns: `good` with other columns than its file's header.
        return {
          kind: "columns differ from the file's",
          frames: this.#frames(this.#batch("good", [[LogValues.string("x")]], [logField("other", "string")])),
          expect: "writeErrors",
        };
      default: {
        // Valid frames with awkward values, written to their own file.
        const value = prng.pick([
          LogValues.string(prng.bytes(prng.int(0, 200))),
          LogValues.string("tab\there\nnewline\\backslash,comma"),
          LogValues.string("x".repeat(prng.int(1000, 100_000))),
        ]);
        return {
          kind: "awkward values",
          frames: this.#frames(this.#batch("awkward", [[LogValues.count(prng.int(0, 1e9)), value]])),
          expect: "accepted",
        };
      }
    }
  }
}
