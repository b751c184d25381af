/**
 * @moe-router/tuner: threshold tuning from tracked outcomes (selective classification with
 * confidence bounds), proposals with predicted before/after, apply with history, A/B
 * experiment start, and offline evaluation of a cascade on a labelled dataset.
 *
 * The public face is what the router, server and CLI use; the search, bounds, replay and
 * metrics modules behind it are internal (import them from their files in this package's
 * tests and benchmarks).
 */
export type {
  BoundMethod,
  CascadeSummary,
  FitRecord,
  LayerProposal,
  LayerSample,
  PrecisionConstraint,
  PredictedMetrics,
  ProposalStatus,
  RouteTrace,
  SweepPoint,
  ThresholdProposal,
  TraceAttempt,
  TraceTruth,
} from "./types.js";
export { readTraces, traceFromEvent, type ReadTraces, type ReadTracesOptions } from "./traces.js";
export { proposeThresholds, type ProposeOptions } from "./propose.js";
export { readThresholdsFile, writeThresholdsFile, type ThresholdsFile, type ThresholdsFileExperiment, type ThresholdsHistoryEntry } from "./thresholds-file.js";
export { openThresholdsStore, type OpenThresholdsStoreOptions, type ThresholdsStore } from "./thresholds-store.js";
export { postgresThresholdsStore, type PostgresThresholdsStoreOptions, type ThresholdsPool } from "./postgres-thresholds.js";
export { applyProposalToStore, startExperimentInStore, type ApplyOptions, type ApplyResult, type ExperimentOptions } from "./apply.js";
export { loadEvaluationData, type EvalRow, type EvaluationData, type LoadDatasetOptions, type LoadedDataset } from "./dataset.js";
export {
  documentOfEntry,
  experimentStatus,
  promoteExperiment,
  rollbackThresholds,
  stopExperiment,
  thresholdsHistory,
  type ExperimentStatus,
  type ExperimentStatusOptions,
  type HistoryOperationOptions,
  type HistoryOperationResult,
  type NumberedHistoryEntry,
  type RollbackOptions,
} from "./history-ops.js";
export { evaluate, type EvaluateOptions, type EvaluationProgress, type EvaluationReport } from "./evaluate.js";
export { evaluationSplit, type EvaluationSplit, type EvaluationSplitOptions, type ValidationSource } from "./split.js";
export { formatEvaluation, formatProposal } from "./format.js";
export { holdOutIntents, type HeldOutData, type HoldOutOptions } from "./hold-out.js";
export { parseObjective, targetForObjective, type Objective, type ObjectiveTargetOptions } from "./operating-point.js";
