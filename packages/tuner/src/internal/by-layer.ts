import { collectLayerSamples } from "../samples.js";
import { boundedStep, operatingPoint, searchThreshold, smallestProvableCount } from "../search.js";
import type { LayerProposal, RouteTrace, ThresholdSearchOptions } from "../types.js";

/** Rounds a figure for reports. */
export function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** "moved up 0.050 (step-limited; optimum 0.720)" */
export function describeMove(before: number, after: number, optimum: number | undefined): string {
  const moved = after === before ? "kept" : `moved ${after > before ? "up" : "down"} ${Math.abs(after - before).toFixed(3)}`;
  return `${moved}${optimum !== undefined && Math.abs(after - optimum) > 1e-9 ? ` (step-limited; optimum ${optimum.toFixed(3)})` : ""}`;
}

/**
 * The "layer" constraint: layers tuned one after another in cascade order, each on the traces
 * that reach it once the earlier layers use their proposed thresholds, so the cascade's
 * selection effect is followed. Shadow samples are used alone when a layer has `minSamples`
 * of them. Each layer's threshold comes from the fixed-sequence search ({@link searchThreshold}).
 */
export function proposeByLayer(
  traces: readonly RouteTrace[],
  layers: readonly string[],
  before: Readonly<Record<string, number>>,
  options: Required<ThresholdSearchOptions>,
): { proposals: LayerProposal[]; after: Record<string, number> } {
  const after: Record<string, number> = { ...before };
  const proposals: LayerProposal[] = [];
  layers.forEach((layer, index) => {
    const collected = collectLayerSamples(traces, layers, index, after);
    const useShadow = collected.shadow.length >= options.minSamples;
    const samples = useShadow ? collected.shadow : collected.all;
    const common = {
      layer,
      before: before[layer]!,
      samples: samples.length,
      shadowSamples: useShadow ? samples.length : collected.shadow.length,
      source: useShadow ? ("shadow" as const) : ("mixed" as const),
      unobserved: collected.unobserved,
    };
    // Below `provable` samples not even a perfect record could show the target: too few, not too imprecise.
    const provable = smallestProvableCount(options.bound, options.targetPrecision, options.confidenceLevel, Math.max(options.minSamples, samples.length));
    const needed = Math.max(options.minSamples, provable);
    if (samples.length < needed) {
      const why = needed > options.minSamples ? ` to show precision ${options.targetPrecision} at ${options.confidenceLevel} confidence` : "";
      proposals.push({
        ...common,
        after: before[layer]!,
        status: "insufficient_samples",
        reason: `insufficient samples: ${samples.length} of ${needed} needed${why} (${collected.shadow.length} shadow, ${collected.all.length - collected.shadow.length} logged); threshold kept`,
      });
      return;
    }
    const search = searchThreshold(samples, options);
    const next = boundedStep(before[layer]!, search.optimum, options);
    after[layer] = next;
    const point = operatingPoint(samples, next, options);
    proposals.push({
      ...common,
      after: next,
      optimum: search.optimum,
      status: search.reachable ? "tuned" : "target_unreachable",
      ...(point.precision !== undefined ? { precision: round4(point.precision) } : {}),
      precisionLowerBound: round4(point.lowerBound),
      coverage: round4(point.coverage),
      reason: `${describeMove(before[layer]!, next, search.optimum)}: ${
        search.reachable ? `lowest threshold whose accepted precision bound is >= ${options.targetPrecision}` : `no threshold reaches precision bound ${options.targetPrecision}; raising toward 1`
      }`,
    });
  });
  return { proposals, after };
}
