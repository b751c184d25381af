import { jointSearch } from "../joint.js";
import { collectLayerSamples } from "../samples.js";
import { operatingPoint } from "../search.js";
import type { CascadeSummary, LayerProposal, RouteTrace, ThresholdSearchOptions } from "../types.js";
import { describeMove, round4 } from "./by-layer.js";

function known(trace: RouteTrace): boolean {
  return trace.truth.expert !== undefined || trace.truth.wrongExpert !== undefined;
}

/**
 * The "cascade" constraint: every threshold chosen together ({@link jointSearch}) to maximise
 * the cascade's coverage while the precision bound of all accepted decisions stays >= target.
 * Shadow-sampled traces (every layer ran, so any thresholds replay exactly) are used alone when
 * there are `minSamples` of them with known outcomes; otherwise all traces are, and a trace the
 * replay cannot follow (a layer it needs never ran) is left out of that configuration.
 * A layer with fewer than `minSamples` samples keeps its threshold.
 */
export function proposeByCascade(
  traces: readonly RouteTrace[],
  layers: readonly string[],
  before: Readonly<Record<string, number>>,
  options: Required<ThresholdSearchOptions>,
): { proposals: LayerProposal[]; after: Record<string, number>; cascade: CascadeSummary } {
  const shadow = traces.filter((t) => t.shadow && known(t));
  const useShadow = shadow.length >= options.minSamples;
  const pool = useShadow ? shadow : traces;
  const source = useShadow ? ("shadow" as const) : ("mixed" as const);
  const counts = layers.map((_, index) => collectLayerSamples(pool, layers, index, before));
  const frozen = new Set(layers.filter((_, index) => counts[index]!.all.length < options.minSamples));
  const step = options.aggressive ? options.maxStep * 2 : options.maxStep;
  const settings = { targetPrecision: options.targetPrecision, confidenceLevel: options.confidenceLevel, bound: options.bound, frozen };
  const point = jointSearch(pool, layers, before, { ...settings, step });
  const optimum = step >= 1 ? point : jointSearch(pool, layers, before, { ...settings, step: 1 });
  const after: Record<string, number> = { ...point.thresholds };
  const proposals = layers.map((layer, index): LayerProposal => {
    const collected = counts[index]!;
    const common = {
      layer,
      before: before[layer]!,
      samples: collected.all.length,
      shadowSamples: collected.shadow.length,
      source,
      unobserved: collectLayerSamples(pool, layers, index, after).unobserved,
    };
    if (frozen.has(layer)) {
      return {
        ...common,
        after: before[layer]!,
        status: "insufficient_samples",
        reason: `insufficient samples: ${collected.all.length} of ${options.minSamples} needed (${collected.shadow.length} shadow, ${collected.all.length - collected.shadow.length} logged); threshold kept`,
      };
    }
    const own = operatingPoint(collectLayerSamples(pool, layers, index, after).all, after[layer]!, options);
    return {
      ...common,
      after: after[layer]!,
      optimum: optimum.thresholds[layer]!,
      status: point.feasible ? "tuned" : "target_unreachable",
      ...(own.precision !== undefined ? { precision: round4(own.precision) } : {}),
      precisionLowerBound: round4(own.lowerBound),
      coverage: round4(own.coverage),
      reason: `${describeMove(before[layer]!, after[layer]!, optimum.thresholds[layer])}: ${
        point.feasible
          ? `joint search, cascade precision bound ${point.lowerBound.toFixed(3)} >= ${options.targetPrecision}`
          : `no thresholds within reach give a cascade precision bound >= ${options.targetPrecision} (best ${point.lowerBound.toFixed(3)})`
      }`,
    };
  });
  const cascade: CascadeSummary = {
    decisions: point.judged,
    ...(point.precision !== undefined ? { precision: round4(point.precision) } : { precision: undefined }),
    precisionLowerBound: round4(point.lowerBound),
    coverage: round4(point.coverage),
    meetsTarget: point.feasible,
    source,
  };
  return { proposals, after, cascade };
}
