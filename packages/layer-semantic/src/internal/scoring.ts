import type { ScoringMethod } from "../types.js";
import type { ExemplarIndex } from "./exemplar-index.js";

/** Per-expert scores for one query, over the experts that can answer. */
export interface ExpertScores {
  /** Expert ids that took part (have rows, are allowed), ascending. */
  readonly experts: readonly number[];
  /** Score of each participating expert (same order), a cosine-like number in [-1,1]. */
  readonly scores: Float64Array;
  /** Row of the expert's nearest exemplar (same order). */
  readonly nearestRow: Int32Array;
  /** Cosine to that nearest exemplar (same order). */
  readonly nearestSimilarity: Float64Array;
}

/** Cosine at which a task counts as the same text as an exemplar (float32 rounding leaves ~1e-7). */
const EXACT_MATCH = 0.9999;

/**
 * Scores every expert for a normalised query.
 *
 * - `max`: cosine to the expert's nearest exemplar.
 * - `centroid`: cosine to the normalised mean of the expert's exemplars.
 * - `knn`: mean cosine of the expert's `k` nearest exemplars (k = 1 is `max`; see
 *   neighboursFor for experts with few exemplars); unlike global k-NN voting it gives every
 *   expert a score, which a softmax and calibration need.
 *
 * For every method, an exemplar identical to the task lifts its expert's score to that
 * exemplar's cosine (see EXACT_MATCH).
 *
 * `excludeRow` leaves one row out (leave-one-out self-calibration) without copying the index.
 */
export function scoreExperts(index: ExemplarIndex, query: Float32Array, method: ScoringMethod, k: number, allowed: ReadonlySet<number> | undefined, excludeRow = -1): ExpertScores {
  const expertCount = index.experts.length;
  const labels = index.labels;
  const best = new Float64Array(expertCount).fill(-Infinity);
  const bestRow = new Int32Array(expertCount).fill(-1);
  const topK = method === "knn" && k > 1 ? new Float64Array(expertCount * k).fill(-Infinity) : undefined;
  const similarities = similaritiesOf(index, query);
  let excludedSimilarity = 0;

  for (let row = 0; row < index.size; row++) {
    const id = labels[row]!;
    if (allowed !== undefined && !allowed.has(id)) continue;
    const similarity = similarities[row]!;
    if (row === excludeRow) {
      excludedSimilarity = similarity;
      continue;
    }
    if (similarity > best[id]!) {
      best[id] = similarity;
      bestRow[id] = row;
    }
    if (topK !== undefined) insertTop(topK, id * k, k, similarity);
  }

  const excludedId = excludeRow >= 0 ? labels[excludeRow]! : -1;
  const experts: number[] = [];
  for (let id = 0; id < expertCount; id++) {
    const rows = index.counts[id]! - (id === excludedId ? 1 : 0);
    if (rows > 0 && (allowed === undefined || allowed.has(id))) experts.push(id);
  }
  const scores = new Float64Array(experts.length);
  const nearestRow = new Int32Array(experts.length);
  const nearestSimilarity = new Float64Array(experts.length);
  experts.forEach((id, position) => {
    nearestRow[position] = bestRow[id]!;
    nearestSimilarity[position] = best[id]!;
    if (method === "max" || (method === "knn" && topK === undefined)) {
      scores[position] = best[id]!;
    } else if (method === "knn") {
      const rows = neighboursFor(k, index.counts[id]! - (id === excludedId ? 1 : 0));
      let sum = 0;
      for (let j = 0; j < rows; j++) sum += topK![id * k + j]!;
      scores[position] = sum / rows;
    } else {
      scores[position] = centroidScore(index, id, query, id === excludedId ? excludeRow : -1, excludedSimilarity);
    }
    // The task is (a duplicate of) a labelled exemplar: that label counts in full, so a single
    // learned correction decides its own text even when k-NN or a centroid would outvote it.
    if (best[id]! >= EXACT_MATCH && scores[position] < best[id]!) scores[position] = best[id]!;
  });
  return { experts, scores, nearestRow, nearestSimilarity };
}

/**
 * Neighbours averaged for an expert with `count` rows: `k`, but at most half its rows (and at
 * least 3). With few exemplars the mean of all of them buries a task that is a near-copy of
 * one: with six exemplars, k = 5 gave a near-copy (cosine 0.92) a margin of 0.17 over the
 * runner-up, k = 3 gives 0.29. Measured on BANKING77 / HWU64 with 5 exemplars per label, k = 3
 * is also 1.6 points more accurate than k = 5; from 10 exemplars on nothing changes.
 */
export function neighboursFor(k: number, count: number): number {
  return Math.min(k, count, Math.max(3, Math.ceil(count / 2)));
}

let useLists = true;

/**
 * Turns the inverted lists off (true: the default) so benchmarks and tests can compare with
 * the column scan in one process. Not part of the package's API.
 */
export function setListSearch(enabled: boolean): void {
  useLists = enabled;
}

/**
 * Cosine of the query with every row: the only O(rows x dimension) work of a route. Sparse
 * vectors go through the inverted lists (cost: the lists of the query's non-zeros); dense
 * ones through the columns. Both give the same numbers, bit for bit (see SparseLists).
 */
function similaritiesOf(index: ExemplarIndex, query: Float32Array): Float64Array {
  const similarities = new Float64Array(index.size);
  const lists = useLists ? index.searchLists() : undefined;
  if (lists !== undefined) lists.accumulate(query, similarities);
  else scanColumns(index, query, similarities);
  return similarities;
}

/**
 * The exact column scan: walks the index column by column and skips zero components of the
 * query, so memory is read sequentially.
 */
export function scanColumns(index: ExemplarIndex, query: Float32Array, similarities: Float64Array): void {
  const size = index.size;
  const capacity = index.capacity;
  const columns = index.columns;
  for (let i = 0; i < index.dimension; i++) {
    const weight = query[i]!;
    if (weight === 0) continue;
    const offset = i * capacity;
    for (let row = 0; row < size; row++) similarities[row]! += columns[offset + row]! * weight;
  }
}

/** Keeps the `k` slots of `topK` from `start` as the k largest values seen, descending. */
function insertTop(topK: Float64Array, start: number, k: number, value: number): void {
  if (value <= topK[start + k - 1]!) return;
  let position = start + k - 1;
  while (position > start && topK[position - 1]! < value) {
    topK[position] = topK[position - 1]!;
    position--;
  }
  topK[position] = value;
}

/**
 * Cosine of the query with the expert's centroid, computed from the running vector sum so
 * nothing is re-averaged per route. Leaving a row out subtracts it algebraically:
 * |s - v|^2 = |s|^2 - 2 s.v + |v|^2.
 */
function centroidScore(index: ExemplarIndex, id: number, query: Float32Array, excludeRow: number, excludedSimilarity: number): number {
  const sum = index.sums[id]!;
  let queryDot = 0;
  let squared = 0;
  for (let i = 0; i < index.dimension; i++) {
    queryDot += sum[i]! * query[i]!;
    squared += sum[i]! * sum[i]!;
  }
  if (excludeRow >= 0) {
    const vector = index.vector(excludeRow);
    let sumDotVector = 0;
    let vectorSquared = 0;
    for (let i = 0; i < index.dimension; i++) {
      sumDotVector += sum[i]! * vector[i]!;
      vectorSquared += vector[i]! * vector[i]!;
    }
    queryDot -= excludedSimilarity;
    squared = squared - 2 * sumDotVector + vectorSquared;
  }
  return squared > 1e-12 ? queryDot / Math.sqrt(squared) : 0;
}
