import { performance } from "node:perf_hooks";
import { ErrorCode, MoeRouterError, createCascade, type CascadeLayer, type LabelledExample } from "@moe-router/core";
import type { EvalRow, EvaluationData } from "./dataset.js";
import { fitLayers } from "./internal/fit.js";
import { evaluationSplit, type ValidationSource } from "./split.js";
import { cascadeEvaluation, riskCoverageCurve, standaloneSamples, type CascadeEvaluation, type RiskCoveragePoint } from "./metrics.js";
import { DEFAULT_SWEEP_TARGETS, sweepTargets, type SweepPoint, type SweepSettings } from "./internal/sweep.js";
import { chooseOperatingPoint, coverageSummary, type CoverageSummary, type Objective } from "./operating-point.js";
import { proposeThresholds } from "./propose.js";
import { predictMetrics, replayTrace } from "./replay.js";
import { traceFromDecision } from "./traces.js";
import type { BoundMethod, FitRecord, LayerProposal, PrecisionConstraint, PredictedMetrics, RouteTrace } from "./types.js";

/** Progress of {@link evaluate}: fitting, then routing the validation and test rows. */
export interface EvaluationProgress {
  readonly stage: "fit" | "route-val" | "route-test";
  readonly done: number;
  readonly total: number;
  readonly layer?: string;
}

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** The cascade's layers with their default thresholds, cheapest first. Not closed by evaluate(). */
  readonly layers: readonly CascadeLayer[];
  readonly data: EvaluationData;
  /** Label of out-of-scope rows: left out of fitting (unless `outOfScopeClass`); right when they reach the clarification fallback. */
  readonly oosLabel?: string;
  /**
   * Fit the out-of-scope rows of train as a class of their own (`oosLabel`): a layer that
   * confidently names it sends the task to clarification (core's `outOfScopeExperts`).
   * Default false: out-of-scope tasks are caught by the thresholds only.
   */
  readonly outOfScopeClass?: boolean;
  /** Expert of the clarification fallback. Default "coordinator-master". */
  readonly fallbackExpert?: string;
  /** Fit learnable layers on train (learn, then fit/calibrate where offered). Default true. */
  readonly fit?: boolean;
  /** Tune thresholds on the validation rows. Default true. */
  readonly tune?: boolean;
  /**
   * Accepted-precision target of the tuning, or "auto" (default): the target from the sweep
   * whose validation point beats the defaults' by the widest equal margin in accuracy and
   * coverage (see the README); the defaults' validation accuracy when none beats them.
   */
  readonly targetPrecision?: number | "auto";
  /**
   * What the tuning optimises; overrides `targetPrecision`. Default: precision at `targetPrecision`.
   * See {@link Objective}.
   */
  readonly objective?: Objective;
  /** What the target applies to. Default "cascade". */
  readonly constraint?: PrecisionConstraint;
  /** Confidence level of the precision bound. Default 0.95. */
  readonly confidenceLevel?: number;
  /** Default "clopper-pearson". */
  readonly bound?: BoundMethod;
  /** Per-layer minimum validation samples to tune. Default 30. */
  readonly minSamples?: number;
  /** Smallest accepted set a candidate threshold is tested on. Default 10. */
  readonly minAccepted?: number;
  /** Share of each train label carved off as validation when `data.val` is empty. Default 0.1. */
  readonly valShare?: number;
  /** Seed of that carve. Default 42. */
  readonly seed?: number;
  /** Per-layer time budget while evaluating (ms). Default 60,000. */
  readonly layerTimeoutMs?: number;
  /** Target precisions swept for the cascade's risk-coverage curve (and the "auto" choice). Default 0.50-0.995. */
  readonly curveTargets?: readonly number[];
  readonly onProgress?: (progress: EvaluationProgress) => void;
}

