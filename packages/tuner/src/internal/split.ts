import { seededRandom as mulberry32 } from "@moe-router/core";

/**
 * Stratified seeded split: from each label, round(share x count) rows go to `held`
 * (at least one when the label has two or more rows and share > 0), the rest to `kept`.
 * Row order inside each part follows the input order.
 */
export function stratifiedSplit<T extends { readonly label: string }>(rows: readonly T[], share: number, seed: number): { kept: T[]; held: T[] } {
  const byLabel = new Map<string, number[]>();
  rows.forEach((row, index) => {
    const list = byLabel.get(row.label);
    if (list) list.push(index);
    else byLabel.set(row.label, [index]);
  });
  const random = mulberry32(seed);
  const heldIndexes = new Set<number>();
  for (const label of [...byLabel.keys()].sort()) {
    const indexes = byLabel.get(label)!;
    // Fisher-Yates with the seeded generator; labels visited in sorted order so the result does not depend on row order of other labels.
    for (let i = indexes.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [indexes[i], indexes[j]] = [indexes[j]!, indexes[i]!];
    }
    let count = Math.round(share * indexes.length);
    if (count === 0 && share > 0 && indexes.length >= 2) count = 1;
    if (count >= indexes.length) count = indexes.length - 1; // keep one row to learn from
    for (const index of indexes.slice(0, Math.max(0, count))) heldIndexes.add(index);
  }
  const kept: T[] = [];
  const held: T[] = [];
  rows.forEach((row, index) => (heldIndexes.has(index) ? held : kept).push(row));
  return { kept, held };
}

/** A seeded shuffle (Fisher-Yates) of a copy of `rows`. */
export function shuffled<T>(rows: readonly T[], seed: number): T[] {
  const copy = [...rows];
  const random = mulberry32(seed ^ 0x9e3779b9);
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}
