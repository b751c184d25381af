import type { ScoringMethod, SemanticCalibration } from "../types.js";
import { DEFAULT_FEATURE, fitCalibration, type CalibrationSample } from "./calibration.js";
import type { ExemplarIndex } from "./exemplar-index.js";
import { seededRandom, shuffled } from "./random.js";
import { scoreExperts } from "./scoring.js";

/** A calibration and the number of labelled predictions it was fitted on. */
export interface FittedCalibration {
  readonly calibration: SemanticCalibration;
  readonly samples: number;
}

/**
 * Calibrates on the exemplars themselves: each sampled exemplar is routed with itself left
 * out, and calibration is fitted on whether the winner was its own expert. This is the only
 * labelled data a freshly configured layer has, and little of it: the fit is shrunk towards
 * the prior by `priorWeight` pseudo-examples (see fitCalibration), so five or six exemplars
 * per expert give a confidence close to the prior and hundreds give one fitted on them.
 * Returns undefined (use the prior as it is) when fewer than two experts have an exemplar
 * that can be left out.
 */
export function selfCalibrate(
  index: ExemplarIndex,
  scoring: ScoringMethod,
  k: number,
  kind: "platt" | "temperature",
  sampleSize: number,
  seed: number,
  priorWeight: number,
): FittedCalibration | undefined {
  const candidates: number[] = [];
  for (let row = 0; row < index.size; row++) {
    // Descriptions are not tasks; an expert's only row cannot be left out and still win.
    if (index.kinds[row] === "description" || index.counts[index.labels[row]!]! < 2) continue;
    // A zero vector (text without features) is routed to the fallback, never scored.
    if (index.normSquared(row) > 0) candidates.push(row);
  }
  const experts = new Set(candidates.map((row) => index.labels[row]!));
  if (experts.size < 2 || candidates.length < 2) return undefined;
  const rows = shuffled(candidates, seededRandom(seed)).slice(0, sampleSize);
  const samples: CalibrationSample[] = [];
  for (const row of rows) {
    const result = scoreExperts(index, index.vector(row), scoring, k, undefined, row);
    samples.push({ scores: result.scores, truth: result.experts.indexOf(index.labels[row]!) });
  }
  return { calibration: fitCalibration(samples, kind, DEFAULT_FEATURE, priorWeight), samples: samples.length };
}
