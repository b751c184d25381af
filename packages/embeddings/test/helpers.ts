import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** A row of the committed mini datasets. */
export interface Row {
  text: string;
  label: string;
  split: string;
}

/** Reads fixtures/datasets/<name>-mini.jsonl (committed; no ../shared needed). */
export function miniDataset(name: "hwu64" | "banking77"): Row[] {
  const path = fileURLToPath(new URL(`../../../fixtures/datasets/${name}-mini.jsonl`, import.meta.url));
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Row);
}

/** Euclidean norm. */
export function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

/** Dot product. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
