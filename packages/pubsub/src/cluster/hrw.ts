import { fnv1a32 } from "./hash.js";

// The weight function of Zeek's `hrw_weight` BiF (zeek/zeek src/zeek.bif, v8.2.2), the one recommended in
// Thaler & Ravishankar's HRW paper: a = 1103515245, b = 12345, m = 2^31.
const A = 1103515245;
const B = 12345;

/**
 * Zeek's `hrw_weight(key_digest, site_id)`:
 * `d &= 0x7fffffff; rval = (a * ((a * site_id + b) ^ d) + b) % 2^31` with `a * …` and `+ b` wrapping in
 * uint32 (the BiF multiplies an `int` by a `uint32_t`, so the arithmetic is unsigned 32-bit).
 *
 * Only the low 31 bits of the digest and of the site id reach the result (`a` is odd, so `a * x + b` modulo 2^31
 * depends on `x` modulo 2^31 only): the `0x7fffffff` mask changes nothing, and two sites tie for every key
 * exactly when their ids are equal modulo 2^31.
 *
 * @param digest - the key's 32-bit digest (`fnv1a32(key)`); only its low 31 bits count.
 * @param siteId - the site's 32-bit id (`fnv1a32(name + ".0")` for a pool node).
 * @returns the weight, 0 … 2^31-1.
 */
export function hrwWeight(digest: number, siteId: number): number {
  const d = digest & 0x7fffffff;
  const inner = (Math.imul(A, siteId >>> 0) + B) >>> 0;
  const outer = (Math.imul(A, (inner ^ d) >>> 0) + B) >>> 0;
  return outer & 0x7fffffff;
}

/** A site a key can be placed on: anything with a 32-bit id. */
export interface HrwSite {
  readonly siteId: number;
}

/**
 * Zeek's `HashHRW::get_site` (base/utils/hash_hrw.zeek): the site with the highest {@link hrwWeight} for the
 * digest, a tie going to the larger site id, so the answer does not depend on the order of `sites`.
 *
 * @returns the winning site, or `undefined` when `sites` is empty.
 */
export function hrwWinner<S extends HrwSite>(digest: number, sites: Iterable<S>): S | undefined {
  let best: S | undefined;
  let bestWeight = -1;
  for (const site of sites) {
    const weight = hrwWeight(digest, site.siteId);
    if (weight > bestWeight || (weight === bestWeight && site.siteId > (best?.siteId ?? 0))) {
      best = site;
      bestWeight = weight;
    }
  }
  return best;
}

/** A pool node's site id and the alias it was derived from. */
export interface SiteAssignment {
  /** `<name>.<n>`: `.0` unless an earlier node of the pool already has that id. */
  readonly alias: string;
  /** `fnv1a32(alias)`. */
  readonly siteId: number;
}

/**
 * The site id Zeek's `init_pool_node` gives a node joining a pool: `fnv1a32(name + ".0")`, and on a collision
 * with a node already in the pool `.1`, `.2`, … until the id is free.
 *
 * @param name - the node's name.
 * @param taken - the site ids of the nodes already in the pool.
 */
export function assignSiteId(name: string, taken: ReadonlySet<number>): SiteAssignment {
  for (let suffix = 0; ; suffix++) {
    const alias = `${name}.${suffix}`;
    const siteId = fnv1a32(alias);
    if (!taken.has(siteId)) return { alias, siteId };
  }
}
