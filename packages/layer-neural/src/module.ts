import { existsSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import type { Layer, LayerEnvironment, TfidfOptions } from "@moe-router/core";
import { defineLayer, resolveLayerPath } from "@moe-router/core/kit";
import type { FeatureKind, HeadKind, NeuralLayerOptions } from "./types.js";
import { definition as layerDefinition, OPTIONS } from "./layer.js";

/** Options of the layer when named in a config file (`{ "package": "@moe-router/layer-neural", "options": {...} }`). */
export interface NeuralLayerConfig {
  /** Model file, relative to the data directory unless absolute. Default `neural/model.json`. */
  readonly modelPath?: string;
  /** Run an exported ONNX head instead; `path` is relative to the data directory unless absolute. */
  readonly onnx?: { readonly path: string; readonly labels?: readonly string[]; readonly temperature?: number };
  readonly name?: string;
  readonly fallbackExpert?: string;
  readonly kind?: HeadKind;
  /** Input features of a head trained from scratch: "embedding" (default), "tfidf" or "tfidf+embedding". */
  readonly features?: FeatureKind;
  /** TF-IDF settings (n-gram ranges, minDf, maxFeatures). */
  readonly tfidf?: TfidfOptions;
  readonly fitEpochs?: number;
  readonly fitStopOn?: "loss" | "accuracy";
  readonly learnEpochs?: number;
  readonly learnBufferSize?: number;
}

const definition = defineLayer<NeuralLayerOptions, NeuralLayerConfig>()({
  name: "neural",
  options: OPTIONS,
  needsEmbedder: true,
  config: { modelPath: { type: "path", base: "data", description: "the model file" } },
  build: (options) => layerDefinition.factory(options),
  fromConfig(config, environment): NeuralLayerOptions {
    const { modelPath, onnx, ...rest } = config;
    const layerOptions: NeuralLayerOptions = { ...rest, embedder: environment.embedder! };
    if (onnx !== undefined) return { ...layerOptions, onnx: { ...onnx, path: resolveLayerPath(onnx.path, environment, "data") } };
    const path = modelPath ?? defaultModelPath(environment.dataDir);
    return { ...layerOptions, ...(existsSync(path) ? { model: path } : {}), savePath: path };
  },
});

/** Where the layer keeps its model in a data directory, and where `moe-router train` writes it. */
export function defaultModelPath(dataDir: string): string {
  return join(dataDir, "neural", "model.json");
}

/** Resolves the model path of a config entry against the data directory. */
export function resolveModelPath(options: { readonly modelPath?: string } | undefined, dataDir: string): string {
  const path = options?.modelPath;
  if (path === undefined) return defaultModelPath(dataDir);
  return isAbsolute(path) ? path : resolve(dataDir, path);
}

/**
 * The config-file entry point (core's LayerModule): builds the layer with the host's
 * embedder, loading the model from `modelPath` (default `<dataDir>/neural/model.json`).
 * A missing model file gives an untrained layer (confidence 0) that saves there once
 * `learn()` has trained it.
 * @throws MoeRouterError INVALID_CONFIG when the config names no embedder or an option is wrong.
 */
export function createLayer(options: unknown, environment: LayerEnvironment): Layer {
  return definition.createLayer(options, environment);
}
