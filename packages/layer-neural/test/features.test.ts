import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ErrorCode, fitTfidf, type LabelledExample, type Verdict } from "@moe-router/core";
import { layerConformance } from "@moe-router/core/testing";
import { loadHeadSync, neuralLayer, trainHead } from "../src/index.js";
import { MIN_CALIBRATION_SET } from "../src/internal/learner.js";
import { miniRows, testEmbedder } from "./helpers.js";

const rows = miniRows("hwu64");
const toExamples = (split: string) => rows.filter((r) => r.split === split).map((r): LabelledExample => ({ text: r.text, expert: r.label }));
const train = toExamples("train");
const test = toExamples("test");
// A validation set from the train rows' second half of each label (the mini set has no val split).
const byLabel = new Map<string, LabelledExample[]>();
for (const e of train) byLabel.set(e.expert, [...(byLabel.get(e.expert) ?? []), e]);
const fitRows = [...byLabel.values()].flatMap((list) => list.slice(0, Math.ceil(list.length * 0.7)));
const valRows = [...byLabel.values()].flatMap((list) => list.slice(Math.ceil(list.length * 0.7)));

const dir = mkdtempSync(join(tmpdir(), "neural-features-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function accuracy(layer: ReturnType<typeof neuralLayer>, examples: readonly LabelledExample[]): Promise<number> {
  let right = 0;
  for (const [i, e] of examples.entries()) if ((await layer.route({ description: e.text }, { eventId: `e${i}` })).expert === e.expert) right++;
  return right / examples.length;
}

describe("TF-IDF features", () => {
  it("fit() trains on TF-IDF vectors, early-stops and calibrates on the validation rows, and routes without an embedder call", async () => {
    const embedder = testEmbedder();
    let embedCalls = 0;
    const counting = {
      id: embedder.id,
      dimension: embedder.dimension,
      embed: (texts: readonly string[]) => {
        embedCalls++;
        return embedder.embed(texts);
      },
    };
    const layer = neuralLayer({ embedder: counting, features: "tfidf" });
    const report = await layer.fit!(fitRows, { validation: valRows });
    expect(report.features).toBe("tfidf");
    expect(report.accuracy).toBeGreaterThan(0.5);
    expect(report.eceAfter!).toBeLessThanOrEqual(report.eceBefore! + 1e-9);
    expect(report.bestEpoch).toBeLessThanOrEqual(report.epochsRun);
    expect(embedCalls).toBe(0);
    const before = embedCalls;
    const verdict = layer.route({ description: test[0]!.text }, { eventId: "x" }) as Verdict;
    expect(typeof (verdict as unknown as { then?: unknown }).then).toBe("undefined"); // synchronous
    expect(embedCalls).toBe(before);
    expect(await accuracy(layer, test)).toBeGreaterThan(0.6);
  });

  it("beats the hashed embedding on the same rows (the point of the features)", async () => {
    const tfidf = neuralLayer({ embedder: testEmbedder(), features: "tfidf" });
    const hashed = neuralLayer({ embedder: testEmbedder() });
    await tfidf.fit!(fitRows, { validation: valRows });
    await hashed.fit!(fitRows, { validation: valRows });
    expect(await accuracy(tfidf, test)).toBeGreaterThanOrEqual(await accuracy(hashed, test));
  });

  it("concatenates TF-IDF and the embedding with tfidf+embedding", async () => {
    const embedder = testEmbedder();
    const layer = neuralLayer({ embedder, features: "tfidf+embedding" });
    const report = await layer.fit!(fitRows, { validation: valRows });
    const tfidfTerms = fitTfidf(fitRows.map((e) => e.text)).dimension;
    expect(report.dimension).toBe(tfidfTerms + embedder.dimension);
    expect(await accuracy(layer, test)).toBeGreaterThan(0.6);
  });

  it("persists the vocabulary with the head, and a reloaded layer gives the same verdicts", async () => {
    const path = join(dir, "model.json");
    const layer = neuralLayer({ embedder: testEmbedder(), features: "tfidf", savePath: path });
    await layer.fit!(fitRows, { validation: valRows });
    const file = JSON.parse(readFileSync(path, "utf8")) as { features: { kind: string; tfidf: { words: string[] } }; embedderId: string | null };
    expect(file.features.kind).toBe("tfidf");
    expect(file.features.tfidf.words.length).toBeGreaterThan(10);
    expect(file.embedderId).toBeNull();
    const head = loadHeadSync(path);
    expect(head.features?.tfidf.dimension).toBe(head.dimension);
    // Loaded with a different embedder: TF-IDF heads do not depend on it.
    const reloaded = neuralLayer({ embedder: { id: "other", dimension: 3, embed: (t) => t.map(() => new Float32Array(3)) }, model: path });
    for (const [i, e] of test.slice(0, 10).entries()) {
      const a = layer.route({ description: e.text }, { eventId: `a${i}` }) as Verdict;
      const b = reloaded.route({ description: e.text }, { eventId: `b${i}` }) as Verdict;
      expect(b.expert).toBe(a.expert);
      expect(b.confidence).toBeCloseTo(a.confidence, 6);
    }
  });

  it("learn() keeps the head's vocabulary and, on enough examples, refits the temperature on a held-out share", async () => {
    const all = [...train, ...test];
    expect(all.length).toBeGreaterThanOrEqual(MIN_CALIBRATION_SET);
    const path = join(dir, "learned.json");
    const saving = neuralLayer({ embedder: testEmbedder(), features: "tfidf", savePath: path, learnBufferSize: 10_000 });
    await saving.learn!(all);
    const head = loadHeadSync(path);
    expect(head.metrics?.validationExamples).toBeGreaterThan(0);
    expect(head.metrics?.calibration).toBeDefined();
    const vocabulary = head.features!.tfidf.id;
    await saving.learn!([{ text: "a brand new phrasing zzyzx", expert: train[0]!.expert }]);
    expect(loadHeadSync(path).features!.tfidf.id).toBe(vocabulary);
  });

  it("refuses an unknown features kind and TF-IDF with ONNX", () => {
    expect(() => neuralLayer({ embedder: testEmbedder(), features: "bag" as never })).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_CONFIG }));
    expect(() => neuralLayer({ embedder: testEmbedder(), features: "tfidf", onnx: { path: "x.onnx" } })).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_CONFIG }));
  });

  it("trainHead takes explicit validation examples instead of carving a share", () => {
    const tfidf = fitTfidf(fitRows.map((e) => e.text));
    const head = trainHead(
      fitRows.map((e) => ({ vector: tfidf.transform(e.text), label: e.expert })),
      {
        validation: valRows.map((e) => ({ vector: tfidf.transform(e.text), label: e.expert })),
        features: { kind: "tfidf", tfidf },
      },
    );
    expect(head.metrics?.trainExamples).toBe(fitRows.length);
    expect(head.metrics?.validationExamples).toBe(valRows.length);
    expect(head.features?.kind).toBe("tfidf");
  });
});

