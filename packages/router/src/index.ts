/**
 * @moe-router/router: a running router from a config file or object — layers, embedder,
 * tracking, tuned thresholds, learning, hot reload. The CLI and the HTTP server use it.
 */
export { openRouter, type OpenRouterOptions, type Readiness, type ReloadResult, type RouteOptions, type Router, type RouterStats } from "./open-router.js";
export { decisionOutput, type DecisionOutputOptions } from "./output.js";
export { learnFromOutcomes, LEARNED_STATE_FILE, type LearnContext, type LearnOptions, type LearnReport } from "./learn.js";
export { loadRouterConfig, parseConfigText, validateRouterConfig, type LoadedConfig } from "./config/load.js";
export { DEFAULT_CONFIG, DEFAULT_EXPERTS } from "./config/default.js";
export type { LayerEntry, PackageRef, RouterConfig, TrackingConfig } from "./config/types.js";
export { importEmbedderModule, importLayerModule, importModule, resolveModule, type ModuleBase, type ResolvedModule } from "./config/modules.js";
export { buildRouter, createCascadeFor, type BuildRouterOptions, type BuiltRouter, type CascadeParts } from "./build-router.js";
export { DEFAULT_STARTUP_TIMEOUT_MS } from "./startup.js";
export { DEFAULT_DATA_DIR, DEFAULT_STORE, DEFAULT_THRESHOLDS_FILE } from "./defaults.js";
export { STORE_FORMS, openTracking, requireTracking, storeSpec, type OpenTrackingOptions, type Tracking, type TrackingContext } from "./tracking.js";
export {
  fileThresholdsSource,
  readThresholdsSafely,
  thresholdsFilePath,
  thresholdsInForce,
  withTunedExperiment,
  type LayerThreshold,
  type ThresholdSource,
  type ThresholdsReport,
  type ThresholdsSource,
} from "./thresholds.js";
export { configThresholdsSource, thresholdsStoreSource, thresholdsStoreSpec, type ClosableThresholdsSource } from "./thresholds-store-source.js";
export { silentLogger, stderrLogger, type RouterLogger } from "./logger.js";
