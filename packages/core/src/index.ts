/**
 * @moe-router/core: the contract, the cascade runner, fallback and clarification,
 * A/B assignment, config validation and typed errors. Knows no layer.
 */
export type {
  AttemptError,
  CalibrationReport,
  CascadeObserver,
  Clarification,
  Decision,
  Embedder,
  FitOptions,
  LabelledExample,
  Layer,
  LayerAttempt,
  LayerCapabilities,
  LayerContext,
  LayerStartEvent,
  LayerVerdictEvent,
  RouteStartEvent,
  RoutingTask,
  Verdict,
} from "./types.js";
export { createCascade, type Cascade, type CascadeStats } from "./cascade.js";
export { validateCascadeOptions, isUnitInterval, type CascadeLayer, type CascadeOptions, type FallbackConfig } from "./config.js";
export { ErrorCode, MoeRouterError, isMoeRouterError, toAttemptError, type ErrorCodeValue, type MoeRouterErrorOptions } from "./errors.js";
export { assignVariant, sampled, type ExperimentConfig, type Variant } from "./experiment.js";
export type { EmbedderModule, LayerEnvironment, LayerModule } from "./modules.js";
export { lookupLayer, type LookupLayerOptions } from "./reference-layer.js";
export { cosine, dot, norm, normalise, softmax } from "./vectors.js";
export { applyPlatt, expectedCalibrationError, fitPlatt, fitTemperature, type PlattScaler } from "./calibration.js";
export { seededRandom } from "./random.js";
export { stringifyJsonSafe, toJsonSafe } from "./json-safe.js";
export { writeFileAtomic, type WriteFileAtomicOptions } from "./files.js";
export { fitTfidf, tfidfFromState, type SparseVector, type TfidfFeaturizer, type TfidfOptions, type TfidfState } from "./tfidf.js";
export { terminalSafe, terminalSafeDeep, terminalSafeJson, type TerminalSafeOptions } from "./terminal-text.js";
