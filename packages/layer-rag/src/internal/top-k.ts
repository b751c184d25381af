/**
 * Top-k selection over a score array: a bounded, sorted buffer, because k (about 8) is tiny
 * next to n (thousands), so one pass with rare insertions beats sorting everything.
 */

/** Orders (score desc, id asc): the store contract's "best first, ties by id". */
export function better(scoreA: number, idA: string, scoreB: number, idB: string): boolean {
  return scoreA > scoreB || (scoreA === scoreB && idA < idB);
}

/**
 * Indices of the `k` best rows among `scores[0..count)`, best first.
 * `idOf(row)` breaks ties so that results do not depend on insertion order.
 */
export function topK(scores: Float32Array | Float64Array, count: number, k: number, idOf: (row: number) => string): number[] {
  const size = Math.min(k, count);
  if (size <= 0) return [];
  const rows: number[] = [];
  for (let row = 0; row < count; row++) {
    const score = scores[row]!;
    if (rows.length === size) {
      const last = rows[size - 1]!;
      // Most rows lose to the current k-th best on score alone; only ties pay for id lookups.
      if (score < scores[last]! || (score === scores[last]! && !(idOf(row) < idOf(last)))) continue;
      rows.pop();
    }
    let at = rows.length;
    while (at > 0 && better(score, idOf(row), scores[rows[at - 1]!]!, idOf(rows[at - 1]!))) at--;
    rows.splice(at, 0, row);
  }
  return rows;
}
