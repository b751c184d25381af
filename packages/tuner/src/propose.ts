import { ErrorCode, MoeRouterError, isUnitInterval } from "@moe-router/core";
import { proposeByCascade } from "./internal/by-cascade.js";
import { proposeByLayer } from "./internal/by-layer.js";
import { predictMetrics } from "./replay.js";
import { DEFAULT_SEARCH_OPTIONS } from "./search.js";
import type { CascadeSummary, LayerProposal, RouteTrace, ThresholdProposal, ThresholdSearchOptions } from "./types.js";

export { collectLayerSamples } from "./samples.js";

/** Options of {@link proposeThresholds}. */
export interface ProposeOptions extends ThresholdSearchOptions {
  /** Layer names in cascade order. */
  readonly layers: readonly string[];
  /** Thresholds in force now, by layer. */
  readonly current: Readonly<Record<string, number>>;
}

function checkOptions(options: ProposeOptions): void {
  const bad = (message: string) => new MoeRouterError(ErrorCode.INVALID_CONFIG, message);
  if (!Array.isArray(options.layers) || options.layers.length === 0) throw bad('Tuning needs the cascade\'s layer names in order (layers: ["keyword", ...]).');
  for (const layer of options.layers) {
    if (!isUnitInterval(options.current[layer])) throw bad(`Current threshold of layer "${layer}" must be in [0,1]; got ${String(options.current[layer])}. Fix the config or the thresholds file.`);
  }
  const target = options.targetPrecision;
  if (target !== undefined && !(target > 0 && target < 1)) throw bad(`Target precision must be between 0 and 1 (exclusive), e.g. 0.9; got ${target}.`);
  const level = options.confidenceLevel;
  if (level !== undefined && !(level > 0 && level < 1)) throw bad(`Confidence level must be between 0 and 1 (exclusive), e.g. 0.95; got ${level}.`);
  if (options.minSamples !== undefined && !(Number.isInteger(options.minSamples) && options.minSamples >= 1)) throw bad(`Minimum samples must be a positive integer; got ${options.minSamples}.`);
  if (options.maxStep !== undefined && !(options.maxStep >= 0 && options.maxStep <= 1)) throw bad(`Maximum step must be in [0,1]; got ${options.maxStep}.`);
  if (options.constraint !== undefined && options.constraint !== "cascade" && options.constraint !== "layer") throw bad(`Constraint must be "cascade" or "layer"; got ${String(options.constraint)}.`);
}

/**
 * Proposes new thresholds from traces of routed tasks with known outcomes: the lowest
 * thresholds (most coverage) that keep accepted-decision precision at or above the target
 * with statistical confidence (a lower confidence bound), moving each threshold at most one
 * step per run. See {@link PrecisionConstraint} for what the target applies to, and the
 * README for how shadow-sampled traces correct the cascade's selection bias.
 */
export function proposeThresholds(traces: readonly RouteTrace[], options: ProposeOptions): ThresholdProposal {
  checkOptions(options);
  const resolved: Required<ThresholdSearchOptions> = {
    constraint: options.constraint ?? DEFAULT_SEARCH_OPTIONS.constraint,
    targetPrecision: options.targetPrecision ?? DEFAULT_SEARCH_OPTIONS.targetPrecision,
    confidenceLevel: options.confidenceLevel ?? DEFAULT_SEARCH_OPTIONS.confidenceLevel,
    bound: options.bound ?? DEFAULT_SEARCH_OPTIONS.bound,
    minSamples: options.minSamples ?? DEFAULT_SEARCH_OPTIONS.minSamples,
    minAccepted: options.minAccepted ?? DEFAULT_SEARCH_OPTIONS.minAccepted,
    maxStep: options.maxStep ?? DEFAULT_SEARCH_OPTIONS.maxStep,
    aggressive: options.aggressive ?? false,
  };
  const before: Record<string, number> = Object.fromEntries(options.layers.map((l) => [l, options.current[l]!]));
  const result: { proposals: LayerProposal[]; after: Record<string, number>; cascade?: CascadeSummary } =
    resolved.constraint === "layer" ? proposeByLayer(traces, options.layers, before, resolved) : proposeByCascade(traces, options.layers, before, resolved);
  return {
    layers: result.proposals,
    before,
    after: result.after,
    predictedBefore: predictMetrics(traces, options.layers, before),
    predictedAfter: predictMetrics(traces, options.layers, result.after),
    traces: traces.length,
    shadowTraces: traces.filter((t) => t.shadow).length,
    ...(result.cascade ? { cascade: result.cascade } : {}),
    options: resolved,
  };
}
