// Expected values come from outside the code under test:
// - ZEEK: zeek/zeek v8.2.2 testing/btest/scripts/base/utils/hash_hrw.zeek and its baseline
//   (Baseline/scripts.base.utils.hash_hrw/output): HashHRW::get_site over sites with ids 0..4.
// - PY: computed once with Python integers, masking to 32 bits by hand, independently of this code:
//     /usr/bin/python3 -c 'import struct
//     M = 0xffffffff
//     def fnv(b):
//       h = 0x811c9dc5
//       for x in b: h = ((h ^ x) * 0x01000193) & M
//       return h
//     def w(d, s): return ((1103515245 * (((1103515245 * s + 12345) & M) ^ (d & 0x7fffffff)) + 12345) & M) % 2**31
//     def win(k, sites): d = fnv(k); return max(sites, key=lambda s: (w(d, s[1]), s[1]))[0]
//     ws = [(n, fnv((n + ".0").encode())) for n in ["worker-1", "worker-2", "worker-3", "worker-4"]]
//     print(w(0, 0), [(n, s) for n, s in ws], win(b"a", ws), [w(fnv(b"a"), s) for _, s in ws])'
//   The same model reproduces the ZEEK baseline below, which checks the model against Zeek.
import { Value } from "@zmqc/wire-format";
import { describe, expect, it } from "vitest";
import { fnv1a32, hrwKeyDigest } from "./hash.js";
import { assignSiteId, type HrwSite, hrwWeight, hrwWinner } from "./hrw.js";

interface Named extends HrwSite {
  readonly name: string;
}

// PY: fnv1a32(name + ".0").
const WORKERS: readonly Named[] = [
  { name: "worker-1", siteId: 4178617771 },
  { name: "worker-2", siteId: 3162793146 },
  { name: "worker-3", siteId: 603991393 },
  { name: "worker-4", siteId: 3341027376 },
];

const winnerOf = (key: Parameters<typeof hrwKeyDigest>[0], sites: readonly Named[]) =>
  hrwWinner(hrwKeyDigest(key), sites)?.name;

describe("hrwWeight", () => {
  it.each([
    [0, 0, 1406932606],
    [0xffffffff, 0xffffffff, 755013104],
    [0xbf9cf968, 4178617771, 1868349977], // fnv1a32("foobar"), worker-1's site id
    [0x12345678, 0x9abcdef0, 1585481590],
  ])("of digest %i and site %i is %i (PY)", (digest, siteId, weight) => {
    expect(hrwWeight(digest, siteId)).toBe(weight);
  });

  it("gives the weights of key 'a' for the four workers (PY)", () => {
    const digest = fnv1a32("a");
    expect(WORKERS.map((w) => hrwWeight(digest, w.siteId))).toEqual([
      1626009741, 743362164, 1442023835, 678031322,
    ]);
  });

  it("ignores the digest's top bit and stays below 2^31", () => {
    for (const [digest, siteId] of [
      [0x1234, 99],
      [0x7fffffff, 0xffffffff],
      [fnv1a32("x"), 1],
    ] as const) {
      expect(hrwWeight((digest | 0x80000000) >>> 0, siteId)).toBe(hrwWeight(digest & 0x7fffffff, siteId));
      expect(hrwWeight(digest, siteId)).toBeLessThan(2 ** 31);
      expect(hrwWeight(digest, siteId)).toBeGreaterThanOrEqual(0);
    }
  });
});

