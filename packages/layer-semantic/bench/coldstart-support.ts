/** Helpers of the cold-start benchmark: the cosine-threshold baseline, embedders, a disk memo. */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Embedder } from "@moe-router/core";

/** A labelled text. */
export interface Labelled {
  readonly text: string;
  readonly label: string;
}

/** What a router said about one test task: its pick and a confidence-like number for ranking. */
export interface Prediction {
  readonly label: string;
  readonly score: number;
}

function normalised(vector: Float32Array): Float32Array {
  let squared = 0;
  for (const value of vector) squared += value * value;
  const out = new Float32Array(vector.length);
  if (squared > 0) for (let i = 0; i < vector.length; i++) out[i] = vector[i]! / Math.sqrt(squared);
  return out;
}

/**
 * The plain cosine-threshold router (how aurelio's semantic-router decides): the label of the
 * exemplar nearest to the task, and that exemplar's cosine as the score; one global threshold
 * on the cosine decides whether to route.
 */
export class CosineRouter {
  private readonly vectors: Float32Array[];
  constructor(
    exemplarVectors: readonly Float32Array[],
    private readonly labels: readonly string[],
  ) {
    this.vectors = exemplarVectors.map(normalised);
  }

  predict(vector: Float32Array): Prediction {
    const query = normalised(vector);
    let best = -Infinity;
    let label = "";
    this.vectors.forEach((exemplar, row) => {
      let dot = 0;
      for (let i = 0; i < query.length; i++) dot += exemplar[i]! * query[i]!;
      if (dot > best) {
        best = dot;
        label = this.labels[row]!;
      }
    });
    return { label, score: Math.max(0, best) };
  }
}

/**
 * The largest share of tasks, taken in descending score order, whose accuracy is still at
 * least `precision`: how much a router could accept at that precision (threshold-free).
 */
export function coverageAtPrecision(predictions: readonly Prediction[], truth: readonly string[], precision: number): number {
  const order = predictions.map((p, i) => ({ score: p.score, right: p.label === truth[i] })).sort((a, b) => b.score - a.score);
  let right = 0;
  let best = 0;
  order.forEach((entry, i) => {
    if (entry.right) right++;
    const next = order[i + 1];
    if (right / (i + 1) >= precision && (next === undefined || next.score < entry.score)) best = (i + 1) / order.length;
  });
  return best;
}

/**
 * The global threshold tuned on validation predictions: the lowest score at which the
 * accepted validation tasks are at least `precision` right (the promise a 0.7 confidence
 * threshold makes), i.e. the most coverage at that precision. Infinity when none reaches it.
 */
export function tuneThreshold(predictions: readonly Prediction[], truth: readonly string[], precision: number): number {
  const order = predictions.map((p, i) => ({ score: p.score, right: p.label === truth[i] })).sort((a, b) => b.score - a.score);
  let right = 0;
  let threshold = Infinity;
  order.forEach((entry, i) => {
    if (entry.right) right++;
    // Only cut between distinct scores, so every task at the threshold is accepted.
    const next = order[i + 1];
    if (right / (i + 1) >= precision && (next === undefined || next.score < entry.score)) threshold = entry.score;
  });
  return threshold;
}

/**
 * An embedder whose vectors are memoised on disk (in the OS temp directory, by embedder id
 * and text), so reruns of the benchmark do not pay for a slow model again. `save()` writes it.
 */
export function diskMemo(embedder: Embedder): Embedder & { save(): void; hits: number; misses: number } {
  const directory = join(tmpdir(), "moe-router-bench");
  const file = join(directory, `${createHash("sha256").update(embedder.id).digest("hex").slice(0, 16)}.jsonl`);
  const memo = new Map<string, Float32Array>();
  if (existsSync(file)) {
    for (const line of readFileSync(file, "utf8").split("\n")) {
      if (!line) continue;
      const [text, base64] = JSON.parse(line) as [string, string];
      const bytes = Buffer.from(base64, "base64");
      memo.set(text, new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)));
    }
  }
  const loaded = memo.size;
  const wrapper = {
    id: embedder.id,
    dimension: embedder.dimension,
    hits: 0,
    misses: 0,
    async embed(texts: readonly string[]) {
      const missing = [...new Set(texts.filter((text) => !memo.has(text)))];
      wrapper.hits += texts.length - missing.length;
      wrapper.misses += missing.length;
      for (let start = 0; start < missing.length; start += 64) {
        const batch = missing.slice(start, start + 64);
        const vectors = await embedder.embed(batch);
        batch.forEach((text, i) => memo.set(text, vectors[i]!));
      }
      return texts.map((text) => memo.get(text)!);
    },
    save() {
      if (memo.size === loaded) return;
      mkdirSync(directory, { recursive: true });
      const lines = [...memo].map(([text, vector]) => JSON.stringify([text, Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString("base64")]));
      writeFileSync(file, `${lines.join("\n")}\n`);
    },
    close: () => embedder.close?.(),
  };
  return wrapper;
}