/** Everything {@link evaluate} measured. */
export interface EvaluationReport {
  readonly layers: readonly string[];
  readonly data: {
    readonly train: number;
    readonly val: number;
    readonly test: number;
    readonly labels: number;
    readonly valSource: ValidationSource;
    /** How validation rows were carved, when they were. */
    readonly carve?: { readonly share: number; readonly seed: number };
    readonly outOfScope?: { readonly label: string; readonly train: number; readonly val: number; readonly test: number };
  };
  readonly fit: readonly FitRecord[];
  /** Test metrics at the default thresholds. */
  readonly defaults: CascadeEvaluation;
  /** Test metrics at the tuned thresholds (absent when not tuned). */
  readonly tuned?: CascadeEvaluation;
  readonly tuning?: {
    readonly objective: Objective;
    readonly targetPrecision: number;
    readonly targetSource: "given" | "auto" | "objective";
    readonly targetReason: string;
    readonly constraint: PrecisionConstraint;
    readonly proposal: readonly LayerProposal[];
    /** Predicted on the validation rows. */
    readonly valDefaults: PredictedMetrics;
    readonly valTuned: PredictedMetrics;
  };
  /**
   * Accuracy on the in-scope test rows: each layer alone (forced = every row to its top
   * expert; at 50/80/100% = the most confident share of rows), and the cascade forced (rows
   * it would clarify go to the most confident layer's expert) and at 50/80% coverage
   * (thresholds chosen on val for that coverage).
   */
  readonly accuracy: {
    readonly layers: Readonly<Record<string, CoverageSummary>>;
    readonly cascade?: {
      readonly forced: number | undefined;
      readonly atCoverage: readonly {
        readonly target: number;
        readonly valCoverage: number;
        readonly coverage: number;
        readonly accuracy: number | undefined;
        readonly thresholds: Readonly<Record<string, number>>;
      }[];
    };
  };
  /** Each layer alone on the test rows (top-1, no threshold). */
  readonly standalone: readonly { readonly layer: string; readonly accuracy: number | undefined; readonly samples: number }[];
  readonly riskCoverage: {
    /** Per layer alone on the test rows. */
    readonly layers: Readonly<Record<string, RiskCoveragePoint[]>>;
    /** The cascade on the test rows, thresholds tuned on validation for each target precision. */
    readonly cascade: readonly (SweepPoint & { readonly coverage: number; readonly risk: number | undefined })[];
  };
  /** Errored attempts on the test rows, by layer. */
  readonly layerErrors: Readonly<Record<string, number>>;
  readonly durationMs: number;
}

async function routeRows(
  layers: readonly CascadeLayer[],
  rows: readonly EvalRow[],
  experts: readonly string[],
  fallbackExpert: string,
  oosLabel: string | undefined,
  oosClass: boolean,
  layerTimeoutMs: number,
  stage: EvaluationProgress["stage"],
  onProgress: EvaluateOptions["onProgress"],
): Promise<RouteTrace[]> {
  // Shadow share 1: every layer runs on every row, so any thresholds can be replayed exactly.
  const cascade = createCascade({ layers, experts, fallback: { expert: fallbackExpert }, shadowShare: 1, layerTimeoutMs, ...(oosClass ? { outOfScopeExperts: [oosLabel!] } : {}) });
  const traces: RouteTrace[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const decision = await cascade.route({ id: `${stage}-${i}`, description: row.text });
    const trace = traceFromDecision(decision, { expert: row.label === oosLabel ? fallbackExpert : row.label });
    // An accepted out-of-scope verdict ends in clarification: replayed as a verdict for the fallback expert.
    if (oosClass) for (const attempt of Object.values(trace.attempts)) if (attempt.expert === oosLabel) (attempt as { expert?: string }).expert = fallbackExpert;
    traces.push(trace);
    if (onProgress && ((i + 1) % 25 === 0 || i + 1 === rows.length)) onProgress({ stage, done: i + 1, total: rows.length });
  }
  // The cascade is dropped without close(): the layers belong to the caller.
  return traces;
}

function checkOptions(options: EvaluateOptions): void {
  const bad = (message: string) => new MoeRouterError(ErrorCode.INVALID_CONFIG, message);
  if (!Array.isArray(options.layers) || options.layers.length === 0) throw bad("evaluate() needs at least one layer: layers: [{ layer, threshold }].");
  const target = options.targetPrecision;
  if (target !== undefined && target !== "auto" && !(typeof target === "number" && target > 0 && target < 1))
    throw bad(`Target precision must be "auto" or a number between 0 and 1, e.g. 0.9; got ${String(target)}.`);
  if (options.valShare !== undefined && !(options.valShare > 0 && options.valShare < 1)) throw bad(`Validation share must be between 0 and 1 (exclusive), e.g. 0.1; got ${options.valShare}.`);
}

