/**
 * A least-recently-used map on top of Map's insertion order: a hit re-inserts the key at
 * the end, so the first key is always the least recently used one.
 */
export class LruMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The value for `key`, marking it most recently used. */
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  /** Stores `value`; returns how many entries were evicted to make room. */
  set(key: K, value: V): number {
    this.entries.delete(key);
    this.entries.set(key, value);
    let evicted = 0;
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as K;
      this.entries.delete(oldest);
      evicted++;
    }
    return evicted;
  }

  clear(): void {
    this.entries.clear();
  }
}
