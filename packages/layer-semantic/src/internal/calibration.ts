import { applyPlatt, ErrorCode, expectedCalibrationError, fitTemperature, MoeRouterError, softmax } from "@moe-router/core";
import type { CalibrationFeature, SemanticCalibration } from "../types.js";
import { fitMonotoneLogistic, sigmoid, type WeightedObservation } from "./logistic.js";

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
 * The prior: what the confidence is before any labelled data, and what every fit is shrunk
 * towards (see fitCalibration). Platt on the margin: a tie reads as 0.23, a margin of 0.05 as
 * 0.52, 0.1 as 0.79, 0.2 as 0.98. Fits on real data land around it (a = 12 to 45, b = -1 to
 * -2.7 with k-NN scoring on the default exemplars and on BANKING77 / HWU64 with 3 to 20
 * exemplars per label); it errs a little low, since an uncalibrated layer should rather
 * escalate than claim certainty. Measured against a = 10, b = -0.7 (the prior of earlier
 * builds) it lowers mean ECE over those 8 few-exemplar settings from 0.049 to 0.047.
 */
export const PRIOR_CALIBRATION: SemanticCalibration = { kind: "platt", feature: "margin", a: 25, b: -1.2, temperature: 0.05 };

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
 * Pseudo-examples the prior counts as in a fit (see {@link fitCalibration}): a fit on 24
 * leave-one-out predictions (six exemplars for each of four experts) is almost half prior, one
 * on 400 a twentieth. 20 beat 50 on BANKING77 / HWU64 with 3-20 exemplars per label (ECE
 * 0.034-0.058 vs 0.036-0.067, see bench/coldstart.bench.ts): the prior errs low on purpose.
 */
export const DEFAULT_PRIOR_WEIGHT = 20;

/**
 * Fits calibration on labelled predictions. The temperature is always fitted (it shapes
 * `probabilities`); Platt then fits P(right) on the feature.
 *
 * Two guards make a fit from a handful of predictions safe:
 * - **monotone**: the slopes on margin and top score are constrained to be >= 0, so the
 *   confidence never falls as a task gets closer to an expert (an unconstrained fit on 24
 *   leave-one-out predictions once gave margin slope -30.9: a near-copy of an exemplar at 0.014);
 * - **shrunk towards the prior** in proportion to the evidence: `priorWeight` pseudo-examples,
 *   one at each sample's features with the prior's confidence as its target, are fitted along
 *   with the real ones, so n predictions weigh n / (n + priorWeight) against the prior. With
 *   few predictions the confidence stays near the prior; with many, the data decide.
 *
 * Without a prior (weight 0) a sample whose predictions were all right (or all wrong) cannot
 * support Platt, and temperature scaling is used instead.
 */
export function fitCalibration(
  samples: readonly CalibrationSample[],
  kind: "platt" | "temperature",
  feature: CalibrationFeature,
  priorWeight = DEFAULT_PRIOR_WEIGHT,
  prior: SemanticCalibration = PRIOR_CALIBRATION,
): SemanticCalibration {
  const known = samples.filter((sample) => sample.truth >= 0 && sample.scores.length > 0);
  if (known.length < 2) {
    throw new MoeRouterError(
      ErrorCode.INSUFFICIENT_DATA,
      `Calibration needs at least 2 labelled examples whose expert the layer knows; got ${known.length}. Pass more validation examples (texts with their right expert).`,
    );
  }
  const temperature = fitTemperature(
    known.map((s) => s.scores),
    known.map((s) => s.truth),
    [0.001, 10],
  );
  if (kind === "temperature") return { kind, temperature };
  const scored = samples.filter((sample) => sample.scores.length > 0);
  const rankings = scored.map((sample) => rank(sample.scores));
  const right = scored.filter((sample, i) => rankings[i]!.winner === sample.truth).length;
  const wrong = scored.length - right;
  if (priorWeight <= 0 && (right === 0 || wrong === 0)) return { kind: "temperature", temperature };
  // Platt's smoothed targets: a small sample never yields certainty.
  const hi = (right + 1) / (right + 2);
  const lo = 1 / (wrong + 2);
  const featuresOf = (sample: CalibrationSample, ranking: Ranking): number[] =>
    feature === "margin+top" ? [ranking.margin, ranking.top] : [featureValue(feature, sample.scores, ranking, temperature)];
  const observations: WeightedObservation[] = [];
  const pseudoWeight = priorWeight / scored.length;
  scored.forEach((sample, i) => {
    const ranking = rankings[i]!;
    const features = featuresOf(sample, ranking);
    observations.push({ features, target: ranking.winner === sample.truth ? hi : lo, weight: 1 });
    if (pseudoWeight > 0) observations.push({ features, target: confidenceOf(prior, sample.scores, ranking), weight: pseudoWeight });
  });
  const w = fitMonotoneLogistic(observations, feature === "margin+top" ? 2 : 1);
  if (feature === "margin+top") return { kind: "platt", feature, a: w[0]!, c: w[1]!, b: w[2]!, temperature };
  return { kind: "platt", feature, a: w[0]!, b: w[1]!, temperature };
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
