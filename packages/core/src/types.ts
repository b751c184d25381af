/**
 * The moe-router contract: what a task, a layer, a verdict and a decision are.
 * Everything here is public and kept stable; see README "Compatibility".
 */

/** A unit of work to route to an expert. */
export interface RoutingTask {
  /** Caller's id for the task; also the key for deterministic A/B assignment. */
  readonly id?: string;
  /** Natural-language description, e.g. "Fix authentication bug in login system". */
  readonly description: string;
  /** Free-form metadata (priority, source, ...), carried into the decision record. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** What one layer says about one task. */
export interface Verdict {
  /** The expert this layer would route to. */
  readonly expert: string;
  /** In [0,1]; meant as the probability that `expert` is right. */
  readonly confidence: number;
  /** Optional distribution over experts (values in [0,1]). */
  readonly probabilities?: Readonly<Record<string, number>>;
  /** Layer-specific evidence: rule used, matched keywords, neighbours, ... */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Per-call context the cascade hands to a layer. */
export interface LayerContext {
  /** Aborted when the layer's time budget is spent; async layers should stop work. */
  readonly signal?: AbortSignal;
  /** Experts the cascade knows, when declared. Layers may use it to restrict answers. */
  readonly experts?: readonly string[];
  /** Event id of the decision in progress. */
  readonly eventId: string;
}

/** A labelled example: a task text and the expert that was right for it. */
export interface LabelledExample {
  readonly text: string;
  readonly expert: string;
  /** Where the label came from. */
  readonly source?: "outcome" | "dataset" | "manual" | "document";
  /** Relative weight (default 1). */
  readonly weight?: number;
}

/**
 * Optional abilities a layer declares. The conformance kit reads this manifest
 * to decide which groups of checks to run (like abstract-level's `supports`).
 */
export interface LayerCapabilities {
  /** `learn()` absorbs labelled examples and can change later verdicts. */
  readonly learn?: boolean;
  /** Same task -> same verdict (given no learning in between). */
  readonly deterministic?: boolean;
  /** `route()` may return a Promise. Sync layers keep the hot path promise-free. */
  readonly async?: boolean;
  /** The layer persists state (exemplars, index, weights) across restarts. */
  readonly persistence?: boolean;
  /** Experts this layer can answer with; empty/absent = open set. */
  readonly experts?: readonly string[];
  /** `fit()` trains the layer afresh on a training set (with validation rows for calibration). */
  readonly fit?: boolean;
  /** `calibrate()` refits the confidence mapping on held-out examples. */
  readonly calibrate?: boolean;
  /** `ready()` finishes the layer's lazy start-up (embedding exemplars, loading a model). */
  readonly ready?: boolean;
}

/** Options of {@link Layer.fit}. */
export interface FitOptions {
  /** Held-out rows for early stopping and calibration; never trained on. */
  readonly validation?: readonly LabelledExample[];
  /** Seed of any random split or initialisation the layer makes. */
  readonly seed?: number;
}

/**
 * What `calibrate()` (and a calibrating `fit()`) measured: one shape for every layer, so
 * hosts (the tuner, `moe-router train`) print it without knowing the layer.
 * `Parameters` is the fitted mapping (Platt scaler, temperature, ...) in the layer's terms.
 */
export interface CalibrationReport<Parameters = unknown> {
  /** The calibration now in force (persist it, or pass it back as the layer's option). */
  readonly parameters: Parameters;
  /** Examples the fit used. */
  readonly examples: number;
  /** Share of those examples routed to the right expert. */
  readonly accuracy: number;
  /** Expected calibration error before and after the fit. */
  readonly eceBefore: number;
  readonly eceAfter: number;
  /** ECE of the raw score read as a probability, when the layer measures it. */
  readonly eceRaw?: number;
  /** Examples skipped because the layer knows nothing of their expert. */
  readonly unknownExpert?: number;
}

/** A routing layer: the plugin contract. Create one with a factory function. */
export interface Layer {
  /** Unique within a cascade: "keyword", "semantic", ... */
  readonly name: string;
  /** Optional abilities; absent means all false. */
  readonly capabilities?: LayerCapabilities;
  /** Gives a verdict for the task. Must not mutate the task. */
  route(task: RoutingTask, context: LayerContext): Verdict | Promise<Verdict>;
  /** Absorbs labelled examples (e.g. corrected outcomes). */
  learn?(examples: readonly LabelledExample[]): void | Promise<void>;
  /**
   * Trains the layer afresh on `examples` (capability `fit`); `options.validation` holds the
   * rows for early stopping / calibration. Resolves to the layer's report (a
   * {@link CalibrationReport} or a richer one).
   */
  fit?(examples: readonly LabelledExample[], options?: FitOptions): Promise<unknown>;
  /** Refits the confidence mapping on held-out examples (capability `calibrate`). */
  calibrate?(validation: readonly LabelledExample[]): Promise<CalibrationReport>;
  /** Finishes lazy start-up so the first route is fast (capability `ready`). */
  ready?(): Promise<void>;
  /** Releases resources (files, connections, models). */
  close?(): void | Promise<void>;
}

/** Turns texts into vectors. Implemented in @moe-router/embeddings and friends. */
export interface Embedder {
  /** Stable id of model + settings; persisted vectors are keyed by it. */
  readonly id: string;
  /** Vector length. */
  readonly dimension: number;
  /** Embeds a batch; vectors are L2-normalised unless the embedder documents otherwise. */
  embed(texts: readonly string[]): Float32Array[] | Promise<Float32Array[]>;
  close?(): void | Promise<void>;
}

/** A coded error as recorded on an attempt (serialisable). */
export interface AttemptError {
  readonly code: string;
  readonly message: string;
}

/** One layer's attempt within a decision. */
export interface LayerAttempt {
  readonly layer: string;
  /** Absent when the layer errored. */
  readonly expert?: string;
  readonly confidence?: number;
  readonly probabilities?: Readonly<Record<string, number>>;
  readonly threshold: number;
  /** True for the attempt that decided the route. */
  readonly accepted: boolean;
  readonly latencyMs: number;
  readonly error?: AttemptError;
  readonly details?: Readonly<Record<string, unknown>>;
  /** True when the layer ran only for shadow logging (after the route was decided). */
  readonly shadow?: boolean;
}

/** Why the clarification fallback answered, and whom to ask about. */
export interface Clarification {
  /** "out_of_scope": a layer confidently named an out-of-scope label (`outOfScopeExperts`). */
  readonly reason: "low_confidence_cascade" | "ambiguous" | "all_layers_failed" | "no_layers" | "out_of_scope";
  /** The two best candidates, when they are within the ambiguity margin. */
  readonly candidates?: readonly string[];
  /** A question a platform can show the user. */
  readonly question?: string;
}

/** The cascade's answer for one task. */
export interface Decision {
  readonly eventId: string;
  readonly timestamp: string;
  readonly task: RoutingTask;
  readonly expert: string;
  /** Name of the deciding layer, or "clarification". */
  readonly layer: string;
  readonly confidence: number;
  readonly probabilities?: Readonly<Record<string, number>>;
  readonly attempts: readonly LayerAttempt[];
  readonly clarification?: Clarification;
  /** A/B assignment, when an experiment runs. */
  readonly experiment?: { readonly name: string; readonly variant: "control" | "candidate" };
  /** Thresholds in force for this decision, by layer name. */
  readonly thresholds: Readonly<Record<string, number>>;
  /** True when every layer ran for logging (shadow sampling). */
  readonly shadow?: boolean;
  readonly latencyMs: number;
}

/** Event passed to observers when a route starts. */
export interface RouteStartEvent {
  readonly eventId: string;
  readonly task: RoutingTask;
  readonly timestamp: string;
}

/** Event passed to observers when a layer starts. */
export interface LayerStartEvent {
  readonly eventId: string;
  readonly layer: string;
}

/** Event passed to observers when a layer has answered (or failed). */
export interface LayerVerdictEvent {
  readonly eventId: string;
  readonly attempt: LayerAttempt;
}

/**
 * Hooks on the cascade. The tracker implements this; so can OpenTelemetry or tests.
 * Hooks are called synchronously; an observer that throws is counted, never fatal.
 */
export interface CascadeObserver {
  onRouteStart?(event: RouteStartEvent): void;
  onLayerStart?(event: LayerStartEvent): void;
  onLayerVerdict?(event: LayerVerdictEvent): void;
  /**
   * The routing decision. Return nothing normally; return a promise to apply backpressure
   * (e.g. a store whose buffer is over its high-water mark): async `route()` resolves only
   * once it settles (a rejection is ignored). `routeSync()` cannot wait and never does.
   * (The declared `void` accepts a promise-returning implementation.)
   */
  onDecision?(decision: Decision): void;
}
