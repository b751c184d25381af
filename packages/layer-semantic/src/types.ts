import type { CalibrationReport, Embedder, LabelledExample, Layer, MoeRouterError } from "@moe-router/core";

/**
 * How an expert's score is computed from the similarities of the task to its exemplars.
 * - `"knn"` (default): mean cosine of the expert's `k` nearest exemplars; the most accurate
 *   on BANKING77 and HWU64 (see the README's measurements).
 * - `"max"`: the nearest exemplar's cosine (k-NN with k = 1).
 * - `"centroid"`: cosine to the mean exemplar vector.
 *
 * Whatever the method, an exemplar identical to the task decides for its expert, so one
 * learned correction is enough to route that text right.
 */
export type ScoringMethod = "max" | "centroid" | "knn";

/** One expert, described by example task texts. */
export interface ExpertExemplars {
  /** Example task descriptions this expert should receive (at least one, or a description). */
  readonly exemplars: readonly string[];
  /** Optional prose description of the expert; embedded as one more exemplar. */
  readonly description?: string;
  /**
   * The expert's own confidence floor in [0,1]. When this expert wins with a calibrated
   * confidence below it, the layer abstains: it reports confidence 0 (so any cascade
   * threshold escalates) and puts the real value in `details.raw_confidence`.
   */
  readonly threshold?: number;
}

/**
 * What the Platt scaler reads from the per-expert scores: the winner's lead over the
 * runner-up (`margin`), the winner's score (`top`), its softmax probability (`probability`),
 * or both margin and top (`margin+top`, a two-feature logistic fit: a task far from every
 * exemplar gets a low confidence even when one expert leads).
 */
export type CalibrationFeature = "margin" | "top" | "probability" | "margin+top";

/**
 * Temperature scaling: confidence is the softmax probability of the winning expert,
 * softmax(scores / temperature).
 */
export interface TemperatureCalibration {
  readonly kind: "temperature";
  /** Softmax temperature over the per-expert scores (> 0). */
  readonly temperature: number;
}

/**
 * Platt scaling: confidence = 1 / (1 + exp(-(a * feature + b))), a logistic fit of
 * "was the winner right?" on a feature of the scores; for `margin+top` it is
 * 1 / (1 + exp(-(a * margin + c * top + b))). `temperature` still shapes the reported
 * `probabilities`.
 */
export interface PlattCalibration {
  readonly kind: "platt";
  readonly feature: CalibrationFeature;
  readonly a: number;
  readonly b: number;
  /** Weight of the top score; only for the `margin+top` feature. */
  readonly c?: number;
  /** Softmax temperature for `probabilities` (and for the `probability` feature). */
  readonly temperature: number;
}

/** Fitted calibration parameters; `getCalibration()` returns them so a config can pin them. */
export type SemanticCalibration = TemperatureCalibration | PlattCalibration;

/** Options of {@link semanticLayer}. */
export interface SemanticLayerOptions {
  /** Turns texts into vectors (e.g. `hashedEmbedder()` from @moe-router/embeddings). Not closed by the layer. */
  readonly embedder: Embedder;
  /** Experts and their exemplars. May be empty when `fit()` or `learn()` will supply examples. */
  readonly experts?: Readonly<Record<string, ExpertExemplars>>;
  /** Layer name, unique within a cascade. Default "semantic". */
  readonly name?: string;
  /** Default "knn" (see {@link ScoringMethod}). */
  readonly scoring?: ScoringMethod;
  /** Neighbours per expert for `"knn"` scoring. Default 5 (5 and 10 measured alike; 5 suits small exemplar sets). */
  readonly k?: number;
  /**
   * Fitted parameters (from `getCalibration()` or a report), or `"exemplars"` (default):
   * fit on leave-one-out predictions over the exemplars themselves at start-up, falling back
   * to a conservative prior when they cannot support a fit. `fit()` / `calibrate()` refit on
   * held-out labelled data, which is better.
   */
  readonly calibration?: SemanticCalibration | "exemplars";
  /** Platt (default) or temperature scaling for the "exemplars" self-calibration. */
  readonly calibrationKind?: "platt" | "temperature";
  /** Most leave-one-out queries used by "exemplars" calibration (cost grows with it). Default 400. */
  readonly calibrationSample?: number;
  /**
   * How many labelled examples the conservative prior counts as when calibration is fitted
   * (leave-one-out or `fit()` / `calibrate()`): n predictions weigh n / (n + weight) against
   * it, so a fit on a few exemplars stays near the prior. Default 20; 0 fits on the data alone.
   */
  readonly calibrationPriorWeight?: number;
  /**
   * File for exemplar vectors (and learned examples), keyed by embedder id and text hash, so a
   * restart embeds only new or changed exemplars. Absent: nothing is persisted.
   */
  readonly persistPath?: string;
  /** Expert reported (with confidence 0) when the task gives no signal. Default "coordinator-master". */
  readonly fallbackExpert?: string;
  /** Seed for validation splits and calibration samples. Default 42. */
  readonly seed?: number;
  /**
   * Receives non-fatal problems (corrupt or unwritable vector file: codes MOE_CORRUPT_FILE,
   * MOE_STORE_FAILED). Default: `process.emitWarning`.
   */
  readonly onWarning?: (warning: MoeRouterError) => void;
}

