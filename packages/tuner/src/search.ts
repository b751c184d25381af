import { precisionLowerBound } from "./bounds.js";
import type { BoundMethod, LayerSample, ThresholdSearchOptions } from "./types.js";

/** Defaults of {@link ThresholdSearchOptions}. */
export const DEFAULT_SEARCH_OPTIONS = {
  constraint: "cascade",
  targetPrecision: 0.9,
  confidenceLevel: 0.95,
  bound: "clopper-pearson",
  minSamples: 100,
  minAccepted: 10,
  maxStep: 0.05,
  aggressive: false,
} as const satisfies Required<ThresholdSearchOptions>;

/** Thresholds live on a 0.001 grid so files and tables stay readable. */
const GRID = 1000;

/** Rounds to the threshold grid and clamps to [0,1]. */
export function clampThreshold(value: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`threshold must be a finite number; got ${value}`);
  return Math.min(1, Math.max(0, Math.round(value * GRID) / GRID));
}

/** Largest grid point not above `confidence` (so the sample itself is accepted). */
function gridFloor(confidence: number): number {
  let t = Math.floor(confidence * GRID) / GRID;
  // Floating error can put the product on the next integer; step back so t <= confidence holds.
  if (t > confidence) t = Math.round(t * GRID - 1) / GRID;
  return Math.max(0, t);
}

/** Accepted count, correct count, precision and bound at one threshold. */
export interface OperatingPoint {
  readonly threshold: number;
  readonly accepted: number;
  readonly correct: number;
  readonly precision: number | undefined;
  readonly lowerBound: number;
  /** accepted / samples. */
  readonly coverage: number;
}

/** Precision, bound and coverage of accepting samples with confidence >= `threshold`. */
export function operatingPoint(samples: readonly LayerSample[], threshold: number, options: ThresholdSearchOptions = {}): OperatingPoint {
  const level = options.confidenceLevel ?? DEFAULT_SEARCH_OPTIONS.confidenceLevel;
  const bound = options.bound ?? DEFAULT_SEARCH_OPTIONS.bound;
  let accepted = 0;
  let correct = 0;
  for (const sample of samples) {
    if (sample.confidence >= threshold) {
      accepted++;
      if (sample.correct) correct++;
    }
  }
  return {
    threshold,
    accepted,
    correct,
    precision: accepted ? correct / accepted : undefined,
    lowerBound: precisionLowerBound(bound, correct, accepted, level),
    coverage: samples.length ? accepted / samples.length : 0,
  };
}

/**
 * Smallest accepted count whose bound can reach `target` when every accepted answer is right
 * (e.g. 29 for Clopper-Pearson, target 0.9, level 0.95); `limit + 1` when none up to `limit` can.
 */
export function smallestProvableCount(bound: BoundMethod, target: number, level: number, limit: number): number {
  for (let n = 1; n <= limit; n++) if (precisionLowerBound(bound, n, n, level) >= target) return n;
  return limit + 1;
}

/** Result of {@link searchThreshold}. */
export interface SearchResult {
  /** Lowest threshold that keeps the precision bound at or above the target; 1 when none does. */
  readonly optimum: number;
  readonly reachable: boolean;
  /** Candidates whose bound was computed, highest threshold first. */
  readonly tested: readonly OperatingPoint[];
}

/**
 * Selective classification on one layer: the lowest threshold (largest coverage) whose
 * accepted-precision lower bound is >= the target.
 *
 * Candidates are the grid points at the samples' confidences, tested from the highest down
 * as a fixed sequence (stop at the first failure). Testing in a fixed order keeps the chance
 * of picking a threshold whose true precision is below target at about 1 - confidenceLevel
 * without a multiple-testing correction ("learn then test"). The sequence starts at the first
 * candidate accepting at least `minAccepted` samples and at least as many as a perfect record
 * needs to clear the target ({@link smallestProvableCount}); smaller sets would fail for lack of
 * data and end the sequence before it starts. Where to start depends only on confidences, not
 * on correctness, so the fixed-sequence argument still holds.
 */
export function searchThreshold(samples: readonly LayerSample[], options: ThresholdSearchOptions = {}): SearchResult {
  const target = options.targetPrecision ?? DEFAULT_SEARCH_OPTIONS.targetPrecision;
  const level = options.confidenceLevel ?? DEFAULT_SEARCH_OPTIONS.confidenceLevel;
  const bound = options.bound ?? DEFAULT_SEARCH_OPTIONS.bound;
  // Start where a perfect record could pass: below that a failure says "too few samples", not "imprecise".
  const minAccepted = Math.max(options.minAccepted ?? DEFAULT_SEARCH_OPTIONS.minAccepted, smallestProvableCount(bound, target, level, samples.length));
  const sorted = [...samples].sort((a, b) => b.confidence - a.confidence);
  const tested: OperatingPoint[] = [];
  let optimum: number | undefined;
  let accepted = 0;
  let correct = 0;
  let index = 0;
  while (index < sorted.length) {
    const threshold = gridFloor(sorted[index]!.confidence);
    // Take in every sample at or above this grid point (ties and the rest of the grid cell).
    while (index < sorted.length && sorted[index]!.confidence >= threshold) {
      accepted++;
      if (sorted[index]!.correct) correct++;
      index++;
    }
    if (accepted < minAccepted) continue;
    const lowerBound = precisionLowerBound(bound, correct, accepted, level);
    tested.push({ threshold, accepted, correct, precision: correct / accepted, lowerBound, coverage: accepted / sorted.length });
    if (lowerBound < target) break;
    optimum = threshold;
  }
  return optimum === undefined ? { optimum: 1, reachable: false, tested } : { optimum, reachable: true, tested };
}

/** Moves `before` toward `optimum` by at most `maxStep` (doubled when aggressive); clamps to [0,1]. */
export function boundedStep(before: number, optimum: number, options: ThresholdSearchOptions = {}): number {
  const base = options.maxStep ?? DEFAULT_SEARCH_OPTIONS.maxStep;
  if (!(base >= 0)) throw new RangeError(`maxStep must be >= 0; got ${base}`);
  const step = options.aggressive ? base * 2 : base;
  const start = Math.min(1, Math.max(0, before));
  const delta = Math.max(-step, Math.min(step, optimum - start));
  if (Math.abs(delta) < 1e-12) return start;
  // Round toward `before` so the grid never stretches a move past the step limit; when no grid
  // point lies between `before` and the target, the exact target is used.
  const target = start + delta;
  const rounded = (delta > 0 ? Math.floor(target * GRID + 1e-9) : Math.ceil(target * GRID - 1e-9)) / GRID;
  const inside = delta > 0 ? rounded >= start && rounded <= target : rounded <= start && rounded >= target;
  return Math.min(1, Math.max(0, inside ? rounded : target));
}
