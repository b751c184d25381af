import { ErrorCode, MoeRouterError } from "@moe-router/core";

/** A fitted two-feature logistic model: p = 1 / (1 + exp(-(a * x + c * y + b))). */
export interface Logistic2 {
  readonly a: number;
  readonly c: number;
  readonly b: number;
}

/** Numerically stable logistic function. */
export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/**
 * Platt scaling on two features (core's fitPlatt takes one): logistic regression of
 * correctness on (x, y) by Newton's method, with Platt's smoothed targets so a small sample
 * never yields certainty, and a tiny ridge to keep the Hessian invertible.
 */
export function fitLogistic2(x: readonly number[], y: readonly number[], correct: readonly boolean[]): Logistic2 {
  const positives = correct.filter(Boolean).length;
  const negatives = correct.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new MoeRouterError(ErrorCode.INSUFFICIENT_DATA, `Calibration needs both right and wrong predictions; got ${positives} right and ${negatives} wrong. Add more varied labelled examples.`);
  }
  const hi = (positives + 1) / (positives + 2);
  const lo = 1 / (negatives + 2);
  const w = [0, 0, 0]; // a, c, b
  const ridge = 1e-6;
  for (let iteration = 0; iteration < 100; iteration++) {
    const g = [ridge * w[0]!, ridge * w[1]!, 0];
    const h = [[ridge, 0, 0], [0, ridge, 0], [0, 0, 1e-9]];
    for (let i = 0; i < x.length; i++) {
      const features = [x[i]!, y[i]!, 1];
      const p = sigmoid(w[0]! * x[i]! + w[1]! * y[i]! + w[2]!);
      const d = p - (correct[i] ? hi : lo);
      const weight = Math.max(p * (1 - p), 1e-12);
      for (let r = 0; r < 3; r++) {
        g[r]! += d * features[r]!;
        for (let col = 0; col < 3; col++) h[r]![col]! += weight * features[r]! * features[col]!;
      }
    }
    const step = solve3(h, g);
    if (!step) break;
    for (let r = 0; r < 3; r++) w[r]! -= step[r]!;
    if (Math.max(...step.map(Math.abs)) < 1e-9) break;
  }
  return { a: w[0]!, c: w[1]!, b: w[2]! };
}

/** Solves the 3x3 system m * v = rhs by Cramer's rule; undefined when singular. */
function solve3(m: number[][], rhs: number[]): number[] | undefined {
  const det = (q: number[][]) =>
    q[0]![0]! * (q[1]![1]! * q[2]![2]! - q[1]![2]! * q[2]![1]!) -
    q[0]![1]! * (q[1]![0]! * q[2]![2]! - q[1]![2]! * q[2]![0]!) +
    q[0]![2]! * (q[1]![0]! * q[2]![1]! - q[1]![1]! * q[2]![0]!);
  const d = det(m);
  if (!Number.isFinite(d) || Math.abs(d) < 1e-18) return undefined;
  return [0, 1, 2].map((column) => det(m.map((row, r) => row.map((value, c) => (c === column ? rhs[r]! : value)))) / d);
}
