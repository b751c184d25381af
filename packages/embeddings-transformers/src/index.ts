/**
 * @moe-router/embeddings-transformers: sentence-transformers ONNX models through
 * transformers.js, loaded from a local directory or cache (never downloaded).
 */
export { transformersEmbedder } from "./transformers.js";
export { createEmbedder } from "./module.js";
export type { TransformersEmbedder, TransformersEmbedderOptions } from "./types.js";
