import { jointSearcher } from "../joint.js";
import { proposeThresholds } from "../propose.js";
import { predictMetrics } from "../replay.js";
import type { BoundMethod, PrecisionConstraint, PredictedMetrics, RouteTrace, SweepPoint } from "../types.js";

export type { SweepPoint } from "../types.js";

/** Settings shared by every target of a sweep. */
export interface SweepSettings {
  readonly constraint: PrecisionConstraint;
  readonly confidenceLevel: number;
  readonly bound: BoundMethod;
  readonly minSamples: number;
  readonly minAccepted?: number;
}

/** 0.50 to 0.80 by 0.05, then 0.805 to 0.995 by 0.005, where targets that matter sit. */
export const DEFAULT_SWEEP_TARGETS: readonly number[] = [
  ...Array.from({ length: 6 }, (_, i) => Math.round((0.5 + 0.05 * i) * 1000) / 1000),
  ...Array.from({ length: 40 }, (_, i) => Math.round((0.8 + 0.005 * i) * 1000) / 1000),
];

/** Tunes thresholds on validation traces for each target (no step limit: offline). */
export function sweepTargets(traces: readonly RouteTrace[], layers: readonly string[], defaults: Readonly<Record<string, number>>, targets: readonly number[], settings: SweepSettings): SweepPoint[] {
  const measure = (targetPrecision: number, thresholds: Readonly<Record<string, number>>): SweepPoint => {
    const metrics = predictMetrics(traces, layers, thresholds);
    return { targetPrecision, thresholds, valCoverage: metrics.coverage, valAccuracy: metrics.accuracy };
  };
  if (settings.constraint === "layer") {
    return targets.map((targetPrecision) =>
      measure(
        targetPrecision,
        proposeThresholds(traces, {
          layers,
          current: defaults,
          targetPrecision,
          maxStep: 1,
          constraint: "layer",
          confidenceLevel: settings.confidenceLevel,
          bound: settings.bound,
          minSamples: settings.minSamples,
          ...(settings.minAccepted !== undefined ? { minAccepted: settings.minAccepted } : {}),
        }).after,
      ),
    );
  }
  // One searcher for all targets: the coarse grid is replayed once.
  const searcher = jointSearcher(traces, layers, defaults, { confidenceLevel: settings.confidenceLevel, bound: settings.bound, step: 1 });
  return targets.map((targetPrecision) => measure(targetPrecision, searcher.search(targetPrecision).thresholds));
}

/**
 * The "auto" target: the sweep point that improves on the defaults' validation point by the
 * widest equal margin in accuracy and coverage (largest min(Δaccuracy, Δcoverage)), so the
 * tuned thresholds aim to beat the defaults on both. When no point improves both, the
 * defaults' validation accuracy itself (clamped to [0.5, 0.995]).
 */
export function chooseAutoTarget(sweep: readonly SweepPoint[], defaults: PredictedMetrics): { targetPrecision: number; reason: string } {
  const base = defaults.accuracy;
  let best: { point: SweepPoint; margin: number } | undefined;
  if (base !== undefined) {
    for (const point of sweep) {
      if (point.valAccuracy === undefined) continue;
      const margin = Math.min(point.valAccuracy - base, point.valCoverage - defaults.coverage);
      if (margin > 0 && (!best || margin > best.margin)) best = { point, margin };
    }
  }
  if (best) {
    return {
      targetPrecision: best.point.targetPrecision,
      reason: `auto: beats the defaults on val by ${(best.margin * 100).toFixed(1)} points in both accuracy and coverage`,
    };
  }
  const target = Math.min(0.995, Math.max(0.5, base ?? 0.9));
  return { targetPrecision: Math.round(target * 1000) / 1000, reason: "auto: no target beats the defaults on val in both accuracy and coverage; using the defaults' val accuracy" };
}
