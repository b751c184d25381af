/**
 * Hashing for feature buckets. FNV-1a over UTF-16 code units with a murmur3 finaliser:
 * fast, allocation-free over a substring range, and identical on every platform, so
 * vectors written by one machine match vectors computed on another.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Murmur3's 32-bit finaliser: spreads FNV's weak low bits across the word. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Starts a hash for a feature kind; the kind tag keeps "w:ab" and "c:ab" apart. */
export function startHash(seed: number, kindTag: number): number {
  return Math.imul((FNV_OFFSET ^ seed ^ kindTag) >>> 0, FNV_PRIME) >>> 0;
}

/** Feeds code units `text[start..end)` into hash `h`. */
export function feedRange(h: number, text: string, start: number, end: number): number {
  let hash = h;
  for (let i = start; i < end; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

/** Feeds one code unit (used for separators and padding). */
export function feedCode(h: number, code: number): number {
  return Math.imul((h ^ code) >>> 0, FNV_PRIME) >>> 0;
}

/** FNV-1a + finaliser of a whole string, as a short hex tag (for ids). */
export function hashTag(text: string): string {
  return mix32(feedRange(FNV_OFFSET, text, 0, text.length))
    .toString(16)
    .padStart(8, "0");
}
