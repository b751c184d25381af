/**
 * @moe-router/layer-semantic: routes a task to the expert whose exemplar utterances it is
 * most similar to, with a calibrated confidence. Gets an `Embedder` injected.
 */
export { createLayer, semanticLayer } from "./module.js";
export { DEFAULT_EXPERT_EXEMPLARS } from "./default-exemplars.js";
export type {
  CalibrateOptions,
  CalibrationFeature,
  ExpertExemplars,
  SemanticCalibrationReport,
  FitOptions,
  PlattCalibration,
  ScoringMethod,
  SemanticCalibration,
  SemanticLayer,
  SemanticLayerConfig,
  SemanticLayerOptions,
  SemanticLayerStats,
  TemperatureCalibration,
} from "./types.js";
