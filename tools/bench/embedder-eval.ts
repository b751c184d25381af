/**
 * Embedder-level accuracy on the evaluation datasets: nearest centroid and
 * 1-nearest-neighbour over the train split, scored on the test split. Vectors are assumed
 * L2-normalised. Shared by the three embedder packages' benches, so their figures are
 * computed the same way.
 */
import type { Embedder } from "@moe-router/core";
import { fullDatasetPath, readDataset, split, type DatasetRow } from "../datasets/load.js";

/** Accuracy and timing of one embedder on one dataset. */
export interface AccuracyResult {
  readonly dataset: string;
  readonly train: number;
  readonly test: number;
  readonly labels: number;
  readonly nearestCentroid: number;
  readonly nearestNeighbour: number;
  /** Mean wall time per text while embedding both splits in batches (ms). */
  readonly msPerText: number;
}

/** Train/test rows of a full dataset, or undefined (with a note) when ../shared is absent. */
export function loadFull(name: "banking77" | "hwu64"): { train: DatasetRow[]; test: DatasetRow[] } | undefined {
  const path = fullDatasetPath(name);
  if (!path) {
    console.log(`(skipped ${name}: full dataset not found; set MOE_DATASETS_DIR)`);
    return undefined;
  }
  const rows = readDataset(path);
  return { train: split(rows, "train"), test: split(rows, "test") };
}

/** Embeds `texts` in batches of `batchSize`, returning vectors and the elapsed time. */
export async function embedAll(embedder: Embedder, texts: readonly string[], batchSize = 64): Promise<{ vectors: Float32Array[]; ms: number }> {
  const vectors: Float32Array[] = [];
  const start = performance.now();
  for (let i = 0; i < texts.length; i += batchSize) vectors.push(...(await embedder.embed(texts.slice(i, i + batchSize))));
  return { vectors, ms: performance.now() - start };
}

/** Packs vectors into one row-major matrix so the similarity loops stay tight. */
function pack(vectors: readonly Float32Array[], dimension: number): Float32Array {
  const matrix = new Float32Array(vectors.length * dimension);
  vectors.forEach((v, i) => matrix.set(v, i * dimension));
  return matrix;
}

function argmaxDot(query: Float32Array, matrix: Float32Array, rows: number, dimension: number): number {
  let best = -1;
  let bestScore = -Infinity;
  for (let r = 0; r < rows; r++) {
    let score = 0;
    const offset = r * dimension;
    for (let k = 0; k < dimension; k++) score += query[k]! * matrix[offset + k]!;
    if (score > bestScore) {
      bestScore = score;
      best = r;
    }
  }
  return best;
}

/** Scores `embedder` on one dataset. `prepare` runs first (e.g. fitting IDF on the train texts). */
export async function evaluate(embedder: Embedder, dataset: string, data: { train: DatasetRow[]; test: DatasetRow[] }): Promise<AccuracyResult> {
  const { dimension } = embedder;
  const train = await embedAll(
    embedder,
    data.train.map((r) => r.text),
  );
  const test = await embedAll(
    embedder,
    data.test.map((r) => r.text),
  );
  const labels = [...new Set(data.train.map((r) => r.label))];
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const centroids = new Float32Array(labels.length * dimension);
  train.vectors.forEach((v, i) => {
    const offset = labelIndex.get(data.train[i]!.label)! * dimension;
    for (let k = 0; k < dimension; k++) centroids[offset + k]! += v[k]!;
  });
  for (let c = 0; c < labels.length; c++) {
    let sum = 0;
    for (let k = 0; k < dimension; k++) sum += centroids[c * dimension + k]! ** 2;
    const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
    for (let k = 0; k < dimension; k++) centroids[c * dimension + k]! *= scale;
  }
  const trainMatrix = pack(train.vectors, dimension);
  let centroidHits = 0;
  let neighbourHits = 0;
  test.vectors.forEach((v, i) => {
    const truth = data.test[i]!.label;
    if (labels[argmaxDot(v, centroids, labels.length, dimension)] === truth) centroidHits++;
    if (data.train[argmaxDot(v, trainMatrix, data.train.length, dimension)]!.label === truth) neighbourHits++;
  });
  return {
    dataset,
    train: data.train.length,
    test: data.test.length,
    labels: labels.length,
    nearestCentroid: centroidHits / data.test.length,
    nearestNeighbour: neighbourHits / data.test.length,
    msPerText: (train.ms + test.ms) / (data.train.length + data.test.length),
  };
}

/** Prints results as a readable table (and the markdown rows the README uses). */
export function printResults(embedderId: string, results: readonly AccuracyResult[]): void {
  console.log(`embedder: ${embedderId}`);
  console.table(
    results.map((r) => ({
      dataset: r.dataset,
      "train/test": `${r.train}/${r.test}`,
      labels: r.labels,
      "nearest centroid": `${(r.nearestCentroid * 100).toFixed(1)}%`,
      "1-NN": `${(r.nearestNeighbour * 100).toFixed(1)}%`,
      "ms/text (batched)": r.msPerText.toFixed(3),
    })),
  );
  for (const r of results) {
    console.log(`| ${r.dataset} | ${r.train}/${r.test} | ${r.labels} | ${(r.nearestCentroid * 100).toFixed(1)}% | ${(r.nearestNeighbour * 100).toFixed(1)}% | ${r.msPerText.toFixed(3)} |`);
  }
}
