/** Adds `by` (default 1) to the count kept under `key`. */
export function increment(counts: Map<string, number>, key: string, by = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}

/** numerator / denominator, or null when there is nothing to divide by. */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

/** A count map as a plain object, most frequent first (then by name, for stable output). */
export function toRecord(counts: Map<string, number>): Record<string, number> {
  const record: Record<string, number> = {};
  for (const [key, count] of sortedEntries(counts)) record[key] = count;
  return record;
}

/** Entries sorted by count (descending), then key. */
export function sortedEntries(counts: Map<string, number>): [string, number][] {
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Adds every count of `from` into `into`. */
export function addCounts(into: Map<string, number>, from: ReadonlyMap<string, number>): void {
  for (const [key, count] of from) increment(into, key, count);
}
