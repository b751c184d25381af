/**
 * The set of event-id hashes met by a cache walk (53-bit key plus 32-bit check), in typed
 * arrays with open addressing. A `Map` keyed by these numbers held every key as a heap number
 * (about 60 bytes an id and most of a warm analysis's time in hashing); this holds 12 bytes a
 * slot at under half load, and never allocates after construction.
 */
export class IdSet {
  private readonly keys: Float64Array;
  private readonly checks: Uint32Array;
  private readonly mask: number;

  /** Room for `expected` ids (it never grows: the walk knows how many decisions there are). */
  constructor(expected: number) {
    let capacity = 1024;
    while (capacity < expected * 2) capacity *= 2;
    this.keys = new Float64Array(capacity).fill(Number.NaN);
    this.checks = new Uint32Array(capacity);
    this.mask = capacity - 1;
  }

  /**
   * Adds the id; returns -1 when it was new, else the check stored with the same key (equal to
   * `check` for the same id; a different check is a hash collision).
   * @throws RangeError when more ids than announced are added (a bug, never a data problem).
   */
  add(key: number, check: number): number {
    const { keys, mask } = this;
    // The key's low bits are hash output (see hash.ts): they spread over the table as they are.
    let slot = key & mask;
    for (let probes = 0; probes <= mask; probes++) {
      const stored = keys[slot]!;
      if (stored !== stored) {
        keys[slot] = key;
        this.checks[slot] = check;
        return -1;
      }
      if (stored === key) return this.checks[slot]!;
      slot = (slot + 1) & mask;
    }
    throw new RangeError("IdSet is full");
  }
}
