import { ErrorCode, MoeRouterError } from "./errors.js";
import { softmax } from "./vectors.js";

/**
 * Calibration helpers shared by learnable layers: they turn raw scores into confidences
 * that mean "probability of being right", fitted on labelled data.
 */

/** A fitted Platt scaler: p = 1 / (1 + exp(-(a * score + b))). */
export interface PlattScaler {
  readonly a: number;
  readonly b: number;
}

/** Applies a Platt scaler to a raw score. */
export function applyPlatt(scaler: PlattScaler, score: number): number {
  const z = scaler.a * score + scaler.b;
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/**
 * Fits Platt scaling (1-D logistic regression of correctness on a score) by Newton's method,
 * with Platt's smoothed targets to avoid overconfidence on small samples.
 * @param scores raw scores (e.g. top cosine similarity or margin)
 * @param correct whether the prediction at that score was right
 */
export function fitPlatt(scores: readonly number[], correct: readonly boolean[]): PlattScaler {
  if (scores.length !== correct.length) throw new TypeError("fitPlatt: scores and correct must have the same length");
  const positives = correct.filter(Boolean).length;
  const negatives = correct.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new MoeRouterError(
      ErrorCode.INSUFFICIENT_DATA,
      `Calibration needs both right and wrong predictions; got ${positives} right and ${negatives} wrong. Add more varied labelled examples (or a validation split).`,
    );
  }
  const hi = (positives + 1) / (positives + 2);
  const lo = 1 / (negatives + 2);
  const targets = correct.map((c) => (c ? hi : lo));
  let a = 1;
  let b = 0;
  for (let iteration = 0; iteration < 100; iteration++) {
    // Gradient and Hessian of the negative log-likelihood in (a, b), with a tiny ridge for stability.
    let ga = 1e-6 * a,
      gb = 0,
      haa = 1e-6,
      hab = 0,
      hbb = 1e-9;
    for (let i = 0; i < scores.length; i++) {
      const p = applyPlatt({ a, b }, scores[i]!);
      const d = p - targets[i]!;
      const w = Math.max(p * (1 - p), 1e-12);
      ga += d * scores[i]!;
      gb += d;
      haa += w * scores[i]! * scores[i]!;
      hab += w * scores[i]!;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (Math.abs(det) < 1e-18) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) < 1e-9 && Math.abs(db) < 1e-9) break;
  }
  return { a, b };
}

/** Mean negative log-likelihood of the true classes under softmax(logits / T). */
function nll(logits: readonly ArrayLike<number>[], labels: readonly number[], temperature: number): number {
  let total = 0;
  for (let i = 0; i < logits.length; i++) total -= Math.log(Math.max(softmax(logits[i]!, temperature)[labels[i]!]!, 1e-12));
  return total / logits.length;
}

/**
 * Fits temperature scaling: the T > 0 minimising validation NLL of softmax(logits / T),
 * by golden-section search on log T (NLL is unimodal in T for practical data).
 */
export function fitTemperature(logits: readonly ArrayLike<number>[], labels: readonly number[], range: [number, number] = [0.01, 100]): number {
  if (logits.length === 0) throw new MoeRouterError(ErrorCode.INSUFFICIENT_DATA, "Temperature scaling needs at least one labelled validation example.");
  let lo = Math.log(range[0]);
  let hi = Math.log(range[1]);
  const ratio = (Math.sqrt(5) - 1) / 2;
  let x1 = hi - ratio * (hi - lo);
  let x2 = lo + ratio * (hi - lo);
  let f1 = nll(logits, labels, Math.exp(x1));
  let f2 = nll(logits, labels, Math.exp(x2));
  for (let i = 0; i < 60; i++) {
    if (f1 < f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - ratio * (hi - lo);
      f1 = nll(logits, labels, Math.exp(x1));
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + ratio * (hi - lo);
      f2 = nll(logits, labels, Math.exp(x2));
    }
  }
  return Math.exp((lo + hi) / 2);
}

/** Expected calibration error over `bins` equal-width confidence bins. */
export function expectedCalibrationError(confidences: readonly number[], correct: readonly boolean[], bins = 10): number {
  const count = new Array<number>(bins).fill(0);
  const sumConfidence = new Array<number>(bins).fill(0);
  const sumCorrect = new Array<number>(bins).fill(0);
  confidences.forEach((c, i) => {
    const bin = Math.min(bins - 1, Math.floor(c * bins));
    count[bin]!++;
    sumConfidence[bin]! += c;
    if (correct[i]) sumCorrect[bin]!++;
  });
  let ece = 0;
  for (let bin = 0; bin < bins; bin++) {
    if (count[bin]! === 0) continue;
    ece += (count[bin]! / confidences.length) * Math.abs(sumConfidence[bin]! / count[bin]! - sumCorrect[bin]! / count[bin]!);
  }
  return ece;
}
