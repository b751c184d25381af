/**
 * Public shapes of the analysis: the options of the analyzer and the JSON-friendly report it
 * returns. Rates are shares in [0,1], or `null` when their denominator is zero (so a consumer
 * never mistakes "no data" for "0 %").
 */

/** Options of {@link createAnalyzer} and {@link analyzeStore}. */
export interface AnalyzerOptions {
  /**
   * Only events routed within the last `windowHours` hours (relative to `now`) count.
   * Absent: every event counts.
   */
  readonly windowHours?: number;
  /**
   * Restrict the analysis to one layer: the per-layer section shows only it, and the
   * decision-level sections cover only decisions that this layer attempted (not in shadow)
   * or decided. "clarification" selects the decisions the fallback answered.
   */
  readonly layer?: string;
  /** The clock for the window. Default: the time `createAnalyzer` is called. */
  readonly now?: Date | number;
  /** Number of equal-width reliability bins for calibration. Default 10. */
  readonly calibrationBins?: number;
  /** Significance level of the A/B tests. Default 0.05. */
  readonly alpha?: number;
  /**
   * Generated sample decisions (`synthetic: true`, from `generateSampleRecords`): "include"
   * (the default, every record counts) or "exclude" (left out and counted in
   * `syntheticExcluded`; what `moe-router analyze` does unless `--include-synthetic`).
   */
  readonly synthetic?: "include" | "exclude";
}

/** Latency percentiles in milliseconds; percentiles are within 1 % of the exact value. */
export interface LatencySummary {
  /** Number of timed samples. */
  readonly count: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
}

/** One reliability bin: predictions whose confidence fell in [lower, upper). */
export interface ReliabilityBin {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  /** Mean confidence of the bin's predictions, or null when empty. */
  readonly meanConfidence: number | null;
  /** Share of the bin's predictions that were right, or null when empty. */
  readonly accuracy: number | null;
}

/** Calibration of confidences against outcomes. */
export interface Calibration {
  /** Predictions with a known outcome. */
  readonly samples: number;
  /** Expected calibration error (count-weighted |confidence - accuracy| over bins); null with no samples. */
  readonly ece: number | null;
  readonly bins: readonly ReliabilityBin[];
}

/** A count with its share of a total. */
export interface Share {
  readonly count: number;
  readonly share: number | null;
}

/** Accuracy over judged predictions (those whose outcome says right or wrong). */
export interface Accuracy {
  readonly judged: number;
  readonly correct: number;
  readonly rate: number | null;
}

/** What one layer did, attempt by attempt (shadow attempts are counted apart). */
export interface LayerReport {
  readonly layer: string;
  /** Attempts made on the live route (not shadow). */
  readonly attempts: number;
  /** Attempts that decided the route. */
  readonly accepted: number;
  readonly acceptanceRate: number | null;
  /** Attempts that did not decide (below threshold or errored), so the task moved on. */
  readonly escalated: number;
  readonly escalationRate: number | null;
  readonly errors: number;
  readonly errorRate: number | null;
  /** Error count by error code. */
  readonly errorCodes: Readonly<Record<string, number>>;
  /** Share of all analysed decisions this layer decided. */
  readonly coverage: number | null;
  /** Accuracy of the decisions this layer decided, from outcomes. */
  readonly accuracy: Accuracy;
  /** Mean confidence of the attempts that answered. */
  readonly meanConfidence: number | null;
  /** Calibration of accepted attempts with a known outcome. */
  readonly calibration: Calibration;
  /** Attempts run only for shadow logging. */
  readonly shadowAttempts: number;
  /**
   * Calibration of shadow attempts (right = named the finally correct expert), present when
   * shadow attempts exist. Unbiased by the threshold, so it shows what a lower threshold would do.
   */
  readonly shadowCalibration: Calibration | null;
  /** Latency of live attempts. */
  readonly latency: LatencySummary;
  /** Decisions this layer made, by expert. */
  readonly experts: Readonly<Record<string, number>>;
}

