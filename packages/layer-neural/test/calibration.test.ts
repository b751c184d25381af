import { describe, expect, it } from "vitest";
import { expectedCalibrationError } from "@moe-router/core";
import { trainHead } from "../src/index.js";
import { clusters } from "./helpers.js";

describe("temperature scaling", () => {
  // Overlapping classes and no early stopping to speak of: the raw head is overconfident.
  const options = { labels: ["a", "b", "c", "d"], dimension: 40, spread: 2.2, seed: 8 };
  const train = clusters({ ...options, perLabel: 60 });
  const test = clusters({ ...options, perLabel: 300 });

  it("lowers validation NLL and ECE, with T > 1 for an overconfident head", () => {
    const head = trainHead(train, { kind: "mlp", hidden: 64, epochs: 60, patience: 60, validationShare: 0.25, learningRate: 0.01 });
    const c = head.metrics!.calibration!;
    expect(c.temperature).toBeGreaterThan(1);
    expect(head.temperature).toBe(c.temperature);
    expect(c.nllAfter).toBeLessThan(c.nllBefore);
    expect(c.eceAfter).toBeLessThan(c.eceBefore);

    // And on data it never saw: calibrated confidences track accuracy better.
    const measure = (temperature: number) => {
      const confidences: number[] = [];
      const correct: boolean[] = [];
      for (const e of test) {
        const logits = head.predictLogits(e.vector);
        const scaled = Array.from(logits, (z) => z / temperature);
        const max = Math.max(...scaled);
        const sum = scaled.reduce((s, z) => s + Math.exp(z - max), 0);
        const best = scaled.indexOf(max);
        confidences.push(1 / sum);
        correct.push(head.labels[best] === e.label);
      }
      return expectedCalibrationError(confidences, correct);
    };
    expect(measure(head.temperature)).toBeLessThan(measure(1));
    const p = head.predict(test[0]!.vector);
    expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });
});
