/** Shared test data: seeded synthetic clusters and the committed mini datasets. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { hashedEmbedder } from "@moe-router/embeddings";
import { createRandom, gaussian } from "../src/internal/random.js";
import type { HeadInput, TrainingExample } from "../src/index.js";

/** Points around one centre per label, with per-coordinate noise `spread`. */
export function clusters(options: { labels: string[]; perLabel: number[] | number; dimension: number; spread: number; seed: number }): (TrainingExample & { vector: Float32Array })[] {
  const random = createRandom(options.seed);
  const centres = options.labels.map(() => Float32Array.from({ length: options.dimension }, () => gaussian(random)));
  const out: (TrainingExample & { vector: Float32Array })[] = [];
  options.labels.forEach((label, c) => {
    const count = Array.isArray(options.perLabel) ? options.perLabel[c]! : options.perLabel;
    for (let i = 0; i < count; i++) {
      out.push({ label, vector: centres[c]!.map((x) => x + gaussian(random) * options.spread) });
    }
  });
  return out;
}

/** Share of examples whose predicted label is right. */
export function accuracy(predict: (v: HeadInput) => string, examples: readonly TrainingExample[]): number {
  return examples.filter((e) => predict(e.vector) === e.label).length / examples.length;
}

/** One row of the committed mini datasets. */
export interface Row {
  text: string;
  label: string;
  split: string;
}

/** Reads fixtures/datasets/<name>-mini.jsonl. */
export function miniRows(name: "hwu64" | "banking77"): Row[] {
  const path = fileURLToPath(new URL(`../../../fixtures/datasets/${name}-mini.jsonl`, import.meta.url));
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Row);
}

/** The embedder the layer tests use. */
export function testEmbedder() {
  return hashedEmbedder({ dimension: 512 });
}

/** Training examples from mini-dataset rows of one split. */
export function embedRows(rows: readonly Row[], embedder = testEmbedder()): (TrainingExample & { vector: Float32Array })[] {
  const vectors = embedder.embed(rows.map((r) => r.text));
  return rows.map((r, i) => ({ vector: vectors[i]!, label: r.label, text: r.text }));
}
