import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { DEFAULT_SWEEP_TARGETS, chooseAutoTarget, sweepTargets, type SweepPoint } from "./internal/sweep.js";
import { predictMetrics } from "./replay.js";
import { cascadeEvaluation } from "./metrics.js";
import type { BoundMethod, PredictedMetrics, RouteTrace } from "./types.js";

/**
 * What the tuning optimises (`eval --objective`, `tune --objective`):
 * - "precision": the precision of routed tasks reaches `target` ("auto": see evaluate()); the default;
 * - "coverage": route at least `target` of the tasks, as precisely as possible;
 * - "oos-recall": the best in-scope accuracy while at least `target` of the out-of-scope
 *   tasks reach the clarification fallback (needs out-of-scope rows among the validation rows).
 */
export type Objective =
  { readonly kind: "precision"; readonly target: number | "auto" } | { readonly kind: "coverage"; readonly target: number } | { readonly kind: "oos-recall"; readonly target: number };

/** The operating point chosen from a sweep. */
export interface ChosenPoint {
  readonly targetPrecision: number;
  readonly reason: string;
}

/** Reads `precision[:P|auto]`, `coverage:C` or `oos-recall:R` (the CLI's --objective). */
export function parseObjective(text: string): Objective {
  const [kind, value] = text.split(":", 2) as [string, string | undefined];
  const fraction = (name: string): number => {
    const n = Number(value);
    if (value === undefined || value.trim() === "" || !(n > 0 && n <= 1)) {
      throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `--objective ${name}:X needs X in (0, 1], e.g. ${name}:0.8; got ${JSON.stringify(text)}.`);
    }
    return n;
  };
  if (kind === "precision") {
    if (value === undefined || value === "auto") return { kind, target: "auto" };
    const n = fraction("precision");
    if (n >= 1) throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `A target precision must be below 1 (nothing proves 100%); got ${value}.`);
    return { kind, target: n };
  }
  if (kind === "coverage" || kind === "oos-recall") return { kind, target: fraction(kind) };
  throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `--objective must be precision[:P|auto], coverage:C or oos-recall:R (e.g. oos-recall:0.8); got ${JSON.stringify(text)}.`);
}

/**
 * Picks the sweep point that meets the objective on the validation traces.
 * @throws MoeRouterError INSUFFICIENT_DATA for "oos-recall" without out-of-scope validation rows.
 */
export function chooseOperatingPoint(
  objective: Objective,
  sweep: readonly SweepPoint[],
  valTraces: readonly RouteTrace[],
  layers: readonly string[],
  fallbackExpert: string,
  valDefaults: PredictedMetrics,
): ChosenPoint {
  if (objective.kind === "precision") {
    return objective.target === "auto" ? chooseAutoTarget(sweep, valDefaults) : { targetPrecision: objective.target, reason: "given" };
  }
  if (sweep.length === 0) throw new MoeRouterError(ErrorCode.INSUFFICIENT_DATA, "No thresholds to choose from: the validation rows gave no sweep point.");
  if (objective.kind === "coverage") {
    const meets = sweep.filter((p) => p.valCoverage >= objective.target);
    if (meets.length === 0) {
      const widest = sweep.reduce((a, b) => (b.valCoverage > a.valCoverage ? b : a));
      return { targetPrecision: widest.targetPrecision, reason: `coverage ${objective.target}: no point reaches it on val; widest is ${(widest.valCoverage * 100).toFixed(1)}%` };
    }
    const best = meets.reduce((a, b) => ((b.valAccuracy ?? 0) > (a.valAccuracy ?? 0) ? b : a));
    return { targetPrecision: best.targetPrecision, reason: `coverage >= ${objective.target} on val (${(best.valCoverage * 100).toFixed(1)}%), most accurate such point` };
  }
  const measured = sweep.map((point) => ({ point, metrics: cascadeEvaluation(valTraces, layers, point.thresholds, fallbackExpert) }));
  if (!measured[0]!.metrics.outOfScope) {
    throw new MoeRouterError(
      ErrorCode.INSUFFICIENT_DATA,
      "The oos-recall objective needs out-of-scope rows among the validation rows: name them with --oos-label (or make some with --hold-out-intents N).",
    );
  }
  const recall = (m: (typeof measured)[number]) => m.metrics.outOfScope?.recall ?? 0;
  const meets = measured.filter((m) => recall(m) >= objective.target);
  if (meets.length === 0) {
    const best = measured.reduce((a, b) => (recall(b) > recall(a) ? b : a));
    return { targetPrecision: best.point.targetPrecision, reason: `oos-recall ${objective.target}: no point reaches it on val; best recall ${(recall(best) * 100).toFixed(1)}%` };
  }
  const best = meets.reduce((a, b) => ((b.metrics.inScopeAccuracy ?? 0) > (a.metrics.inScopeAccuracy ?? 0) ? b : a));
  return {
    targetPrecision: best.point.targetPrecision,
    reason: `out-of-scope recall >= ${objective.target} on val (${(recall(best) * 100).toFixed(1)}%), best in-scope accuracy ${((best.metrics.inScopeAccuracy ?? 0) * 100).toFixed(1)}%`,
  };
}

