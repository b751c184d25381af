/**
 * @moe-router/tracker: records every routing decision and its outcome (the cascade's
 * observer), keeps them in a JSONL log or PostgreSQL, and analyses them.
 */
// Recording half: record shapes, the tracker observer, stores, sample data.
export { SCHEMA_VERSION, type DecisionRecord, type LayerAttemptRecord, type LogRecord, type Outcome, type OutcomeRecord, type RoutingEvent } from "./records.js";
export { decisionToRecord } from "./decision-record.js";
export { judgeExpert, judgeOutcome, type OutcomeJudgement } from "./outcome-judgement.js";
export { readRecord, type ReadRecord } from "./read-record.js";
export { createTracker, type Tracker } from "./tracker.js";
export { jsonlStore } from "./jsonl-store.js";
export { postgresStore } from "./stores/postgres/store.js";
export { createPgPool, type PgPoolOptions } from "./stores/postgres/connection.js";
export { openStore, type OpenStoreOptions } from "./open-store.js";
export { EVENT_STORE_FORMS, isDatabaseSpec, parseStoreSpec, redactConnectionString, type ParseStoreSpecOptions, type StoreSpec } from "./store-spec.js";
export { listLogFiles } from "./log-names.js";
export { generateSampleRecords, type SampleEventsOptions } from "./sample/sample-events.js";
export { parseDegradation, type SampleDegradation } from "./sample/sample-degrade.js";
export type {
  EventStore,
  JsonlStoreOptions,
  OutcomeInput,
  PostgresStoreOptions,
  QueryablePool,
  ReadOptions,
  RecordedOutcome,
  RotationOptions,
  CorrectionsPage,
  StoreErrorListener,
  StoreStats,
  StoredCorrection,
  TrackerOptions,
  TrackerStats,
} from "./types.js";
// Analysis, dashboard and report (analysis half of the tracker).
export { createAnalyzer, type Analyzer } from "./analysis/analyzer.js";
export { analyzeEvents, analyzeStore, type EventSource } from "./analysis/analyze-store.js";
export { analyzeJsonl, analyzeJsonlDetailed, type AnalyzeJsonlOptions, type JsonlAnalysis } from "./analysis/analyze-jsonl.js";
export type { CacheUsage } from "./analysis/cache/analyze-cached.js";
export type {
  Accuracy,
  AnalysisReport,
  AnalyzerOptions,
  Calibration,
  ClarificationReport,
  CorrectionsReport,
  DataIssues,
  ExperimentReport,
  LatencySummary,
  LayerReport,
  OverallReport,
  ProportionTest,
  ReliabilityBin,
  Share,
  VariantReport,
} from "./analysis/types.js";
// Time series: routing health per time bucket (JSONL, its cache, or PostgreSQL in SQL).
export { createTimeSeriesAccumulator, type TimeSeriesAccumulator } from "./timeseries/accumulator.js";
export { timeSeriesEvents, timeSeriesStore, type TimeSeriesSource } from "./timeseries/series-store.js";
export { timeSeriesJsonl, type TimeSeriesJsonlOptions } from "./timeseries/series-jsonl.js";
export type { BucketUnit, LatencyQuantile, LayerBucket, TimeBucket, TimeSeries, TimeSeriesOptions } from "./timeseries/types.js";
export { CLEAR_SCREEN, renderAnalysisText, renderDashboard, renderTimeSeriesText, type DashboardRenderOptions, type TerminalRenderOptions } from "./render/terminal.js";
export { renderHtmlReport, type HtmlReportOptions } from "./render/html.js";