/**
 * Offline evaluation of a cascade on a labelled dataset: fits the learnable layers on train
 * (out-of-scope rows excluded), tunes thresholds on validation (carving a stratified, seeded
 * share of train when the dataset has none), routes the test rows with every layer running,
 * and measures the defaults and the tuned thresholds on the same test traces.
 */
export async function evaluate(options: EvaluateOptions): Promise<EvaluationReport> {
  checkOptions(options);
  const started = performance.now();
  const fallbackExpert = options.fallbackExpert ?? "coordinator-master";
  const oosLabel = options.oosLabel;
  const tune = options.tune ?? true;
  const names = options.layers.map((entry) => entry.layer.name);
  const defaults: Record<string, number> = Object.fromEntries(options.layers.map((entry) => [entry.layer.name, entry.threshold]));
  const valShare = options.valShare ?? 0.1;
  const seed = options.seed ?? 42;

  const { train, val, valSource } = evaluationSplit(options.data, { valShare, seed, carve: tune });
  const inScope = (rows: readonly EvalRow[]) => rows.filter((row) => row.label !== oosLabel);
  const oosClass = options.outOfScopeClass === true && oosLabel !== undefined;
  const fitted = (rows: readonly EvalRow[]) => (oosClass ? rows : inScope(rows));
  const trainExamples: LabelledExample[] = fitted(train).map((row) => ({ text: row.text, expert: row.label, source: "dataset" }));
  const valExamples: LabelledExample[] = fitted(val).map((row) => ({ text: row.text, expert: row.label, source: "dataset" }));
  if (trainExamples.length === 0) throw new MoeRouterError(ErrorCode.INSUFFICIENT_DATA, "No in-scope training rows left to fit on; check --train-split and --oos-label.");
  const labels = [...new Set(trainExamples.map((e) => e.expert).filter((e) => e !== oosLabel))].sort();
  const experts = [...labels, ...(labels.includes(fallbackExpert) ? [] : [fallbackExpert]), ...(oosClass ? [oosLabel] : [])];
  const layerTimeoutMs = options.layerTimeoutMs ?? 60_000;

  const fit =
    options.fit === false
      ? []
      : await fitLayers(
          options.layers.map((entry) => entry.layer),
          trainExamples,
          valExamples,
          options.onProgress,
        );

  let tuned: Record<string, number> | undefined;
  let tuning: EvaluationReport["tuning"];
  let sweep: SweepPoint[] = [];
  let lastValTraces: RouteTrace[] = [];
  if (tune && val.length) {
    const valTraces = await routeRows(options.layers, val, experts, fallbackExpert, oosLabel, oosClass, layerTimeoutMs, "route-val", options.onProgress);
    lastValTraces = valTraces;
    const valDefaults = predictMetrics(valTraces, names, defaults);
    const settings = searchSettings(options);
    sweep = sweepTargets(valTraces, names, defaults, options.curveTargets ?? DEFAULT_SWEEP_TARGETS, settings);
    const objective: Objective = options.objective ?? { kind: "precision", target: options.targetPrecision ?? "auto" };
    const chosen = chooseOperatingPoint(objective, sweep, valTraces, names, fallbackExpert, valDefaults);
    const targetSource = objective.kind !== "precision" ? "objective" : objective.target === "auto" ? "auto" : "given";
    const proposal = proposeThresholds(valTraces, { ...settings, maxStep: 1, layers: names, current: defaults, targetPrecision: chosen.targetPrecision });
    tuned = { ...proposal.after };
    tuning = {
      objective,
      targetPrecision: chosen.targetPrecision,
      targetSource,
      targetReason: chosen.reason,
      constraint: settings.constraint,
      proposal: proposal.layers,
      valDefaults,
      valTuned: proposal.predictedAfter,
    };
  }

  const testTraces = await routeRows(options.layers, options.data.test, experts, fallbackExpert, oosLabel, oosClass, layerTimeoutMs, "route-test", options.onProgress);
  const layerErrors: Record<string, number> = {};
  for (const trace of testTraces) for (const [layer, attempt] of Object.entries(trace.attempts)) if (attempt.errored) layerErrors[layer] = (layerErrors[layer] ?? 0) + 1;

  const curveLayers: Record<string, RiskCoveragePoint[]> = {};
  const standalone = names.map((layer) => {
    const samples = standaloneSamples(testTraces, layer);
    curveLayers[layer] = riskCoverageCurve(samples);
    return { layer, accuracy: samples.length ? samples.filter((s) => s.correct).length / samples.length : undefined, samples: samples.length };
  });
  const cascadeCurve = sweep.map((point) => {
    const measured = cascadeEvaluation(testTraces, names, point.thresholds, fallbackExpert);
    return { ...point, coverage: measured.coverage, risk: measured.routedAccuracy === undefined ? undefined : 1 - measured.routedAccuracy };
  });

  const accuracy = accuracyReport(testTraces, lastValTraces, names, sweep, tuned, fallbackExpert);
  const count = (rows: readonly EvalRow[]) => rows.filter((row) => row.label === oosLabel).length;
  return {
    layers: names,
    data: {
      train: train.length,
      val: val.length,
      test: options.data.test.length,
      labels: labels.length,
      valSource,
      ...(valSource === "carved" ? { carve: { share: valShare, seed } } : {}),
      ...(oosLabel !== undefined ? { outOfScope: { label: oosLabel, train: count(train), val: count(val), test: count(options.data.test) } } : {}),
    },
    fit,
    defaults: cascadeEvaluation(testTraces, names, defaults, fallbackExpert),
    ...(tuned ? { tuned: cascadeEvaluation(testTraces, names, tuned, fallbackExpert) } : {}),
    ...(tuning ? { tuning } : {}),
    accuracy,
    standalone,
    riskCoverage: { layers: curveLayers, cascade: cascadeCurve },
    layerErrors,
    durationMs: performance.now() - started,
  };
}

