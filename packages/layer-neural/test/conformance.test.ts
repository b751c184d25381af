import { describe, it } from "vitest";
import { layerConformance } from "@moe-router/core/testing";
import { neuralLayer, trainHead } from "../src/index.js";
import { embedRows, miniRows, testEmbedder } from "./helpers.js";

const embedder = testEmbedder();
const head = trainHead(embedRows(miniRows("hwu64").filter((r) => r.split === "train"), embedder), { embedderId: embedder.id, epochs: 15 });

describe("untrained (learns from scratch)", () => {
  layerConformance({ describe, it }, () => neuralLayer({ embedder }));
});

describe("trained on hwu64-mini (learns new labels on top)", () => {
  layerConformance({ describe, it }, () => neuralLayer({ embedder, model: head }));
});

describe("mlp learning from scratch", () => {
  layerConformance({ describe, it }, () => neuralLayer({ embedder, kind: "mlp" }));
});