describe("hrwWinner", () => {
  it("is undefined without sites", () => {
    expect(hrwWinner(123, [])).toBeUndefined();
  });

  // ZEEK: alice..eve have site ids 0..4; charlie (2) is removed before the lookups.
  const alice = { name: "alice", siteId: 0 };
  const bob = { name: "bob", siteId: 1 };
  const dave = { name: "dave", siteId: 3 };
  const eve = { name: "eve", siteId: 4 };
  const keys = ["one", "two", "three", "four", "five", "six", Value.count(1), Value.count(2), Value.count(3)];

  it("matches Zeek's hash_hrw baseline", () => {
    expect(keys.map((key) => winnerOf(key, [alice, bob, dave, eve]))).toEqual([
      "alice",
      "dave",
      "bob",
      "bob",
      "dave",
      "dave",
      "bob",
      "alice",
      "bob",
    ]);
    expect(keys.map((key) => winnerOf(key, [bob, dave, eve]))).toEqual([
      "bob",
      "dave",
      "bob",
      "bob",
      "dave",
      "dave",
      "bob",
      "eve",
      "bob",
    ]);
  });

  it.each([
    ["", "worker-4"],
    ["a", "worker-1"],
    ["foobar", "worker-1"],
    ["10.0.0.1", "worker-3"],
    ["192.168.1.1", "worker-3"],
    ["Intel::cluster_rr_key", "worker-3"],
    ["known-hosts", "worker-2"],
    ["ключ", "worker-2"],
    ["key-0", "worker-4"],
    ["key-1", "worker-4"],
    ["key-2", "worker-1"],
    ["key-3", "worker-3"],
  ])("sends %j to %s among the four workers (PY)", (key, winner) => {
    expect(winnerOf(key, WORKERS)).toBe(winner);
    expect(winnerOf(key, [...WORKERS].reverse())).toBe(winner);
  });

  it("sends non-string keys where Zeek does (PY)", () => {
    expect(winnerOf(Value.count(123), WORKERS)).toBe("worker-3");
    expect(winnerOf(Value.integer(-1), WORKERS)).toBe("worker-2");
    expect(winnerOf(Value.real(1.5), WORKERS)).toBe("worker-3");
    expect(winnerOf(Value.boolean(true), WORKERS)).toBe("worker-1");
    expect(winnerOf(Value.boolean(false), WORKERS)).toBe("worker-1");
  });

  it("moves only the keys of a site that leaves (PY)", () => {
    const without2 = WORKERS.filter((w) => w.name !== "worker-2");
    expect(winnerOf("known-hosts", without2)).toBe("worker-4");
    expect(winnerOf("ключ", without2)).toBe("worker-3");
    expect(winnerOf("key-0", without2)).toBe("worker-4");
    expect(winnerOf("key-3", without2)).toBe("worker-3");
  });

  it("breaks a tie in weight towards the larger site id, whatever the order", () => {
    // Only the low 31 bits of a site id reach the weight (mod 2^31), so s and s + 2^31 always tie.
    const low = { name: "low", siteId: 5 };
    const high = { name: "high", siteId: 5 + 2 ** 31 };
    expect(hrwWeight(7, low.siteId)).toBe(1717306834); // PY
    expect(hrwWeight(7, high.siteId)).toBe(1717306834); // PY
    expect(hrwWinner(7, [low, high])).toBe(high);
    expect(hrwWinner(7, [high, low])).toBe(high);
  });

  it("spreads 10,000 keys evenly over four workers (PY counts)", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) {
      const name = winnerOf(`k${i}`, WORKERS) ?? "";
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    for (const worker of WORKERS) {
      const share = (counts.get(worker.name) ?? 0) / 10_000;
      expect(share).toBeGreaterThanOrEqual(0.2);
      expect(share).toBeLessThanOrEqual(0.3);
    }
    expect(Object.fromEntries(counts)).toEqual({
      "worker-1": 2503,
      "worker-2": 2528,
      "worker-3": 2496,
      "worker-4": 2473,
    });
  });
});

describe("assignSiteId", () => {
  it("is fnv1a32(name + '.0') when that id is free", () => {
    expect(assignSiteId("worker-1", new Set())).toEqual({ alias: "worker-1.0", siteId: 4178617771 });
    expect(assignSiteId("proxy-1", new Set([1]))).toEqual({ alias: "proxy-1.0", siteId: 2719221839 });
  });

  it("moves to '.1', '.2', … on a collision", () => {
    // PY: a birthday search over "n<i>" found fnv1a32("n512789.0") == fnv1a32("n749192.0") == 1473747165;
    // fnv1a32("n749192.1") == 1456969546, fnv1a32("n749192.2") == 1440191927.
    expect(assignSiteId("n512789", new Set()).siteId).toBe(1473747165);
    expect(assignSiteId("n749192", new Set([1473747165]))).toEqual({
      alias: "n749192.1",
      siteId: 1456969546,
    });
    expect(assignSiteId("n749192", new Set([1473747165, 1456969546]))).toEqual({
      alias: "n749192.2",
      siteId: 1440191927,
    });
  });
});
