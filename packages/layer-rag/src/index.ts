/**
 * @moe-router/layer-rag: retrieval over labelled past tasks and documents. The k nearest
 * items vote, similarity-weighted, with a calibrated confidence. Vector stores: an embedded
 * default persisted to one file, and PostgreSQL with pgvector.
 */
export { ragLayer } from "./layer.js";
export { createLayer, type RagModuleOptions } from "./module.js";
export { embeddedStore, type EmbeddedStore, type EmbeddedStoreOptions } from "./stores/embedded.js";
export { pgvectorStore, type PgvectorIndex, type PgvectorStoreOptions, type SqlClient } from "./stores/pgvector.js";
export { openStore, EMBEDDED_INDEX_FILE, type OpenStoreOptions } from "./open-store.js";
export { indexDirectory } from "./index-directory.js";
export { parseOwners, ownerMatcher } from "./owners.js";
export type {
  ConfidenceFeature,
  IndexDirectoryOptions,
  IndexReport,
  ItemSource,
  Neighbour,
  OwnerRule,
  ProgressCallback,
  RagLayer,
  RagLayerOptions,
  VectorItem,
  VectorStore,
  Weighting,
} from "./types.js";
