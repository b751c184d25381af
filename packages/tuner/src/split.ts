import type { EvalRow, EvaluationData } from "./dataset.js";
import { shuffled, stratifiedSplit } from "./internal/split.js";

/** Where the validation rows came from. */
export type ValidationSource = "dataset" | "carved" | "none";

/** Options of {@link evaluationSplit}. */
export interface EvaluationSplitOptions {
  /** Share of each train label carved off as validation when `data.val` is empty. Default 0.1. */
  readonly valShare?: number;
  /** Seed of the carve and of the training order. Default 42. */
  readonly seed?: number;
  /** Carve validation rows when the dataset has none. Default true. */
  readonly carve?: boolean;
}

/** The exact rows {@link evaluate} fits on, tunes on and tests on. */
export interface EvaluationSplit {
  /** Training rows in the (seeded, shuffled) order learners see them. */
  readonly train: readonly EvalRow[];
  readonly val: readonly EvalRow[];
  readonly test: readonly EvalRow[];
  readonly valSource: ValidationSource;
}

/**
 * The train / validation / test rows of an evaluation: the dataset's own validation split,
 * or (when it has none) a stratified, seeded share of each train label; training rows are
 * then shuffled with the same seed (datasets are often sorted by label, and learners that
 * keep a bounded buffer or train online are order-sensitive). `evaluate()` uses exactly
 * this, so a baseline run on these rows (tools/baselines) is comparable.
 */
export function evaluationSplit(data: EvaluationData, options: EvaluationSplitOptions = {}): EvaluationSplit {
  const valShare = options.valShare ?? 0.1;
  const seed = options.seed ?? 42;
  let train = data.train;
  let val = data.val;
  let valSource: ValidationSource = val.length ? "dataset" : "none";
  if (!val.length && (options.carve ?? true)) {
    const split = stratifiedSplit(train, valShare, seed);
    train = split.kept;
    val = split.held;
    valSource = "carved";
  }
  return { train: shuffled(train, seed), val, test: data.test, valSource };
}
