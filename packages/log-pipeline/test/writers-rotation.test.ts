// Rotation names and the rotation schedule. Unit cases are written from zeek/zeek v8.2.2
// scripts/base/frameworks/logging/main.zeek (Log::rotation_format_func), scripts/base/frameworks/cluster/nodes/
// logger.zeek (archiver_rotation_format_func) and src/util.cc (calc_next_rotate); the Zeek suites check names
// and schedules against a real Zeek under a few time zones.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeWithZeek, runZeek } from "@zmqc/zeek-harness";
import { describe, expect, it } from "vitest";
import {
  defaultRotationName,
  formatZeekDate,
  logQueueRotationName,
  nextRotation,
  parseRotationBaseTime,
} from "../src/index.js";
import { onePacketPcap } from "./support/pcap.js";
import { SCRIPTS_DIR } from "./support/zeek-node.js";

const T = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;

describe("rotation names", () => {
  const info = {
    path: "conn",
    open: T("2026-11-25T10:00:05.900Z"),
    close: T("2026-11-25T11:00:00Z"),
    terminating: false,
  };

  it("Zeek 8.2.2's default: <path>.<open %Y-%m-%d-%H-%M-%S>, local time, the open time only", () => {
    expect(defaultRotationName("UTC")(info)).toBe("conn.2026-11-25-10-00-05");
    expect(defaultRotationName("Asia/Kathmandu")(info)).toBe("conn.2026-11-25-15-45-05");
  });

  it("the supervisor's log-queue name: <path>__<open>__<close>__, with metadata k=v,…__", () => {
    expect(logQueueRotationName("UTC")(info)).toBe("conn__2026-11-25-10-00-05__2026-11-25-11-00-00__");
    expect(logQueueRotationName("UTC", { log_suffix: "logger-1" })(info)).toBe(
      "conn__2026-11-25-10-00-05__2026-11-25-11-00-00__log_suffix=logger-1__",
    );
    expect(logQueueRotationName("UTC", { a: "1", skipped: "", b: " 2 " })(info)).toBe(
      "conn__2026-11-25-10-00-05__2026-11-25-11-00-00__a=1,b=2__",
    );
    expect(() => logQueueRotationName("UTC", { "a,b": "1" })).toThrow(
      expect.objectContaining({ code: "CONFIG" }),
    );
    expect(() => logQueueRotationName("UTC", { a: "x=y" })).toThrow(
      expect.objectContaining({ code: "CONFIG" }),
    );
  });

  it("formatZeekDate truncates to whole seconds (time_t), negative times toward zero", () => {
    expect(formatZeekDate(1700000000.999, "UTC")).toBe("2023-11-14-22-13-20");
    expect(formatZeekDate(-0.5, "UTC")).toBe("1970-01-01-00-00-00");
  });
});