describe("conformance with TF-IDF features", () => {
  layerConformance({ describe, it }, () => neuralLayer({ embedder: testEmbedder(), features: "tfidf" }));
});

describe("wide sparse inputs (column-major first layer while training and routing)", () => {
  it("learns them, and the saved row-major weights give the logits the head predicts", () => {
    const dimension = 6000;
    const labels = ["a", "b", "c"];
    // Each label owns 40 input columns; an example sets 8 of its label's and 4 random others.
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const example = (c: number) => {
      const entries = new Map<number, number>();
      for (let k = 0; k < 8; k++) entries.set(c * 40 + Math.floor(random() * 40), 0.3);
      for (let k = 0; k < 4; k++) entries.set(200 + Math.floor(random() * (dimension - 200)), 0.2);
      const indices = Int32Array.from([...entries.keys()].sort((x, y) => x - y));
      return { vector: { dimension, indices, values: Float32Array.from(indices, (i) => entries.get(i)!) }, label: labels[c]! };
    };
    const train = Array.from({ length: 300 }, (_, i) => example(i % 3));
    const held = Array.from({ length: 60 }, (_, i) => example(i % 3));
    const head = trainHead(train, { validation: held, epochs: 20 });
    const right = held.filter((e) => head.predict(e.vector).label === e.label).length;
    expect(right / held.length).toBeGreaterThan(0.95);
    const layer = head.layers[0]!;
    const probe = held[0]!.vector;
    const logits = head.predictLogits(probe);
    for (let o = 0; o < layer.outputs; o++) {
      let sum = layer.bias[o]!;
      probe.indices.forEach((index, k) => (sum += layer.weights[o * dimension + index]! * probe.values[k]!));
      expect(logits[o]).toBeCloseTo(sum, 4);
    }
  });
});
