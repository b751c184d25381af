import { hashedEmbedder } from "@moe-router/embeddings";
import { layerConformance } from "@moe-router/core/testing";
import { join } from "node:path";
import { describe, it } from "vitest";
import { embeddedStore, ragLayer } from "../src/index.js";
import { SEED_TASKS } from "./support/fixtures.js";

// The pgvector-backed layer runs the same kit in pgvector-store.test.ts (sharing its PGlite).
layerConformance({ describe, it }, async () => {
  const layer = ragLayer({ embedder: hashedEmbedder() });
  await layer.learn(SEED_TASKS);
  return layer;
});

describe("persisted in an embedded store file (the persistence group runs)", () => {
  layerConformance({ describe, it }, async ({ dataDir }) => {
    const embedder = hashedEmbedder();
    const layer = ragLayer({ embedder, store: embeddedStore({ dimension: embedder.dimension, embedderId: embedder.id, path: join(dataDir, "index.moerag") }) });
    if ((await layer.store.count()) === 0) await layer.learn(SEED_TASKS);
    return layer;
  });
});
