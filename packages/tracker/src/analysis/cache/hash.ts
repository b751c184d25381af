/**
 * Hashes of event ids for the analysis cache. Outcomes are joined to decisions by id; the
 * cache keeps a 53-bit key (exact as a double, usable as a Map key) plus an independent
 * 32-bit check, 85 bits in all. Two ids with the same key but different checks are a
 * detected collision (the caller falls back to the uncached reader); the same key and check
 * for different ids happens with probability about n² / 2^86 (1e-14 for a million ids).
 */

/** The 53-bit join key and 32-bit check of one event id. */
export interface IdHash {
  key: number;
  check: number;
}

/**
 * Hashes an event id into `out` (reused, so hashing a million ids allocates nothing).
 * Three FNV-1a style passes with different offsets and multipliers over the UTF-16 units.
 */
export function hashId(id: string, out: IdHash): IdHash {
  let a = 0x811c9dc5,
    b = 0x01000193 ^ 0x5bd1e995,
    c = 0x9e3779b9;
  for (let i = 0; i < id.length; i++) {
    const unit = id.charCodeAt(i);
    a = Math.imul(a ^ unit, 0x01000193);
    b = Math.imul(b ^ unit, 0x5bd1e995);
    b ^= b >>> 15;
    c = Math.imul(c ^ unit, 0x85ebca6b);
    c ^= c >>> 13;
  }
  // Final avalanche so that ids differing only in their last characters spread over all bits.
  a = Math.imul(a ^ (a >>> 16), 0x7feb352d);
  a ^= a >>> 15;
  b = Math.imul(b ^ (b >>> 16), 0x846ca68b);
  b ^= b >>> 16;
  c = Math.imul(c ^ (c >>> 16), 0xc2b2ae35);
  c ^= c >>> 16;
  out.key = (a >>> 0) * 2 ** 21 + (b >>> 11);
  out.check = c >>> 0;
  return out;
}
