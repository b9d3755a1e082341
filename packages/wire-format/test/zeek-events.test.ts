// broker-bin-v1 against a real Zeek 8.2.2 (ZeroMQ cluster backend), over raw zeromq.js sockets on 127.0.0.1.
//
// Zeek → zmqc: Zeek publishes one event per value type (test/zeek/scripts/publish-*.zeek); we decode each one to
// the exact typed values and re-encode Zeek's exact bytes. The payloads are saved in
// conformance/captured-zeek-8.2.2.json: ZMQC_RECAPTURE=1 rewrites it, otherwise any drift fails.
//
// zmqc → Zeek: we encode the same values and Zeek prints what it read (receive-values.zeek) and whether that
// renders like its own literal; Zeek rejects a count sent to an int parameter, and an integer sent to a count.
//
// Without Zeek the live tests skip visibly; the saved vectors are still checked.
import {
  BROKER_BIN_V1,
  type DecodedEvent,
  decodeBrokerBinEvent,
  decodeEventFrames,
  decodeSubscription,
  type EventMessage,
  encodeBrokerBinEvent,
  encodeEventFrames,
  encodeSubscription,
  type SubscriptionFrame,
  Value,
  type ZeekEvent,
  type ZeekValue,
} from "@zmqc/wire-format";
import { describeWithZeek } from "@zmqc/zeek-harness";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type CapturedVector, RECAPTURE, readCaptured, writeCaptured } from "./zeek/captured.js";
import { CATALOG, type CatalogEvent, METADATA_EVENT } from "./zeek/catalog.js";
import {
  connectPublisher,
  connectSubscriber,
  startZeekManager,
  whileZeekRuns,
  type ZeekExit,
  type ZeekManager,
} from "./zeek/zeek-cluster.js";

/** Topics of scripts/zmqc-values.zeek (ZmqcTest::values_topic, ZmqcTest::to_zeek_topic). */
const VALUES_TOPIC = "zmqc.test.values.";
const TO_ZEEK_TOPIC = "zmqc.test.to-zeek.";
const SENDER = `zmqc-wire-format-test_${process.pid}`;
/** Bound on each socket receive/send, and on Zeek's exit once it has been told to stop. */
const STEP_TIMEOUT_MS = 10_000;
const SOURCE_SCRIPT = "packages/wire-format/test/zeek/scripts";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const zeekName = (name: string) => `ZmqcTest::${name}`;

/** Plain Uint8Array copies of byte strings, so a decoded Buffer view compares equal to a Uint8Array. */
function plain(value: ZeekValue): ZeekValue {
  switch (value.type) {
    case "string":
      return typeof value.value === "string" ? value : Value.string(Uint8Array.from(value.value));
    case "set":
      return Value.set(value.elements.map(plain));
    case "vector":
      return Value.vector(value.elements.map(plain));
    case "table":
      return Value.table(value.entries.map(([k, v]) => [plain(k), plain(v)] as const));
    default:
      return value;
  }
}

/** One Zeek → zmqc message, decoded. */
interface Capture {
  readonly message: EventMessage;
  readonly event: DecodedEvent;
  /** A copy of frame 3 exactly as Zeek wrote it. */
  readonly payload: Uint8Array;
  /** The publish script it came from. */
  readonly script: string;
}

interface CaptureRun {
  readonly captures: Capture[];
  readonly exit: ZeekExit;
}

/**
 * Starts a Zeek manager running `script`, subscribes to the values topic from an XSubscriber connected to its
 * proxy XPUB, collects every event until ZmqcTest::end_of_values, then unsubscribes (Zeek terminates on that) and
 * waits for Zeek to exit.
 */
async function captureFromZeek(script: string): Promise<CaptureRun> {
  const zeek = await startZeekManager(script);
  const subscriber = connectSubscriber(zeek, STEP_TIMEOUT_MS);
  try {
    await whileZeekRuns(zeek, "subscribing", subscriber.send(encodeSubscription(VALUES_TOPIC)));
    const captures: Capture[] = [];
    for (;;) {
      const frames = await whileZeekRuns(
        zeek,
        `${script}: waiting for event #${captures.length + 1}`,
        subscriber.receive(),
      );
      const message = decodeEventFrames(frames);
      const event = decodeBrokerBinEvent(message.payload);
      if (event.name === zeekName("end_of_values")) {
        expect(event.args, "end_of_values counts the events before it").toEqual([
          Value.count(captures.length),
        ]);
        break;
      }
      captures.push({ message, event, payload: Uint8Array.from(message.payload), script });
    }
    await whileZeekRuns(zeek, "unsubscribing", subscriber.send(encodeSubscription(VALUES_TOPIC, false)));
    const exit = await zeek.waitForExit(STEP_TIMEOUT_MS);
    return { captures, exit };
  } finally {
    subscriber.close();
    await zeek.dispose();
  }
}