describe("nextRotation (calc_next_rotate)", () => {
  it("log_rotate_base_time parses as %H:%M (seconds after midnight); empty means none", () => {
    expect(parseRotationBaseTime("0:00")).toBe(0);
    expect(parseRotationBaseTime("00:30")).toBe(1800);
    expect(parseRotationBaseTime(" 23:59")).toBe(86340);
    expect(parseRotationBaseTime("")).toBe(-1);
    for (const bad of ["24:00", "1:60", "noon", "1"])
      expect(() => parseRotationBaseTime(bad), bad).toThrow(expect.objectContaining({ code: "CONFIG" }));
  });

  it("with the default base 0:00: local midnight plus whole intervals", () => {
    const now = T("2026-11-25T10:20:30.500Z");
    expect(nextRotation(now, HOUR, { timeZone: "UTC" })).toBe(T("2026-11-25T11:00:00Z"));
    expect(nextRotation(now, 24 * HOUR, { timeZone: "UTC" })).toBe(T("2026-11-26T00:00:00Z"));
    expect(nextRotation(now, 7 * 60_000, { timeZone: "UTC" })).toBe(T("2026-11-25T10:23:00Z"));
    // Kathmandu is UTC+05:45: its midnights and hours fall at :15 past UTC hours.
    expect(nextRotation(now, HOUR, { timeZone: "Asia/Kathmandu" })).toBe(T("2026-11-25T11:15:00Z"));
    expect(nextRotation(now, 24 * HOUR, { timeZone: "Asia/Kathmandu" })).toBe(T("2026-11-25T18:15:00Z"));
  });

  it("on a boundary the next one is a whole interval later; with base '' boundaries are multiples since the epoch", () => {
    expect(nextRotation(T("2026-11-25T11:00:00Z"), HOUR, { timeZone: "UTC" })).toBe(
      T("2026-11-25T12:00:00Z"),
    );
    expect(
      nextRotation(T("2026-11-25T10:20:30Z"), 7 * 60_000, { baseTime: "", timeZone: "Asia/Kathmandu" }),
    ).toBe(Math.ceil(T("2026-11-25T10:20:30Z") / 420_000) * 420_000);
    expect(nextRotation(T("2026-11-25T10:20:30Z"), HOUR, { baseTime: "0:30", timeZone: "UTC" })).toBe(
      T("2026-11-25T10:30:00Z"),
    );
  });

  it("bad intervals and base times are ZmqcError CONFIG", () => {
    for (const interval of [0, -1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => nextRotation(0, interval)).toThrow(expect.objectContaining({ code: "CONFIG" }));
    expect(() => nextRotation(0, HOUR, { baseTime: "25:00" })).toThrow(
      expect.objectContaining({ code: "CONFIG" }),
    );
    expect(() => nextRotation(0, HOUR, { timeZone: "Nowhere/Nothing" })).toThrow(
      expect.objectContaining({ code: "CONFIG" }),
    );
  });
});

/** Zeek's calc_next_rotate delays for the intervals of zmqc-next-rotation.zeek, at `now`, under TZ and a base time. */
async function zeekNextRotations(now: number, zone: string, base: string): Promise<[number, number][]> {
  const dir = mkdtempSync(join(tmpdir(), "zmqc-writers-rotation-"));
  try {
    writeFileSync(join(dir, "one.pcap"), onePacketPcap(now / 1000));
    const result = await runZeek(["-b", "-r", "one.pcap", join(SCRIPTS_DIR, "zmqc-next-rotation.zeek")], {
      cwd: dir,
      env: { TZ: zone, ZMQC_BASE_TIME: base },
    });
    expect(result, result.stderr).toMatchObject({ code: 0 });
    return result.stdout
      .trim()
      .split("\n")
      .map((line) => line.split(" ").map(Number) as [number, number]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describeWithZeek("nextRotation = Zeek 8.2.2's calc_next_rotate", () => {
  const cases: [string, string, string][] = [
    ["2026-11-25T10:20:30.500Z", "UTC", "0:00"],
    ["2026-11-25T10:20:30.500Z", "Asia/Kathmandu", "0:00"],
    ["2026-03-29T10:00:00.500Z", "Europe/Berlin", "0:00"], // the day summer time starts
    ["2026-03-29T10:00:00.500Z", "Europe/Berlin", ""],
    ["2026-11-01T12:00:00.250Z", "America/New_York", "0:30"], // the day summer time ends
  ];
  for (const [iso, zone, base] of cases) {
    it(`at ${iso} in ${zone}, base '${base}'`, async () => {
      const now = T(iso);
      const zeek = await zeekNextRotations(now, zone, base);
      expect(zeek).toHaveLength(6);
      for (const [interval, delay] of zeek) {
        const ours = (nextRotation(now, interval * 1000, { timeZone: zone, baseTime: base }) - now) / 1000;
        expect(ours, `interval ${interval}`).toBeCloseTo(delay, 5);
      }
    });
  }
});

describeWithZeek("rotation names = Zeek 8.2.2's", () => {
  const ZONE = "Asia/Kathmandu";

  /** Runs zmqc-rotation.zeek, which rotates zmqc_rot.log at exit; returns the rotated names and the run's window. */
  async function rotate(naming: "default" | "log-queue") {
    const dir = mkdtempSync(join(tmpdir(), "zmqc-writers-rotation-"));
    try {
      const started = Math.floor(Date.now() / 1000);
      const result = await runZeek(["-b", join(SCRIPTS_DIR, "zmqc-rotation.zeek")], {
        cwd: dir,
        env: { TZ: ZONE, ZMQC_ROTATION: naming },
      });
      const ended = Math.ceil(Date.now() / 1000);
      expect(result, result.stderr).toMatchObject({ code: 0, stderr: "" });
      const names = readdirSync(naming === "log-queue" ? join(dir, "log-queue") : dir).filter((n) =>
        n.endsWith(".log"),
      );
      return {
        names,
        seconds: Array.from({ length: ended - started + 3 }, (_, i) => (started - 1 + i) * 1000),
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it("the default: <path>.<open>.log", async () => {
    const { names, seconds } = await rotate("default");
    const ours = seconds.map(
      (open) =>
        `${defaultRotationName(ZONE)({ path: "zmqc_rot", open, close: open, terminating: true })}.log`,
    );
    expect(names).toHaveLength(1);
    expect(ours).toContain(names[0]);
  });

  it("log-queue: <path>__<open>__<close>__log_suffix=logger-1__.log", async () => {
    const { names, seconds } = await rotate("log-queue");
    const namer = logQueueRotationName(ZONE, { log_suffix: "logger-1" });
    const ours = seconds.flatMap((open) =>
      seconds.map((close) => `${namer({ path: "zmqc_rot", open, close, terminating: true })}.log`),
    );
    expect(names).toHaveLength(1);
    expect(ours).toContain(names[0]);
  });
});