/** Decision-level totals. */
export interface OverallReport {
  readonly decisions: number;
  /** Decisions with an outcome recorded. */
  readonly withOutcome: number;
  readonly outcomeCoverage: number | null;
  /** Accuracy of all decisions (any layer, clarification included). */
  readonly accuracy: Accuracy;
  /** Outcomes that said the task completed. */
  readonly completed: number;
  readonly completionRate: number | null;
  readonly meanCompletionMinutes: number | null;
  readonly meanQualityScore: number | null;
  /** End-to-end routing latency (decision's total_latency_ms). */
  readonly latency: LatencySummary;
}

/** Corrections: routed expert -> the expert the user corrected to. */
export interface CorrectionsReport {
  readonly total: number;
  /** matrix[routed][correctedTo] = count. */
  readonly matrix: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** How often the clarification fallback answered, and why. */
export interface ClarificationReport {
  readonly count: number;
  readonly rate: number | null;
  /** Count by reason ("low_confidence_cascade", "ambiguous", ...). */
  readonly reasons: Readonly<Record<string, number>>;
  /** Most frequent ambiguous candidate pairs ("a | b"), up to 10. */
  readonly ambiguousPairs: readonly { readonly pair: string; readonly count: number }[];
}

/** One variant of an A/B experiment. */
export interface VariantReport {
  readonly decisions: number;
  readonly accuracy: Accuracy;
  /** Decisions made by a layer (not the clarification fallback). */
  readonly covered: number;
  readonly coverage: number | null;
  readonly clarifications: number;
  readonly clarificationRate: number | null;
}

/** Two-sided two-proportion z-test (candidate minus control). */
export interface ProportionTest {
  readonly difference: number;
  readonly z: number;
  readonly pValue: number;
  /** pValue < alpha. */
  readonly significant: boolean;
}

/** Comparison of the variants of one experiment (`ab_test` on decisions). */
export interface ExperimentReport {
  readonly experiment: string;
  readonly control: VariantReport;
  readonly candidate: VariantReport;
  /** Accuracy test; null when a variant has no judged decision. */
  readonly accuracyTest: ProportionTest | null;
  /** Coverage test; null when a variant has no decision. */
  readonly coverageTest: ProportionTest | null;
  readonly alpha: number;
}

/**
 * What the reader skipped or repaired. `moe-router analyze` warns on stderr from these very
 * numbers, so its JSON and its warning always agree.
 */
export interface DataIssues {
  /** Lines that were not JSON (torn by a crash): skipped. */
  readonly tornLines: number;
  /** JSON lines that are not usable routing records (another format, or malformed fields a reader needs): skipped. */
  readonly invalidRecords: number;
  /** Fields out of range or of the wrong type (quality 5, negative or 1e308 minutes): left out, their records kept. */
  readonly invalidFields: number;
  /** Decisions stored twice under one event id (a retried write): counted once. */
  readonly duplicates: number;
}

/** The whole analysis; plain JSON (print it with JSON.stringify). */
export interface AnalysisReport {
  readonly generatedAt: string;
  readonly window: { readonly hours: number | null; readonly since: string | null; readonly until: string };
  readonly layerFilter: string | null;
  /** Decisions read but left out by the window or the layer filter (unreadable lines are in `dataIssues`). */
  readonly skipped: number;
  /** Synthetic (generated sample) decisions left out because the analysis excluded them. */
  readonly syntheticExcluded: number;
  /** Lines and fields the reader skipped (see {@link DataIssues}). */
  readonly dataIssues: DataIssues;
  readonly firstEventAt: string | null;
  readonly lastEventAt: string | null;
  readonly overall: OverallReport;
  /** Layers in cascade order (by their position in layer_attempts). */
  readonly layers: readonly LayerReport[];
  /** Decisions by deciding layer ("clarification" included). */
  readonly decidedBy: Readonly<Record<string, number>>;
  /** Decisions by selected expert, most frequent first. */
  readonly experts: readonly ({ readonly expert: string } & Share)[];
  readonly corrections: CorrectionsReport;
  readonly clarification: ClarificationReport;
  readonly experiments: readonly ExperimentReport[];
}
