/**
 * @moe-router/tuner: threshold tuning from tracked outcomes (selective classification with
 * confidence bounds), proposals with predicted before/after, apply with history, A/B
 * experiment start, and offline evaluation of a cascade on a labelled dataset.
 */
export type {
  BoundMethod, CascadeSummary, FitRecord, LayerProposal, LayerSample, PrecisionConstraint, PredictedMetrics, ProposalStatus, RouteTrace, SweepPoint, ThresholdProposal,
  ThresholdSearchOptions, TraceAttempt, TraceTruth,
} from "./types.js";
export { clopperPearsonLowerBound, precisionLowerBound, wilsonLowerBound } from "./bounds.js";
export { DEFAULT_SEARCH_OPTIONS, boundedStep, clampThreshold, operatingPoint, searchThreshold, smallestProvableCount, type OperatingPoint, type SearchResult } from "./search.js";
export { judge, readTraces, traceFromDecision, traceFromEvent, truthFromEvent, type ReadTraces, type ReadTracesOptions } from "./traces.js";
export { predictMetrics, replayTrace, type ReplayResult } from "./replay.js";
export { collectLayerSamples, proposeThresholds, type LayerSamples, type ProposeOptions } from "./propose.js";
export { jointSearch, jointSearcher, type CascadePoint, type JointSearchOptions, type JointSearcher } from "./joint.js";
export {
  THRESHOLDS_FILE_VERSION, appendThresholdsHistory, historyPathFor, loadThresholds, parseThresholdsFile, readThresholdsFile,
  readThresholdsHistory, writeThresholdsFile, type LoadedThresholds, type ThresholdsFile, type ThresholdsFileExperiment,
  type ThresholdsHistoryEntry,
} from "./thresholds-file.js";
export {
  fileThresholdsStore, openThresholdsStore, type FileThresholdsStoreOptions, type OpenThresholdsStoreOptions, type ThresholdsStore,
} from "./thresholds-store.js";
export { postgresThresholdsStore, type PostgresThresholdsStoreOptions, type ThresholdsPool } from "./postgres-thresholds.js";
export {
  documentOfEntry, experimentStatus, promoteExperiment, rollbackThresholds, stopExperiment, thresholdsHistory, type ExperimentStatus,
  type ExperimentStatusOptions, type HistoryOperationOptions, type HistoryOperationResult, type NumberedHistoryEntry, type RollbackOptions,
} from "./history-ops.js";
export { applyProposal, applyProposalToStore, startExperiment, startExperimentInStore, type ApplyOptions, type ApplyResult, type ExperimentOptions } from "./apply.js";
export { loadEvaluationData, parseEvaluationData, type EvalRow, type EvaluationData, type LoadDatasetOptions, type LoadedDataset } from "./dataset.js";
export { cascadeEvaluation, riskCoverageCurve, standaloneSamples, type CascadeEvaluation, type LayerOutcomeMetrics, type RiskCoveragePoint } from "./metrics.js";
export { evaluate, type EvaluateOptions, type EvaluationProgress, type EvaluationReport } from "./evaluate.js";
export { evaluationSplit, type EvaluationSplit, type EvaluationSplitOptions, type ValidationSource } from "./split.js";
export { formatEvaluation, formatProposal } from "./format.js";
export { holdOutIntents, type HeldOutData, type HoldOutOptions } from "./hold-out.js";
export {
  chooseOperatingPoint, coverageSummary, parseObjective, targetForObjective, type ChosenPoint, type CoverageSummary, type Objective, type ObjectiveTargetOptions,
} from "./operating-point.js";
