/**
 * Public types of @moe-router/tuner: route traces (the tuner's view of a tracked or
 * evaluated decision), tuning options and proposals, predicted metrics.
 */

/** One layer's attempt as the tuner sees it. */
export interface TraceAttempt {
  /** Expert the layer named; absent when it errored. */
  readonly expert?: string;
  /** Confidence in [0,1]; absent when it errored. */
  readonly confidence?: number;
  /** True when the layer errored (threw, timed out, malformed verdict): the cascade moves on. */
  readonly errored: boolean;
  /** Time the layer took (ms), when recorded. */
  readonly latencyMs?: number;
}

/**
 * What is known about the right answer for a routed task.
 * - `expert`: the right expert (outcome said the route was right, or the user corrected it; or a dataset label).
 * - `wrongExpert`: an expert known to be wrong (outcome said wrong, no correction given).
 * Both absent: unknown; such traces are left out of precision estimates.
 */
export interface TraceTruth {
  readonly expert?: string;
  readonly wrongExpert?: string;
}

/**
 * A routed task reduced to what tuning needs: the attempts of the layers that ran,
 * whether every layer ran (shadow sampling), and what is known about the right answer.
 */
export interface RouteTrace {
  /** Attempts by layer name; a layer that did not run has no entry. */
  readonly attempts: Readonly<Record<string, TraceAttempt>>;
  /** True when every layer ran for logging (shadow sampling): unbiased for every layer. */
  readonly shadow: boolean;
  readonly truth: TraceTruth;
  /** Time of the decision (ISO-8601), when known. */
  readonly timestamp?: string;
}

/** Which confidence bound on precision the tuner uses. */
export type BoundMethod = "wilson" | "clopper-pearson";

/**
 * What the precision target applies to.
 * - `"cascade"` (default): all decisions the layers take together; thresholds are chosen jointly
 *   to maximise the cascade's coverage.
 * - `"layer"`: each layer's own accepted decisions; layers are tuned one after another in
 *   cascade order (stricter: later layers see few tasks and rarely prove a high target).
 */
export type PrecisionConstraint = "cascade" | "layer";

/** Options of the threshold search. */
export interface ThresholdSearchOptions {
  /** Default "cascade" (see {@link PrecisionConstraint}). */
  readonly constraint?: PrecisionConstraint;
  /** Precision that accepted decisions must keep, with confidence. Default 0.9. */
  readonly targetPrecision?: number;
  /** Confidence level of the lower bound (one-sided). Default 0.95. */
  readonly confidenceLevel?: number;
  /** Lower-bound method. Default "clopper-pearson" (exact, conservative). */
  readonly bound?: BoundMethod;
  /** Fewer samples than this for a layer: "insufficient samples", threshold kept. Default 100. */
  readonly minSamples?: number;
  /**
   * A candidate threshold accepting fewer samples than this is not tested (its bound would be
   * too wide to say anything). Default 10.
   */
  readonly minAccepted?: number;
  /** Largest move of a threshold per run. Default 0.05. */
  readonly maxStep?: number;
  /** Doubles `maxStep` (the prototype's `-a`). Default false. */
  readonly aggressive?: boolean;
}

/** A (confidence, correct) pair for one layer. */
export interface LayerSample {
  readonly confidence: number;
  readonly correct: boolean;
  /** From a shadow-sampled trace (unbiased). */
  readonly shadow: boolean;
}

/** Why a layer's threshold moved or not. */
export type ProposalStatus = "tuned" | "insufficient_samples" | "target_unreachable";

/** The tuner's answer for one layer. */
export interface LayerProposal {
  readonly layer: string;
  readonly before: number;
  readonly after: number;
  /** Threshold the search would pick without the step limit (absent when not searched). */
  readonly optimum?: number;
  readonly status: ProposalStatus;
  /** Samples used (those that reach this layer under the proposed earlier thresholds, correctness known). */
  readonly samples: number;
  /** Of `samples`, how many came from shadow-sampled traces. */
  readonly shadowSamples: number;
  /** "shadow" when only shadow samples were used (enough of them), else "mixed". */
  readonly source: "shadow" | "mixed";
  /**
   * Traces that would reach this layer under the proposed thresholds but where it never ran
   * (an earlier layer decided at the time, no shadow sampling): the selection-bias blind spot.
   */
  readonly unobserved: number;
  /** Accepted precision at `after` on the samples, and its lower bound. */
  readonly precision?: number;
  readonly precisionLowerBound?: number;
  /** Share of samples accepted at `after`. */
  readonly coverage?: number;
  /** Human-readable explanation (e.g. "insufficient samples: 42 of 100 needed"). */
  readonly reason: string;
}

/** Predicted cascade behaviour under a set of thresholds, replayed from traces. */
export interface PredictedMetrics {
  /** Traces the replay could follow to the end (every layer it needed had run). */
  readonly simulated: number;
  /** Traces the replay could not follow (a layer it needed never ran). */
  readonly unsimulable: number;
  /** Accuracy of decisions taken by a layer (not the fallback), over those with known truth. */
  readonly accuracy: number | undefined;
  /** Share of simulated traces decided by a layer. */
  readonly coverage: number;
  /** Share of simulated traces that fell through to the clarification fallback. */
  readonly clarificationRate: number;
  /** Share decided by each layer. */
  readonly byLayer: Readonly<Record<string, number>>;
}

/** The cascade's accepted precision at proposed thresholds, on the samples used. */
export interface CascadeSummary {
  /** Decisions a layer took, among replayable samples with known truth. */
  readonly decisions: number;
  readonly precision: number | undefined;
  readonly precisionLowerBound: number;
  readonly coverage: number;
  /** Bound >= target. */
  readonly meetsTarget: boolean;
  /** "shadow" when only shadow-sampled traces were used. */
  readonly source: "shadow" | "mixed";
}

/** A full proposal: per-layer moves and the predicted before/after. */
export interface ThresholdProposal {
  readonly layers: readonly LayerProposal[];
  readonly before: Readonly<Record<string, number>>;
  readonly after: Readonly<Record<string, number>>;
  readonly predictedBefore: PredictedMetrics;
  readonly predictedAfter: PredictedMetrics;
  readonly traces: number;
  readonly shadowTraces: number;
  /** With the "cascade" constraint: where the joint search ended. */
  readonly cascade?: CascadeSummary;
  /** Options in force (defaults filled in). */
  readonly options: Required<ThresholdSearchOptions>;
}

/** One target precision of an evaluation's sweep, with where the tuned cascade lands on validation. */
export interface SweepPoint {
  readonly targetPrecision: number;
  readonly thresholds: Readonly<Record<string, number>>;
  readonly valCoverage: number;
  readonly valAccuracy: number | undefined;
}

/** How one layer was fitted by evaluate(). */
export interface FitRecord {
  readonly layer: string;
  /** "fit": the layer's own fit(train, { validation }); "learn": learn(train); "+calibrate": then calibrate(validation). */
  readonly method: "fit" | "learn" | "learn+calibrate" | "none";
  readonly examples: number;
  readonly ms: number;
  /** Calibration figures or a non-fatal problem, in words. */
  readonly note?: string;
}
