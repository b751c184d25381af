import { applyPlatt } from "@moe-router/core";
import { hashedEmbedder } from "@moe-router/embeddings";
import { describe, expect, it } from "vitest";
import { ragLayer } from "../src/index.js";
import { miniDataset } from "./support/fixtures.js";

async function trainedLayer() {
  const { train, test } = miniDataset("hwu64");
  const embedder = hashedEmbedder();
  embedder.fitIdf(train.map((e) => e.text));
  const layer = ragLayer({ embedder });
  await layer.learn(train);
  return { layer, train, calibration: test.filter((_, i) => i % 2 === 0), evaluation: test.filter((_, i) => i % 2 === 1) };
}

describe("calibrate()", () => {
  it("fits Platt scaling on a held-out split so confidence tracks accuracy on another split", async () => {
    const { layer, calibration, evaluation } = await trainedLayer();
    const report = await layer.calibrate(calibration);
    expect(report.examples).toBe(calibration.length);
    expect(report.parameters.a).toBeGreaterThan(0); // a stronger vote means a likelier right answer
    expect(report.eceAfter).toBeLessThan(report.eceBefore);
    expect(layer.calibration).toEqual(report.parameters);

    let right = 0;
    let confidence = 0;
    for (const example of evaluation) {
      const verdict = await layer.route({ description: example.text }, { eventId: "cal" });
      const feature = verdict.details!.feature as { name: string; value: number };
      expect(verdict.confidence).toBeCloseTo(applyPlatt(report.parameters, feature.value), 10);
      if (verdict.expert === example.expert) right++;
      confidence += verdict.confidence;
    }
    const accuracy = right / evaluation.length;
    expect(accuracy).toBeGreaterThan(0.5);
    expect(Math.abs(confidence / evaluation.length - accuracy)).toBeLessThan(0.2);
  });

  it("needs held-out examples with both right and wrong answers (MOE_INSUFFICIENT_DATA)", async () => {
    const { layer, train } = await trainedLayer();
    await expect(layer.calibrate(train.slice(0, 1))).rejects.toMatchObject({ code: "MOE_INSUFFICIENT_DATA", message: expect.stringMatching(/held-out/) });
    // Examples already in the index are all answered right: nothing to calibrate against.
    await expect(layer.calibrate(train.slice(0, 20))).rejects.toMatchObject({ code: "MOE_INSUFFICIENT_DATA" });
    expect(layer.calibration).toBeUndefined();
  });
});

describe("calibrationFile", () => {
  it("saves the fitted scaler and a new layer on the same file starts calibrated", async () => {
    const { mkdtempSync, readFileSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const file = join(mkdtempSync(join(tmpdir(), "moe-rag-cal-")), "nested", "rag.calibration.json");
    const { train, test } = miniDataset("hwu64");
    const embedder = hashedEmbedder();
    const layer = ragLayer({ embedder, calibrationFile: file });
    await layer.learn(train);
    const before = await layer.route({ description: test[1]!.text }, { eventId: "f" });
    expect(before.details).toMatchObject({ calibrated: false, calibration_source: "none", calibration_samples: 0 });
    const report = await layer.calibrate(test.filter((_, i) => i % 2 === 0));
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ format: "moe-router/rag-calibration", version: 1, a: report.parameters.a, b: report.parameters.b, examples: report.examples });

    const restarted = ragLayer({ embedder, store: layer.store, calibrationFile: file });
    expect(restarted.calibration).toEqual(report.parameters);
    const verdict = await restarted.route({ description: test[1]!.text }, { eventId: "f" });
    expect(verdict.details).toMatchObject({ calibrated: true, calibration_source: "fitted", calibration_samples: report.examples });
    // Configured parameters win over the file; a file fitted for another feature is ignored.
    expect(ragLayer({ embedder, calibration: { a: 1, b: 0 }, calibrationFile: file }).calibration).toEqual({ a: 1, b: 0 });
    expect(ragLayer({ embedder, confidenceFeature: "margin", calibrationFile: file }).calibration).toBeUndefined();
    // A corrupt file is a warning, not a crash: the layer runs uncalibrated.
    writeFileSync(file, "{ nope");
    const warnings: unknown[] = [];
    expect(ragLayer({ embedder, calibrationFile: file, onWarning: (w) => warnings.push(w) }).calibration).toBeUndefined();
    expect(warnings).toEqual([expect.objectContaining({ code: "MOE_CORRUPT_FILE" })]);
  });
});
