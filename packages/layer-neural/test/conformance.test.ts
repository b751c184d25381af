import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "vitest";
import { layerConformance } from "@moe-router/core/testing";
import { neuralLayer, trainHead } from "../src/index.js";
import { embedRows, miniRows, testEmbedder } from "./helpers.js";

const embedder = testEmbedder();
const head = trainHead(
  embedRows(
    miniRows("hwu64").filter((r) => r.split === "train"),
    embedder,
  ),
  { embedderId: embedder.id, epochs: 15 },
);

describe("untrained (learns from scratch)", () => {
  layerConformance({ describe, it }, () => neuralLayer({ embedder }));
});

describe("trained on hwu64-mini (learns new labels on top)", () => {
  layerConformance({ describe, it }, () => neuralLayer({ embedder, model: head }));
});

describe("mlp learning from scratch", () => {
  layerConformance({ describe, it }, () => neuralLayer({ embedder, kind: "mlp" }));
});

describe("saving its model (the persistence group runs)", () => {
  layerConformance({ describe, it }, ({ dataDir }) => {
    const path = join(dataDir, "model.json");
    return neuralLayer({ embedder, ...(existsSync(path) ? { model: path } : {}), savePath: path });
  });
});