/** Options of {@link SemanticLayer.fit}. */
export interface FitOptions {
  /** Held-out labelled examples for calibration. Absent: a stratified share of `examples` is carved off. */
  readonly validation?: readonly LabelledExample[];
  /** Share of each expert's examples carved off for validation when none is given. Default 0.1. */
  readonly validationShare?: number;
  /** Default "platt". */
  readonly kind?: "platt" | "temperature";
  /** Platt feature. Default "margin+top". */
  readonly feature?: CalibrationFeature;
  /** Seed of the carve. Default: the layer's seed. */
  readonly seed?: number;
  /** Pseudo-examples of the prior in the fit. Default: the layer's `calibrationPriorWeight` (20). */
  readonly priorWeight?: number;
}

/** Core's {@link CalibrationReport} as the semantic layer fills it (always with `eceRaw` and `unknownExpert`). */
export type SemanticCalibrationReport = CalibrationReport<SemanticCalibration> & { readonly eceRaw: number; readonly unknownExpert: number };

/** Options of {@link SemanticLayer.calibrate}. */
export interface CalibrateOptions {
  /** Default "platt". */
  readonly kind?: "platt" | "temperature";
  /** Platt feature. Default "margin+top". */
  readonly feature?: CalibrationFeature;
  /** Pseudo-examples of the prior in the fit. Default: the layer's `calibrationPriorWeight` (20). */
  readonly priorWeight?: number;
}

/** Counters about the layer's exemplar store. */
export interface SemanticLayerStats {
  /** Rows in the store (exemplars, descriptions and learned examples). */
  readonly exemplars: number;
  /** Experts with at least one row. */
  readonly experts: readonly string[];
  /** Texts embedded by this layer since it was created (cache hits excluded). */
  readonly embedded: number;
  /** Vectors taken from the persisted file instead of being embedded. */
  readonly loadedFromCache: number;
  /**
   * What the confidence rests on: parameters from the config (`configured`), a fit on
   * held-out data (`fitted`), leave-one-out over the exemplars (`exemplars`), or nothing yet
   * (`prior`: too few or too easily separated exemplars; conservative by design).
   */
  readonly calibrationSource: "configured" | "fitted" | "exemplars" | "prior";
  /**
   * Labelled predictions the calibration in force was fitted on (0 for `prior` and
   * `configured`). Always set by this layer (optional only so that hosts that build stats
   * objects of their own keep compiling).
   */
  readonly calibrationSamples?: number;
  /** True when the calibration came from the vector file (no refit at start-up). Always set by this layer. */
  readonly calibrationRestored?: boolean;
}

/** The semantic layer: a {@link Layer} plus fitting, calibration and readiness. */
export interface SemanticLayer extends Layer {
  /** Resolves when exemplars are embedded (or loaded) and calibration is in place. */
  ready(): Promise<void>;
  /** Adds labelled examples as exemplars (only new texts are embedded; a known text with a new expert is relabelled). */
  learn(examples: readonly LabelledExample[]): Promise<void>;
  /** Learns `examples` (minus a held-out share) and calibrates on the held-out part. */
  fit(examples: readonly LabelledExample[], options?: FitOptions): Promise<SemanticCalibrationReport>;
  /** Refits calibration on held-out labelled examples; exemplars are unchanged. */
  calibrate(validation: readonly LabelledExample[], options?: CalibrateOptions): Promise<SemanticCalibrationReport>;
  /** The calibration in force (throws MOE_CLOSED after close()). Available after ready(). */
  getCalibration(): SemanticCalibration;
  /** Per-expert confidence floors, for hosts that want to show or tune them. */
  getExpertThresholds(): Readonly<Record<string, number>>;
  stats(): SemanticLayerStats;
  /** Waits for pending writes of the vector file; the embedder is left open. */
  close(): Promise<void>;
}

/**
 * Options of the semantic layer in a config file (`createLayer`): JSON-friendly, without
 * the embedder (the host passes it) and with file-based exemplars.
 */
export interface SemanticLayerConfig extends Pick<SemanticLayerOptions, "experts" | "name" | "scoring" | "k" | "calibration" | "calibrationKind" | "calibrationSample" | "fallbackExpert" | "seed"> {
  /** JSONL file of `{ "text", "label" }` rows (label = expert), merged into `experts`. Relative to the config file's directory. */
  readonly exemplarsFile?: string;
  /** Rows of `exemplarsFile` with a `split` field are used only when it equals this. Default "train". */
  readonly exemplarsSplit?: string;
  /** As {@link SemanticLayerOptions.calibrationPriorWeight}. */
  readonly calibrationPriorWeight?: number;
  /** Persist vectors under the environment's data directory (as `semantic-<name>.vectors`). Default true. */
  readonly persist?: boolean;
}
