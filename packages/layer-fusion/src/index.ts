/**
 * @moe-router/layer-fusion: combines the probability vectors of the layers that ran
 * (semantic, RAG, neural, ...) into one calibrated verdict with a log-linear stacker fitted
 * on validation rows. Imports only @moe-router/core; the member layers are passed in.
 */
export { fusionLayer, type FusionFitReport, type FusionLayer, type FusionLayerOptions } from "./layer.js";
export { PROBABILITY_FLOOR, fitStacker, type StackRow, type StackerFitSettings, type StackerParameters } from "./stacker.js";
