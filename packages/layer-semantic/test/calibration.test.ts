import { describe, expect, it } from "vitest";
import type { LabelledExample } from "@moe-router/core";
import { semanticLayer, type SemanticCalibration } from "../src/index.js";
import { fakeEmbedder, TOY_EXPERTS } from "./support/fake-embedder.js";
import { miniExamples } from "./support/datasets.js";

const context = { eventId: "test" };

describe("calibration", () => {
  it("gives confidences in [0,1] that rise with the margin over the runner-up and the score", async () => {
    const layer = semanticLayer({ embedder: fakeEmbedder(), experts: TOY_EXPERTS });
    const texts = ["deploy the api to production", "deploy the api", "deploy", "deploy the audit of keys", "hello there", "catalog", "production inventory audit pipeline"];
    const verdicts = await Promise.all(texts.map((description) => layer.route({ description }, context)));
    for (const verdict of verdicts) (expect(verdict.confidence).toBeGreaterThanOrEqual(0), expect(verdict.confidence).toBeLessThanOrEqual(1));
    // Monotone in margin and top score together: a verdict ahead on both is at least as confident.
    for (const a of verdicts) {
      for (const b of verdicts) {
        if ((a.details!.margin as number) >= (b.details!.margin as number) && (a.details!.score as number) >= (b.details!.score as number)) {
          expect(a.confidence).toBeGreaterThanOrEqual(b.confidence);
        }
      }
    }
  });

  it("fit() carves a stratified validation split, calibrates on it and reports ECE before/after", async () => {
    const { train, test } = miniExamples("banking77");
    const layer = semanticLayer({ embedder: fakeEmbedder({ dimension: 512 }) });
    const report = await layer.fit(train, { validationShare: 0.25, seed: 3 });
    // 12 labels x 12 train rows: 3 per label held out, 9 per label learned.
    expect(report.examples).toBe(36);
    expect(layer.stats().exemplars).toBe(108);
    expect(layer.stats().calibrationSource).toBe("fitted");
    expect(report.parameters.kind).toBe("platt");
    expect(report.eceAfter).toBeLessThan(0.2);
    // On unseen test rows, mean confidence tracks accuracy (what "calibrated" means).
    const verdicts = await Promise.all(test.map((example) => layer.route({ description: example.text }, context)));
    const accuracy = verdicts.filter((v, i) => v.expert === test[i]!.expert).length / test.length;
    const meanConfidence = verdicts.reduce((sum, v) => sum + v.confidence, 0) / verdicts.length;
    expect(Math.abs(meanConfidence - accuracy)).toBeLessThan(0.15);
  });

  it("Platt scaling matches mean confidence to accuracy on the data it was fitted on", async () => {
    const { train, test } = miniExamples("hwu64");
    const layer = semanticLayer({ embedder: fakeEmbedder({ dimension: 512 }) });
    await layer.learn(train);
    const report = await layer.calibrate(test);
    const verdicts = await Promise.all(test.map((example) => layer.route({ description: example.text }, context)));
    const meanConfidence = verdicts.reduce((sum, v) => sum + v.confidence, 0) / verdicts.length;
    expect(report.accuracy).toBeGreaterThan(0.3);
    expect(report.accuracy).toBeLessThan(1);
    expect(Math.abs(meanConfidence - report.accuracy)).toBeLessThan(0.03);
    // The raw top cosine is not a probability; the fit must improve on it here.
    expect(report.eceAfter).toBeLessThan(report.eceRaw);
  });

  it("temperature scaling makes confidence the softmax probability of the winner", async () => {
    const { train } = miniExamples("hwu64");
    const layer = semanticLayer({ embedder: fakeEmbedder({ dimension: 512 }) });
    const report = await layer.fit(train, { kind: "temperature" });
    expect(report.parameters.kind).toBe("temperature");
    const verdict = await layer.route({ description: "wake me up at seven" }, context);
    expect(verdict.confidence).toBeCloseTo(Math.max(...Object.values(verdict.probabilities!)), 9);
  });

  it("calibrate() on separate validation data refits without changing exemplars; pinned parameters reproduce it", async () => {
    const { train, test } = miniExamples("banking77");
    const embedder = fakeEmbedder({ dimension: 512 });
    const layer = semanticLayer({ embedder });
    await layer.learn(train);
    const exemplars = layer.stats().exemplars;
    const report = await layer.calibrate(test, { feature: "margin+top" });
    expect(layer.stats().exemplars).toBe(exemplars);
    expect(report.parameters).toMatchObject({ kind: "platt", feature: "margin+top" });
    const pinned: SemanticCalibration = JSON.parse(JSON.stringify(layer.getCalibration()));
    const copy = semanticLayer({ embedder, calibration: pinned });
    await copy.learn(train);
    for (const example of test.slice(0, 10)) {
      const a = await layer.route({ description: example.text }, context);
      const b = await copy.route({ description: example.text }, context);
      expect(b.confidence).toBeCloseTo(a.confidence, 12);
    }
  });

  it("self-calibrates on its exemplars (leave-one-out) when no labelled data is given", async () => {
    const { train } = miniExamples("hwu64");
    const experts: Record<string, { exemplars: string[] }> = {};
    for (const example of train) (experts[example.expert] ??= { exemplars: [] }).exemplars.push(example.text);
    const layer = semanticLayer({ embedder: fakeEmbedder({ dimension: 512 }), experts });
    await layer.ready();
    const fitted = layer.getCalibration();
    expect(fitted.kind).toBe("platt");
    expect(fitted).not.toMatchObject({ a: 25, b: -1.2 }); // not the prior
    expect(layer.stats().calibrationSource).toBe("exemplars");
  });

  it("starts on the conservative prior and self-calibrates once learning has given it enough data", async () => {
    const { train } = miniExamples("hwu64");
    const layer = semanticLayer({ embedder: fakeEmbedder({ dimension: 512 }) });
    await layer.learn(train.slice(0, 3));
    expect(layer.stats().calibrationSource).toBe("prior");
    await layer.learn(train);
    expect(layer.stats().calibrationSource).toBe("exemplars");
  });

  it("needs labelled data it can use", async () => {
    const layer = semanticLayer({ embedder: fakeEmbedder(), experts: TOY_EXPERTS });
    const unknown: LabelledExample[] = [
      { text: "bake a cake", expert: "chef" },
      { text: "fry an egg", expert: "chef" },
    ];
    await expect(layer.calibrate(unknown)).rejects.toMatchObject({ code: "MOE_INSUFFICIENT_DATA" });
    await expect(layer.fit(miniExamples("hwu64").train, { validationShare: 1 })).rejects.toMatchObject({ code: "MOE_INVALID_CONFIG" });
  });
});
