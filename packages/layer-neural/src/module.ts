import { existsSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { ErrorCode, MoeRouterError, type Layer, type LayerEnvironment } from "@moe-router/core";
import type { TfidfOptions } from "@moe-router/core";
import type { FeatureKind, HeadKind, NeuralLayerOptions } from "./types.js";
import { neuralLayer } from "./layer.js";
import { checkKnownKeys } from "./internal/options.js";

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

const CONFIG_KEYS = ["modelPath", "onnx", "name", "fallbackExpert", "kind", "features", "tfidf", "fitEpochs", "fitStopOn", "learnEpochs", "learnBufferSize"];

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
  const config = (options ?? {}) as NeuralLayerConfig;
  if (typeof config !== "object" || Array.isArray(config)) throw new MoeRouterError(ErrorCode.INVALID_CONFIG, "@moe-router/layer-neural options must be an object, e.g. { \"modelPath\": \"neural/model.json\" }.");
  checkKnownKeys(config, CONFIG_KEYS, "@moe-router/layer-neural options");
  if (!environment.embedder) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, 'The neural layer needs an embedder: add `"embedder": { "package": "@moe-router/embeddings" }` to the config (the one the model was trained with).');
  }
  const { modelPath, onnx, ...rest } = config;
  const layerOptions: NeuralLayerOptions = { ...rest, embedder: environment.embedder };
  if (onnx !== undefined) {
    if (!onnx || typeof onnx.path !== "string") throw new MoeRouterError(ErrorCode.INVALID_CONFIG, '"onnx" must be { "path": "head.onnx", "labels"?: [...] }.');
    return neuralLayer({ ...layerOptions, onnx: { ...onnx, path: isAbsolute(onnx.path) ? onnx.path : resolve(environment.dataDir, onnx.path) } });
  }
  const path = resolveModelPath({ ...(modelPath !== undefined ? { modelPath } : {}) }, environment.dataDir);
  return neuralLayer({ ...layerOptions, ...(existsSync(path) ? { model: path } : {}), savePath: path });
}
