import type { ScoringMethod, SemanticCalibration } from "../types.js";
import { DEFAULT_FEATURE, fitCalibration, rank, type CalibrationSample } from "./calibration.js";
import type { ExemplarIndex } from "./exemplar-index.js";
import { seededRandom, shuffled } from "./random.js";
import { scoreExperts } from "./scoring.js";

/** Fewest leave-one-out predictions, and fewest wrong ones, that a fit is trusted on. */
const MIN_SAMPLES = 20;
const MIN_WRONG = 3;

/**
 * Calibrates on the exemplars themselves: each sampled exemplar is routed with itself left
 * out, and calibration is fitted on whether the winner was its own expert. This is the only
 * labelled data a freshly configured layer has. Returns undefined (use the prior) when the
 * exemplars cannot support a fit: too few, or almost never confused with each other, which
 * says little about real tasks that resemble no exemplar.
 */
export function selfCalibrate(index: ExemplarIndex, scoring: ScoringMethod, k: number, kind: "platt" | "temperature", sampleSize: number, seed: number): SemanticCalibration | undefined {
  const candidates: number[] = [];
  for (let row = 0; row < index.size; row++) {
    // Descriptions are not tasks; an expert's only row cannot be left out and still win.
    if (index.kinds[row] === "description" || index.counts[index.labels[row]!]! < 2) continue;
    // A zero vector (text without features) is routed to the fallback, never scored.
    if (index.normSquared(row) > 0) candidates.push(row);
  }
  const experts = new Set(candidates.map((row) => index.labels[row]!));
  if (experts.size < 2 || candidates.length < MIN_SAMPLES) return undefined;
  const rows = shuffled(candidates, seededRandom(seed)).slice(0, sampleSize);
  const samples: CalibrationSample[] = [];
  let wrong = 0;
  for (const row of rows) {
    const result = scoreExperts(index, index.vector(row), scoring, k, undefined, row);
    const truth = result.experts.indexOf(index.labels[row]!);
    if (rank(result.scores).winner !== truth) wrong++;
    samples.push({ scores: result.scores, truth });
  }
  if (wrong < MIN_WRONG || samples.length - wrong < MIN_WRONG) return undefined;
  return fitCalibration(samples, kind, DEFAULT_FEATURE);
}
