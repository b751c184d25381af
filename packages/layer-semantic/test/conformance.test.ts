import { join } from "node:path";
import { describe, it } from "vitest";
import { layerConformance } from "@moe-router/core/testing";
import { hashedEmbedder } from "@moe-router/embeddings";
import { DEFAULT_EXPERT_EXEMPLARS, semanticLayer } from "../src/index.js";
import { fakeEmbedder } from "./support/fake-embedder.js";

describe("with a synchronous bag-of-words embedder", () => {
  layerConformance({ describe, it }, () => semanticLayer({ embedder: fakeEmbedder(), experts: DEFAULT_EXPERT_EXEMPLARS }));
});

describe("with an async embedder", () => {
  layerConformance({ describe, it }, () => semanticLayer({ embedder: fakeEmbedder({ async: true }), experts: DEFAULT_EXPERT_EXEMPLARS }));
});

describe("with the hashed n-gram embedder", () => {
  const embedder = hashedEmbedder();
  layerConformance({ describe, it }, () => semanticLayer({ embedder, experts: DEFAULT_EXPERT_EXEMPLARS }));
});

describe("persisting its vectors (the persistence group runs)", () => {
  layerConformance({ describe, it }, ({ dataDir }) => semanticLayer({ embedder: fakeEmbedder(), experts: DEFAULT_EXPERT_EXEMPLARS, persistPath: join(dataDir, "semantic.vectors") }));
});
