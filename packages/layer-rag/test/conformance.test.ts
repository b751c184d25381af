import { hashedEmbedder } from "@moe-router/embeddings";
import { layerConformance } from "@moe-router/core/testing";
import { describe, it } from "vitest";
import { ragLayer } from "../src/index.js";
import { SEED_TASKS } from "./support/fixtures.js";

// The pgvector-backed layer runs the same kit in pgvector-store.test.ts (sharing its PGlite).
layerConformance({ describe, it }, async () => {
  const layer = ragLayer({ embedder: hashedEmbedder() });
  await layer.learn(SEED_TASKS);
  return layer;
});
