import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Verdict } from "@moe-router/core";
import { exportOnnx, neuralLayer, onnxHead, trainHead } from "../src/index.js";
import { buildOnnxModel, inspectOnnxModel } from "../src/internal/onnx-graph.js";
import { embedRows, miniRows, testEmbedder } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "neural-onnx-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const embedder = testEmbedder();
const rows = miniRows("banking77");
const train = embedRows(
  rows.filter((r) => r.split === "train"),
  embedder,
);
const test = embedRows(
  rows.filter((r) => r.split === "test"),
  embedder,
);

function maxDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  return Math.max(...Array.from(a, (x, i) => Math.abs(x - b[i]!)));
}

describe("ONNX heads through onnxruntime-node", () => {
  for (const kind of ["softmax", "mlp"] as const) {
    it(`gives the TypeScript logits for an exported ${kind} head`, async () => {
      const head = trainHead(train, { kind, hidden: 32, epochs: 8, embedderId: embedder.id });
      const path = join(dir, `${kind}.onnx`);
      writeFileSync(path, exportOnnx(head));
      const onnx = await onnxHead({ path });
      try {
        expect(onnx.labels).toEqual(head.labels);
        expect(onnx.temperature).toBe(head.temperature);
        expect(onnx.dimension).toBe(embedder.dimension);
        expect(onnx.embedderId).toBe(embedder.id);
        for (const example of test.slice(0, 25)) {
          expect(maxDifference(await onnx.predictLogits(example.vector), head.predictLogits(example.vector))).toBeLessThan(1e-4);
        }
      } finally {
        await onnx.close();
      }
    });
  }

  it("runs a PyTorch-style MatMul + Add graph given its labels", async () => {
    const head = trainHead(train, { kind: "mlp", hidden: 16, epochs: 5 });
    const path = join(dir, "torch-style.onnx");
    // As torch.onnx.export writes x @ W.T + b when it does not fuse to Gemm; no metadata.
    writeFileSync(path, buildOnnxModel(head.layers, {}, "matmul"));
    expect(inspectOnnxModel(new Uint8Array(buildOnnxModel(head.layers, {}, "matmul"))).inputShapes).toEqual({ embedding: [-1, embedder.dimension] });
    await expect(onnxHead({ path })).rejects.toMatchObject({ code: "MOE_INVALID_CONFIG", message: expect.stringMatching(/onnx\.labels/) });
    const onnx = await onnxHead({ path, labels: head.labels, temperature: 1.5 });
    for (const example of test.slice(0, 10)) {
      expect(maxDifference(await onnx.predictLogits(example.vector), head.predictLogits(example.vector))).toBeLessThan(1e-4);
    }
    await onnx.close();
    const wrong = await onnxHead({ path, labels: ["a", "b"] });
    await expect(wrong.predictLogits(test[0]!.vector)).rejects.toMatchObject({ code: "MOE_INVALID_CONFIG" });
    await wrong.close();
  });

  it("routes through the layer's onnx option like the TypeScript head", async () => {
    const head = trainHead(train, { epochs: 8, embedderId: embedder.id });
    const path = join(dir, "layer.onnx");
    writeFileSync(path, exportOnnx(head));
    const viaOnnx = neuralLayer({ embedder, onnx: { path } });
    const viaTs = neuralLayer({ embedder, model: head });
    expect(viaOnnx.capabilities).toMatchObject({ async: true, learn: false });
    expect(viaOnnx.learn).toBeUndefined();
    for (const example of rows.filter((r) => r.split === "test").slice(0, 10)) {
      const a = await viaOnnx.route({ description: example.text }, { eventId: "e" });
      const b = viaTs.route({ description: example.text }, { eventId: "e" }) as Verdict;
      expect(a.expert).toBe(b.expert);
      expect(a.confidence).toBeCloseTo(b.confidence, 4);
      expect(a.details).toMatchObject({ model_kind: "onnx" });
    }
    await viaOnnx.close!();
  });

  it("reports missing and broken files with codes", async () => {
    await expect(onnxHead({ path: join(dir, "nope.onnx") })).rejects.toMatchObject({ code: "MOE_NOT_FOUND" });
    const broken = join(dir, "broken.onnx");
    writeFileSync(broken, "this is not a model");
    await expect(onnxHead({ path: broken, labels: ["a"] })).rejects.toMatchObject({ code: "MOE_CORRUPT_FILE" });
    const layer = neuralLayer({ embedder, onnx: { path: join(dir, "nope.onnx") } });
    await expect(layer.route({ description: "x" }, { eventId: "e" })).rejects.toMatchObject({ code: "MOE_NOT_FOUND" });
  });
});
