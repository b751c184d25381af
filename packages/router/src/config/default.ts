import { DEFAULT_DATA_DIR, DEFAULT_STORE, DEFAULT_THRESHOLDS_FILE } from "../defaults.js";
import type { RouterConfig } from "./types.js";

/** The prototype's experts. */
export const DEFAULT_EXPERTS = ["security-master", "cicd-master", "inventory-master", "development-master", "coordinator-master"] as const;

/**
 * The embedded default: runs with no config file and no server.
 * Keyword rules (the prototype's four) at 0.85, then semantic similarity to built-in
 * exemplars of each expert (model-free hashed embedder, calibrated) at 0.70, then the
 * clarification fallback. RAG and neural layers need an index or a trained model, so they are
 * added by config once `moe-router index` / `moe-router train` have run.
 */
export const DEFAULT_CONFIG: RouterConfig = {
  experts: [...DEFAULT_EXPERTS],
  fallback: { expert: "coordinator-master", ambiguityMargin: 0.1 },
  embedder: { package: "@moe-router/embeddings", options: { kind: "hashed", cache: 2000 } },
  layers: [
    { package: "@moe-router/layer-keyword", threshold: 0.85 },
    { package: "@moe-router/layer-semantic", threshold: 0.7 },
  ],
  tracking: { store: DEFAULT_STORE },
  thresholdsFile: DEFAULT_THRESHOLDS_FILE,
  dataDir: DEFAULT_DATA_DIR,
};