function toVector(capture: Capture, entry: { name: string; zeek: string; note?: string }): CapturedVector {
  const roundtrip = hex(encodeBrokerBinEvent(capture.event)) === hex(capture.payload);
  const how = `${SOURCE_SCRIPT}/${capture.script}, Cluster::publish of ${zeekName(entry.name)}`;
  return {
    id: `zeek-8.2.2/broker-bin-v1/${entry.name}`,
    format: "broker-bin-v1",
    kind: "event",
    expect: roundtrip ? "roundtrip" : "decode",
    source: `captured from Zeek 8.2.2 (${how})`,
    description: `${zeekName(entry.name)}(${entry.zeek})${entry.note === undefined ? "" : `, ${entry.note}`}`,
    hex: hex(capture.payload),
  };
}

/** The fields of a vector that a capture must reproduce (descriptions are documentation). */
const substance = ({ id, format, kind, expect, hex }: CapturedVector) => ({ id, format, kind, expect, hex });

describeWithZeek("broker-bin-v1, Zeek 8.2.2 → zmqc", () => {
  let values: CaptureRun;
  let stamped: CaptureRun;

  beforeAll(async () => {
    // Two independent Zeek managers on their own ports, one without metadata and one with network timestamps.
    // allSettled: neither Zeek is left running when the other one fails.
    const runs = await Promise.allSettled([
      captureFromZeek("publish-values.zeek"),
      captureFromZeek("publish-metadata.zeek"),
    ]);
    for (const run of runs) if (run.status === "rejected") throw run.reason;
    [values, stamped] = runs.map((run) => (run as PromiseFulfilledResult<CaptureRun>).value) as [
      CaptureRun,
      CaptureRun,
    ];
  });

  it("Zeek published every catalog event, in order, from a manager that exited cleanly", () => {
    for (const run of [values, stamped]) {
      expect(run.exit, run.exit.stderr).toMatchObject({ code: 0, signal: null, stdout: "" });
      // terminate() makes Zeek say so; nothing else may appear (no reporter errors or warnings).
      expect(run.exit.stderr).toBe("received termination signal\n");
    }
    expect(values.captures.map(({ event }) => event.name)).toEqual(CATALOG.map(({ name }) => zeekName(name)));
    expect(stamped.captures.map(({ event }) => event.name)).toEqual([zeekName(METADATA_EVENT.name)]);
    for (const { message } of [...values.captures, ...stamped.captures]) {
      expect(message.topic).toBe(VALUES_TOPIC);
      expect(message.format).toBe(BROKER_BIN_V1);
      expect(message.sender).toMatch(/^zeromq_manager_.+_\d+_N[0-9a-zA-Z]+$/);
    }
  });

  it.each(CATALOG.map((entry, index) => [entry.name, index, entry] as const))(
    "%s decodes to the exact typed values",
    (_name, index, entry: CatalogEvent) => {
      const { event } = values.captures[index] as Capture;
      expect(event.name).toBe(zeekName(entry.name));
      // Zeek ≥ 8 sends no metadata vector unless asked to, and nothing Zeek sends is anomalous.
      expect(event.metadata).toBeUndefined();
      expect(event.anomalies).toBeUndefined();
      expect(event.args.map(plain)).toEqual(entry.args);
    },
  );

  it("network-timestamp metadata decodes to [[1, timestamp]], with the time Zeek pinned", () => {
    const [capture] = stamped.captures as [Capture];
    expect(capture.event.args).toEqual(METADATA_EVENT.args);
    expect(capture.event.metadata).toEqual([{ id: 1n, value: METADATA_EVENT.networkTimestamp }]);
    expect(capture.event.anomalies).toBeUndefined();
    // 1700000000.25 s in double precision is 1700000000249999872 ns, not …250000000.
    expect(METADATA_EVENT.networkTimestamp.ns).toBe(1_700_000_000_249_999_872n);
  });

  it("our encoder writes Zeek's exact bytes again for every captured payload", () => {
    const differences = [...values.captures, ...stamped.captures]
      .map(({ event, payload }) => ({
        name: event.name,
        zeek: hex(payload),
        zmqc: hex(encodeBrokerBinEvent(event)),
      }))
      .filter(({ zeek, zmqc }) => zeek !== zmqc);
    expect(differences).toEqual([]);
  });

  it("the capture equals conformance/captured-zeek-8.2.2.json (ZMQC_RECAPTURE=1 rewrites it)", () => {
    const vectors = [
      ...values.captures.map((capture, index) => toVector(capture, CATALOG[index] as CatalogEvent)),
      ...stamped.captures.map((capture) => toVector(capture, METADATA_EVENT)),
    ];
    if (RECAPTURE) writeCaptured(vectors);
    expect(readCaptured().map(substance)).toEqual(vectors.map(substance));
  });
});

