import { applyPlatt, ErrorCode, expectedCalibrationError, fitPlatt, fitTemperature, isMoeRouterError, MoeRouterError, softmax } from "@moe-router/core";
import type { CalibrationFeature, SemanticCalibration } from "../types.js";
import { fitLogistic2, sigmoid } from "./logistic.js";

/** Winner and runner-up positions in a score array (runner-up -1 when there is one score). */
export interface Ranking {
  readonly winner: number;
  readonly runnerUp: number;
  readonly top: number;
  /** top minus runner-up score; top minus 0 when there is no runner-up (a lone expert). */
  readonly margin: number;
}

/** Ranks scores; ties keep the lower position, so results are deterministic. */
export function rank(scores: ArrayLike<number>): Ranking {
  let winner = -1;
  let runnerUp = -1;
  for (let i = 0; i < scores.length; i++) {
    if (winner < 0 || scores[i]! > scores[winner]!) {
      runnerUp = winner;
      winner = i;
    } else if (runnerUp < 0 || scores[i]! > scores[runnerUp]!) {
      runnerUp = i;
    }
  }
  const top = winner >= 0 ? scores[winner]! : 0;
  return { winner, runnerUp, top, margin: top - (runnerUp >= 0 ? scores[runnerUp]! : 0) };
}

/**
 * Default Platt feature. Margin and margin+top calibrate alike on BANKING77 and HWU64 (ECE
 * within 0.003, same accuracy at coverage); the top score adds what the margin cannot see: a
 * task far from every exemplar ("Hello") gets a low confidence even when one expert leads.
 */
export const DEFAULT_FEATURE: CalibrationFeature = "margin+top";

/**
 * Used when no labelled data can support a fit (a handful of exemplars that never confuse
 * each other). Platt on the margin with a gentle slope: a tie reads as 0.33, a margin of 0.1
 * as 0.57, 0.3 as 0.91. Fits on real data are steeper (a = 35 to 50 with k-NN scoring on the
 * default exemplars and both datasets), so this errs low on purpose: an uncalibrated layer
 * should escalate rather than claim certainty.
 */
export const PRIOR_CALIBRATION: SemanticCalibration = { kind: "platt", feature: "margin", a: 10, b: -0.7, temperature: 0.05 };

/** The value of a one-feature Platt feature for a score array (`margin+top` reads the margin). */
export function featureValue(feature: CalibrationFeature, scores: ArrayLike<number>, ranking: Ranking, temperature: number): number {
  if (feature === "margin" || feature === "margin+top") return ranking.margin;
  if (feature === "top") return ranking.top;
  return softmax(scores, temperature)[ranking.winner] ?? 0;
}

/** Calibrated probability that the winning expert is right. */
export function confidenceOf(calibration: SemanticCalibration, scores: ArrayLike<number>, ranking: Ranking): number {
  if (ranking.winner < 0) return 0;
  let value: number;
  if (calibration.kind === "temperature") value = softmax(scores, calibration.temperature)[ranking.winner]!;
  else if (calibration.feature === "margin+top") value = sigmoid(calibration.a * ranking.margin + (calibration.c ?? 0) * ranking.top + calibration.b);
  else value = applyPlatt(calibration, featureValue(calibration.feature, scores, ranking, calibration.temperature));
  // Guards against NaN from hand-written parameters: a verdict must stay in [0,1].
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}

/** One labelled prediction: the per-expert scores and the position of the right expert (-1: not among them). */
export interface CalibrationSample {
  readonly scores: Float64Array;
  readonly truth: number;
}

/**
 * Fits calibration on labelled predictions. The temperature is always fitted (it shapes
 * `probabilities`); Platt then fits P(right) on the feature. When every prediction was right
 * (or every one wrong) Platt cannot be fitted, and temperature scaling is used instead.
 * `margin+top` falls back to `margin` when its fit is not monotone (see below).
 */
export function fitCalibration(samples: readonly CalibrationSample[], kind: "platt" | "temperature", feature: CalibrationFeature): SemanticCalibration {
  const known = samples.filter((sample) => sample.truth >= 0 && sample.scores.length > 0);
  if (known.length < 2) {
    throw new MoeRouterError(
      ErrorCode.INSUFFICIENT_DATA,
      `Calibration needs at least 2 labelled examples whose expert the layer knows; got ${known.length}. Pass more validation examples (texts with their right expert).`,
    );
  }
  const temperature = fitTemperature(known.map((s) => s.scores), known.map((s) => s.truth), [0.001, 10]);
  if (kind === "temperature") return { kind, temperature };
  const values: number[] = [];
  const tops: number[] = [];
  const correct: boolean[] = [];
  for (const sample of samples) {
    if (sample.scores.length === 0) continue;
    const ranking = rank(sample.scores);
    values.push(featureValue(feature, sample.scores, ranking, temperature));
    tops.push(ranking.top);
    correct.push(ranking.winner === sample.truth);
  }
  try {
    if (feature === "margin+top") {
      const { a, b, c } = fitLogistic2(values, tops, correct);
      // Confidence must not fall as the task gets closer to the exemplars. A negative weight on
      // the top score is a small-sample artefact (seen on ~80 exemplars) that would make a task
      // like "Hello", far from everything, look confident; fall back to the margin alone.
      if (c >= 0 && a >= 0) return { kind: "platt", feature, a, b, c, temperature };
      const margin = fitPlatt(values, correct);
      return { kind: "platt", feature: "margin", a: margin.a, b: margin.b, temperature };
    }
    const { a, b } = fitPlatt(values, correct);
    return { kind: "platt", feature, a, b, temperature };
  } catch (error) {
    if (isMoeRouterError(error, ErrorCode.INSUFFICIENT_DATA)) return { kind: "temperature", temperature };
    throw error;
  }
}

/** Accuracy and calibration error of a calibration on labelled predictions. */
export function evaluateCalibration(samples: readonly CalibrationSample[], calibration: SemanticCalibration): { accuracy: number; ece: number; eceRaw: number } {
  const confidences: number[] = [];
  const raw: number[] = [];
  const correct: boolean[] = [];
  for (const sample of samples) {
    const ranking = rank(sample.scores);
    confidences.push(confidenceOf(calibration, sample.scores, ranking));
    raw.push(Math.min(1, Math.max(0, ranking.top)));
    correct.push(ranking.winner >= 0 && ranking.winner === sample.truth);
  }
  const right = correct.filter(Boolean).length;
  return {
    accuracy: samples.length ? right / samples.length : 0,
    ece: samples.length ? expectedCalibrationError(confidences, correct) : 0,
    eceRaw: samples.length ? expectedCalibrationError(raw, correct) : 0,
  };
}
