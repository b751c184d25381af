/**
 * @moe-router/layer-neural: a classifier head over embeddings (softmax regression or a
 * small MLP) trained in TypeScript, calibrated by temperature scaling, saved with its
 * embedder id, and optionally run from ONNX through onnxruntime-node.
 */
export { neuralLayer, type NeuralLayer } from "./layer.js";
export { createLayer, defaultModelPath, resolveModelPath, type NeuralLayerConfig } from "./module.js";
export { trainHead } from "./train.js";
export { MODEL_FORMAT, MODEL_FORMAT_VERSION, loadHead, loadHeadSync, parseHead, saveHead, saveHeadSync, serialiseHead, type LoadHeadOptions, type ModelFileHeader } from "./persist.js";
export { ONNX_METADATA, exportOnnx, onnxHead } from "./onnx.js";
export type {
  CalibrationMetrics,
  DenseLayer,
  EpochMetrics,
  FeatureKind,
  HeadFeatures,
  HeadInput,
  HeadKind,
  HeadPrediction,
  NeuralFitOptions,
  NeuralFitReport,
  NeuralLayerOptions,
  OnnxHead,
  OnnxHeadOptions,
  ReplayExample,
  TrainOptions,
  TrainedHead,
  TrainingExample,
  TrainingMetrics,
} from "./types.js";