/** Accuracy of a scorer at fixed coverages (the most confident share of rows) and forced (every row). */
export interface CoverageSummary {
  readonly rows: number;
  /** Every row to the top expert. */
  readonly forced: number | undefined;
  readonly at50: number | undefined;
  readonly at80: number | undefined;
  readonly at100: number | undefined;
}

/** {@link CoverageSummary} of (confidence, correct) samples, most confident first (ties in input order). */
export function coverageSummary(samples: readonly { readonly confidence: number; readonly correct: boolean }[]): CoverageSummary {
  const order = samples.map((_, i) => i).sort((a, b) => samples[b]!.confidence - samples[a]!.confidence || a - b);
  const at = (coverage: number) => {
    if (order.length === 0) return undefined;
    const kept = Math.max(1, Math.round(coverage * order.length));
    let right = 0;
    for (let i = 0; i < kept; i++) if (samples[order[i]!]!.correct) right++;
    return right / kept;
  };
  const forced = at(1);
  return { rows: samples.length, forced, at50: at(0.5), at80: at(0.8), at100: forced };
}

/** Options of {@link targetForObjective}. */
export interface ObjectiveTargetOptions {
  readonly layers: readonly string[];
  /** Thresholds in force (the sweep's starting point). */
  readonly current: Readonly<Record<string, number>>;
  /** Expert of the clarification fallback (out-of-scope truth). Default "coordinator-master". */
  readonly fallbackExpert?: string;
  readonly confidenceLevel?: number;
  readonly bound?: BoundMethod;
  readonly minSamples?: number;
}

/**
 * The target precision that meets an objective on recorded traces (`moe-router tune
 * --objective`): a given precision as it is ("auto" = the sweep point that beats the
 * thresholds in force on both accuracy and coverage), otherwise the sweep of target
 * precisions 0.50-0.995 over the traces (joint search) and {@link chooseOperatingPoint}.
 */
export function targetForObjective(objective: Objective, traces: readonly RouteTrace[], options: ObjectiveTargetOptions): ChosenPoint {
  if (objective.kind === "precision" && objective.target !== "auto") return { targetPrecision: objective.target, reason: "given" };
  const settings = {
    constraint: "cascade" as const,
    confidenceLevel: options.confidenceLevel ?? 0.95,
    bound: options.bound ?? "clopper-pearson",
    minSamples: options.minSamples ?? 30,
  };
  const sweep = sweepTargets(traces, options.layers, options.current, DEFAULT_SWEEP_TARGETS, settings);
  return chooseOperatingPoint(objective, sweep, traces, options.layers, options.fallbackExpert ?? "coordinator-master", predictMetrics(traces, options.layers, options.current));
}
