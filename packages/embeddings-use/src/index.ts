/**
 * @moe-router/embeddings-use: Universal Sentence Encoder lite, with weights installed from
 * npm and run offline on TensorFlow.js's WebAssembly backend.
 */
export { useEmbedder } from "./use.js";
export { createEmbedder } from "./module.js";
export type { UseEmbedder, UseEmbedderOptions } from "./types.js";
