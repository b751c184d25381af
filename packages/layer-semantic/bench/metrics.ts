/** Small measurement helpers for the semantic layer's benchmark scripts. */
import { seededRandom, shuffled } from "../src/internal/random.js";

/**
 * Accuracy on the `coverage` share of tasks the layer is most confident about (ties broken
 * by input order): what a cascade threshold that lets that share through would see.
 */
export function accuracyAtCoverage(confidences: readonly number[], correct: readonly boolean[], coverage: number): number {
  const order = confidences.map((confidence, i) => ({ confidence, i })).sort((a, b) => b.confidence - a.confidence || a.i - b.i);
  const kept = Math.max(1, Math.round(order.length * coverage));
  let right = 0;
  for (let j = 0; j < kept; j++) if (correct[order[j]!.i]) right++;
  return right / kept;
}

/** The q-quantile (nearest rank) of a list of numbers. */
export function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
}

/** A seeded random subset of `size` items, in their original order. */
export function seededSample<T>(items: readonly T[], size: number, seed: number): T[] {
  const chosen = new Set(
    shuffled(
      items.map((_, i) => i),
      seededRandom(seed),
    ).slice(0, size),
  );
  return items.filter((_, i) => chosen.has(i));
}

/** Prints rows of equal keys as an aligned text table. */
export function printTable(rows: readonly Record<string, string>[]): void {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(line(columns));
  console.log(`|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`);
  for (const row of rows) console.log(line(columns.map((column) => row[column] ?? "")));
}
