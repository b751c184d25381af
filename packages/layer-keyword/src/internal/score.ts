/**
 * The scoring formula, in one place so README and tests can point at it.
 *
 *   W     = sum of the weights of the rule's distinct terms found in the task
 *   base  = confidence × min(1, W)
 *   boost = min(maxBoost, matchBoost × max(0, W − 1))
 *   score = min(1, base + boost), rounded to 6 decimals
 *
 * One term of weight 1 gives exactly the rule's confidence ("Deploy API" -> 0.86);
 * each further unit of weight adds `matchBoost` (default 0.02) up to `maxBoost`
 * (default 0.06); terms lighter than 1 on their own give proportionally less.
 * A term repeated in the task counts once, so "deploy deploy deploy" is not boosted.
 */
export function ruleScore(confidence: number, matchedWeight: number, matchBoost: number, maxBoost: number): number {
  const base = confidence * Math.min(1, matchedWeight);
  const boost = Math.min(maxBoost, matchBoost * Math.max(0, matchedWeight - 1));
  return roundScore(Math.min(1, base + boost));
}

/** Rounds to 6 decimals so 0.88 + 0.02 reads 0.9, not 0.9000000000000001. */
export function roundScore(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/**
 * Turns each matched expert's best score into a distribution with sum <= 1:
 * scores are kept as they are when they already sum to at most 1, and otherwise
 * divided by their sum (rounded down, so the sum never exceeds 1).
 */
export function toProbabilities(bestByExpert: Record<string, number>): Record<string, number> {
  let sum = 0;
  for (const expert in bestByExpert) sum += bestByExpert[expert]!;
  if (sum <= 1) return bestByExpert;
  for (const expert in bestByExpert) bestByExpert[expert] = Math.floor((bestByExpert[expert]! / sum) * 1e6) / 1e6;
  return bestByExpert;
}
