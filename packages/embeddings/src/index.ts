/**
 * @moe-router/embeddings: the model-free hashed n-gram embedder, and embedder-agnostic
 * wrappers (LRU cache, batching, combination) for any implementation of core's `Embedder`.
 */
export { hashedEmbedder, hashedEmbedderFromState } from "./hashed.js";
export { cachedEmbedder } from "./cached.js";
export { batchingEmbedder } from "./batching.js";
export { combinedEmbedder } from "./combined.js";
export { createEmbedder } from "./module.js";
export type {
  BatchingEmbedder,
  BatchingEmbedderOptions,
  BatchingStats,
  CachedEmbedder,
  CachedEmbedderOptions,
  CacheStats,
  CombinedEmbedderOptions,
  EmbedderConfig,
  HashedEmbedder,
  HashedEmbedderOptions,
  HashedEmbedderState,
  IdfTable,
  NgramRange,
} from "./types.js";