/** An event we send to receive-values.zeek, and what Zeek makes of it. */
interface Sent {
  readonly event: ZeekEvent;
  /** The line Zeek prints for it; for an event Zeek rejects, the reporter error it logs instead. */
  readonly zeek: { readonly line: string } | { readonly error: string };
}

const catalogArgs = (name: string) => (CATALOG.find((entry) => entry.name === name) as CatalogEvent).args;
const sent = (
  name: string,
  args: readonly ZeekValue[],
  zeek: Sent["zeek"],
  metadata?: ZeekEvent["metadata"],
) => ({ event: { name: zeekName(name), args, metadata }, zeek }) satisfies Sent;
/** receive-values.zeek prints `<event>|<rendering>|same` when what it read renders like its own literal. */
const same = (name: string, rendering: string) =>
  sent(name, catalogArgs(name), { line: `${name}|${rendering}|same` });

const DOUBLES = "1.5,-0,inf,-inf,nan,-1.5966722476277758e+293,1.0000000000000001e+300,0.10000000000000001";
const SUBNETS = "10.0.0.0/8,2001:db8::/32,192.168.1.0/24,2001:db8::/64,0.0.0.0/0";

/** Our events, in sending order, with Zeek's rendering of what it read (sets and tables sorted as strings). */
const TO_ZEEK: readonly Sent[] = [
  same("bools", "T,F"),
  same("counts", "0,42,18446744073709551615"),
  same("ints", "-42:int,42:int,-9223372036854775808,9223372036854775807"),
  // The subnormal is the value Zeek's own 5e-324 turns into on the wire (see catalog.ts) …
  same("doubles", DOUBLES),
  // … and 5e-324 itself: we write the same fcd0000000000000 Zeek writes, so Zeek reads the same number.
  sent("doubles", catalogArgs("doubles").with(5, Value.real(5e-324)), { line: `doubles|${DOUBLES}|same` }),
  same("strings", String.raw`"hello","gr\xc3\xbc\xc3\x9fe \xe2\x9c\x93","a\x00\xffb":4,""`),
  same("addrs", "192.0.2.1,2001:db8::1,::1,1.2.3.4:v4=T"),
  same("subnets", SUBNETS),
  // The same subnets with their host bits set on the wire (Value.subnet would mask them): Zeek masks them.
  sent(
    "subnets",
    [
      { type: "subnet", address: "10.1.2.3", length: 8 },
      { type: "subnet", address: "2001:db8:ffff::", length: 32 },
      { type: "subnet", address: "192.168.1.77", length: 24 },
      { type: "subnet", address: "2001:db8::1", length: 64 },
      { type: "subnet", address: "255.255.255.255", length: 0 },
    ],
    { line: `subnets|${SUBNETS}|same` },
  ),
  same("ports", "443/tcp,53/udp,8/icmp,0/unknown,65535/tcp"),
  // %.9f of double(1700000000123456000 ns) / 1e9, as for Zeek's own double_to_time(1700000000.123456).
  same("times", "1700000000.123456001,1.5,-135,0"),
  same("enums", "Cluster::WORKER:Cluster::NodeType,tcp:transport_proto"),
  same("string_set", '{"","B","a","aa","b","c"}'),
  same("addr_set", "{1.2.3.4,10.0.0.1,2001:db8::1,::1}"),
  same("subnet_set", "{0.0.0.0/0,10.0.0.0/16,10.0.0.0/8,10.1.0.0/16,2001:db8::/32,::/0}"),
  same("port_set", "{0/unknown,443/tcp,53/udp,65535/tcp,8/icmp,80/tcp,80/udp}"),
  same("composite_set", '{["",0],["a",10],["a",2],["b",1]}'),
  same("count_table", '{""=0,"aa"=3,"x"=1,"y"=2}'),
  same("set_table", '{10={"a"},1={"x","y"},2={}}'),
  same("composite_table", '{[10.0.0.1,53/udp]="dns",[10.0.0.1,80/tcp]="web",[2001:db8::1,443/tcp]="tls"}'),
  same("string_vector", '["b","a","","b"]'),
  same("nested_vector", "[[1, 2], [], [3]]"),
  same(
    "record_arg",
    "[name=x, n=1, opt=<uninitialized>, d=5, inner=[a=7, b=<uninitialized>], vec=[p, q], at=<uninitialized>]",
  ),
  same("no_args", ""),
  // count ≠ int, both ways: an int parameter takes integers only, a count parameter counts only.
  sent("int_arg", [Value.integer(42)], { line: "int_arg|42:int" }),
  sent("int_arg", [Value.integer(-7)], { line: "int_arg|-7:int" }),
  sent("int_arg", [Value.count(42)], {
    error:
      "Unserialize error for event 'ZmqcTest::int_arg': broker value '42' type 'count' to Zeek type 'int int' failed",
  }),
  sent("counts", [Value.integer(0), Value.count(42), Value.count(1)], {
    error:
      "Unserialize error for event 'ZmqcTest::counts': broker value '0' type 'integer' to Zeek type 'count count' failed",
  }),
  sent("with_metadata", METADATA_EVENT.args, { line: 'with_metadata|"stamped",[1700000000.25]|same' }, [
    { id: 1n, value: METADATA_EVENT.networkTimestamp },
  ]),
  sent("done", [], { line: "done" }),
];