/** Tuning settings shared by the sweep and the final proposal (offline: no step limit). */
function searchSettings(options: EvaluateOptions): SweepSettings {
  return {
    constraint: options.constraint ?? "cascade",
    confidenceLevel: options.confidenceLevel ?? 0.95,
    bound: options.bound ?? "clopper-pearson",
    minSamples: options.minSamples ?? 30,
    ...(options.minAccepted !== undefined ? { minAccepted: options.minAccepted } : {}),
  };
}

/** Coverages the cascade's accuracy is reported at (thresholds chosen on val for each). */
const CASCADE_COVERAGES = [0.5, 0.8] as const;

/** The `accuracy` block of the report: in-scope test rows only. */
function accuracyReport(
  testTraces: readonly RouteTrace[],
  valTraces: readonly RouteTrace[],
  names: readonly string[],
  sweep: readonly SweepPoint[],
  tuned: Readonly<Record<string, number>> | undefined,
  fallbackExpert: string,
): EvaluationReport["accuracy"] {
  const inScope = testTraces.filter((trace) => trace.truth.expert !== fallbackExpert);
  const layers = Object.fromEntries(names.map((layer) => [layer, coverageSummary(standaloneSamples(inScope, layer))]));
  if (!tuned || sweep.length === 0) return { layers };
  let right = 0;
  for (const trace of inScope) {
    const result = replayTrace(trace, names, tuned);
    let expert = result.kind === "layer" && result.expert !== fallbackExpert ? result.expert : undefined;
    if (expert === undefined) {
      // Forced: the most confident answer of any layer.
      let best = -1;
      for (const attempt of Object.values(trace.attempts)) {
        if (!attempt.errored && attempt.expert !== fallbackExpert && attempt.confidence! > best) {
          best = attempt.confidence!;
          expert = attempt.expert;
        }
      }
    }
    if (expert === trace.truth.expert) right++;
  }
  const valDefaults = predictMetrics(valTraces, names, tuned);
  const atCoverage = CASCADE_COVERAGES.map((target) => {
    const chosen = chooseOperatingPoint({ kind: "coverage", target }, sweep, valTraces, names, fallbackExpert, valDefaults);
    const point = sweep.find((p) => p.targetPrecision === chosen.targetPrecision)!;
    const measured = cascadeEvaluation(inScope, names, point.thresholds, fallbackExpert);
    return { target, valCoverage: point.valCoverage, coverage: measured.coverage, accuracy: measured.routedAccuracy, thresholds: point.thresholds };
  });
  return { layers, cascade: { forced: inScope.length ? right / inScope.length : undefined, atCoverage } };
}
