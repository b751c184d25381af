/**
 * Similarity-weighted voting of retrieved neighbours, and the scalar features that
 * calibration maps to a confidence.
 */
import type { ConfidenceFeature, Neighbour, Weighting } from "../types.js";

/** The outcome of a vote. */
export interface VoteResult {
  /** Experts with their vote shares, best first; shares sum to 1. */
  readonly ranked: readonly (readonly [expert: string, share: number])[];
  /** Best similarity among each expert's neighbours. */
  readonly bestScore: ReadonlyMap<string, number>;
}

/** Each neighbour's vote: its weight times a function of its similarity. */
function votes(neighbours: readonly Neighbour[], weighting: Weighting, temperature: number): number[] {
  if (weighting === "uniform") return neighbours.map((n) => n.weight);
  if (weighting === "linear") {
    const raw = neighbours.map((n) => n.weight * Math.max(n.score, 0));
    // All similarities <= 0: fall back to counting, rather than dividing by zero.
    return raw.some((v) => v > 0) ? raw : neighbours.map((n) => n.weight);
  }
  // Subtract the best score before exp() so tiny temperatures cannot overflow.
  const top = Math.max(...neighbours.map((n) => n.score));
  return neighbours.map((n) => n.weight * Math.exp((n.score - top) / temperature));
}

/** Votes; `neighbours` must be non-empty. Ties in share go to the closer expert, then by name. */
export function vote(neighbours: readonly Neighbour[], weighting: Weighting, temperature: number): VoteResult {
  const weights = votes(neighbours, weighting, temperature);
  const totals = new Map<string, number>();
  const bestScore = new Map<string, number>();
  let sum = 0;
  neighbours.forEach((n, i) => {
    totals.set(n.expert, (totals.get(n.expert) ?? 0) + weights[i]!);
    bestScore.set(n.expert, Math.max(bestScore.get(n.expert) ?? -Infinity, n.score));
    sum += weights[i]!;
  });
  const ranked = [...totals].map(([expert, total]) => [expert, total / sum] as const);
  ranked.sort((a, b) => b[1] - a[1] || bestScore.get(b[0])! - bestScore.get(a[0])! || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { ranked, bestScore };
}

/** The scalar that calibration turns into a confidence (in [0,1]). */
export function confidenceFeature(result: VoteResult, feature: ConfidenceFeature): number {
  const [winner, share] = result.ranked[0]!;
  const runnerUp = result.ranked[1]?.[1] ?? 0;
  if (feature === "share") return share;
  if (feature === "margin") return share - runnerUp;
  return share * Math.max(0, result.bestScore.get(winner)!);
}
