import { betaQuantile, normalQuantile } from "./internal/special.js";
import type { BoundMethod } from "./types.js";

function checkCounts(successes: number, trials: number, confidenceLevel: number): void {
  if (!Number.isInteger(successes) || !Number.isInteger(trials) || successes < 0 || trials < 0 || successes > trials) {
    throw new RangeError(`precision bound: need integers 0 <= successes <= trials; got ${successes} of ${trials}`);
  }
  if (!(confidenceLevel > 0 && confidenceLevel < 1)) throw new RangeError(`precision bound: confidenceLevel must be in (0,1); got ${confidenceLevel}`);
}

/**
 * One-sided Wilson score lower bound on a binomial proportion: with probability about
 * `confidenceLevel`, the true precision is at least this. Good coverage even for small n.
 * Returns 0 for zero trials.
 */
export function wilsonLowerBound(successes: number, trials: number, confidenceLevel = 0.95): number {
  checkCounts(successes, trials, confidenceLevel);
  if (trials === 0) return 0;
  const z = normalQuantile(confidenceLevel);
  const p = successes / trials;
  const z2n = (z * z) / trials;
  const centre = p + z2n / 2;
  const spread = z * Math.sqrt((p * (1 - p)) / trials + z2n / (4 * trials));
  return Math.max(0, (centre - spread) / (1 + z2n));
}

/**
 * One-sided Clopper-Pearson (exact) lower bound: the `1 - confidenceLevel` quantile of
 * Beta(k, n - k + 1). Never below the nominal coverage, so a little conservative.
 * Returns 0 for zero successes or zero trials.
 */
export function clopperPearsonLowerBound(successes: number, trials: number, confidenceLevel = 0.95): number {
  checkCounts(successes, trials, confidenceLevel);
  if (successes === 0) return 0;
  if (successes === trials) return Math.pow(1 - confidenceLevel, 1 / trials); // closed form of the same quantile
  return betaQuantile(1 - confidenceLevel, successes, trials - successes + 1);
}

/** The lower bound named by `method`. */
export function precisionLowerBound(method: BoundMethod, successes: number, trials: number, confidenceLevel = 0.95): number {
  return method === "wilson" ? wilsonLowerBound(successes, trials, confidenceLevel) : clopperPearsonLowerBound(successes, trials, confidenceLevel);
}
