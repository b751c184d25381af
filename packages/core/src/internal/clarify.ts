import type { Clarification, LayerAttempt } from "../types.js";

/** Builds the clarification reason from the attempts that did not decide. */
export function clarify(attempts: readonly LayerAttempt[], margin: number): Clarification {
  if (attempts.length === 0) return { reason: "no_layers" };
  const best = new Map<string, number>();
  let answered = 0;
  for (const attempt of attempts) {
    if (attempt.error || attempt.expert === undefined || attempt.confidence === undefined) continue;
    answered++;
    const seen = best.get(attempt.expert) ?? -1;
    if (attempt.confidence > seen) best.set(attempt.expert, attempt.confidence);
    if (attempt.probabilities) {
      for (const expert in attempt.probabilities) {
        const p = attempt.probabilities[expert]!;
        if (p > (best.get(expert) ?? -1)) best.set(expert, p);
      }
    }
  }
  if (answered === 0) return { reason: "all_layers_failed" };
  const ranked = [...best.entries()].sort((a, b) => b[1] - a[1]);
  const [first, second] = ranked;
  if (first && second && first[1] - second[1] <= margin) {
    return {
      reason: "ambiguous",
      candidates: [first[0], second[0]],
      question: `Should this go to ${first[0]} or ${second[0]}?`,
    };
  }
  return { reason: "low_confidence_cascade", ...(first ? { candidates: [first[0]] } : {}) };
}