/** A payload as Zeek's reporter prints it: printable ASCII as is, every other byte as `\xNN`. */
function zeekEscape(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) =>
    byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, "0")}`,
  ).join("");
}

describeWithZeek("broker-bin-v1, zmqc → Zeek 8.2.2", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("Zeek reads every value type we encode, and rejects a count for an int and an integer for a count", async () => {
    const zeek: ZeekManager = await startZeekManager("receive-values.zeek");
    cleanups.push(() => zeek.dispose());
    const publisher = connectPublisher(zeek, STEP_TIMEOUT_MS);
    cleanups.push(() => publisher.close());

    // XPUB drops messages nobody subscribed to: wait until Zeek's subscription reaches our XPublisher.
    const seen: SubscriptionFrame[] = [];
    while (!seen.some((s) => s.subscribe && s.prefix === TO_ZEEK_TOPIC)) {
      const [frame] = await whileZeekRuns(zeek, "waiting for Zeek's subscription", publisher.receive());
      seen.push(decodeSubscription(frame as Uint8Array));
    }

    const errors: string[] = [];
    for (const { event, zeek: outcome } of TO_ZEEK) {
      const payload = encodeBrokerBinEvent(event);
      const frames = encodeEventFrames({
        topic: TO_ZEEK_TOPIC,
        sender: SENDER,
        format: BROKER_BIN_V1,
        payload,
      });
      await whileZeekRuns(zeek, `sending ${event.name}`, publisher.send(frames));
      if ("error" in outcome) {
        errors.push(`error: ${outcome.error}`);
        errors.push(`error: Failed to unserialize message: ${TO_ZEEK_TOPIC}: ${zeekEscape(payload)}`);
      }
    }
    // ZmqcTest::done makes Zeek terminate: everything before it has been handled by then.
    const exit = await zeek.waitForExit(STEP_TIMEOUT_MS);

    expect(exit.code, exit.stderr).toBe(0);
    expect(exit.stdout.split("\n").filter((line) => line !== "")).toEqual(
      TO_ZEEK.flatMap(({ zeek: outcome }) => ("line" in outcome ? [outcome.line] : [])),
    );
    expect(exit.stderr.split("\n").filter((line) => line !== "")).toEqual([
      ...errors,
      "received termination signal",
    ]);
  });
});

describe("captured Zeek 8.2.2 vectors (conformance/captured-zeek-8.2.2.json)", () => {
  const saved = readCaptured();
  const expected = new Map<string, { args: readonly ZeekValue[]; metadata?: unknown }>([
    ...CATALOG.map((entry) => [`zeek-8.2.2/broker-bin-v1/${entry.name}`, { args: entry.args }] as const),
    [
      `zeek-8.2.2/broker-bin-v1/${METADATA_EVENT.name}`,
      { args: METADATA_EVENT.args, metadata: [{ id: 1n, value: METADATA_EVENT.networkTimestamp }] },
    ],
  ]);

  it("holds one vector per catalog event", () => {
    expect(saved.map(({ id }) => id)).toEqual([...expected.keys()]);
  });

  it.each(saved.map((vector) => [vector.id, vector] as const))("%s", (_id, vector) => {
    const bytes = Buffer.from(vector.hex, "hex");
    const event = decodeBrokerBinEvent(bytes);
    const want = expected.get(vector.id);
    expect(event.args.map(plain)).toEqual(want?.args);
    expect(event.metadata).toEqual(want?.metadata);
    if (vector.expect === "roundtrip") expect(hex(encodeBrokerBinEvent(event))).toBe(vector.hex);
    else expect(hex(encodeBrokerBinEvent(event))).not.toBe(vector.hex);
  });
});
