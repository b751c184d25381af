import { describe, expect, it } from "vitest";
import { expectedCalibrationError } from "@moe-router/core";
import { hashedEmbedder } from "@moe-router/embeddings";
import { semanticLayer } from "../src/index.js";
import { miniExamples } from "./support/datasets.js";

// Sanity floors on the committed mini datasets (12 labels, 144 train / 60 test rows); the
// full-dataset figures come from bench/accuracy.bench.ts. Chance is 1/12 = 0.083.
const FLOORS = { banking77: 0.6, hwu64: 0.6 };

describe.each(["banking77", "hwu64"] as const)("accuracy on %s-mini with the hashed embedder", (name) => {
  it("routes most test rows right, and confidence is higher on the right ones", async () => {
    const { train, test } = miniExamples(name);
    const embedder = hashedEmbedder();
    embedder.fitIdf(train.map((example) => example.text));
    const layer = semanticLayer({ embedder });
    const report = await layer.fit(train, { validationShare: 0.25 });
    const verdicts = await Promise.all(test.map((example) => layer.route({ description: example.text }, { eventId: "t" })));
    const correct = verdicts.map((verdict, i) => verdict.expert === test[i]!.expert);
    const accuracy = correct.filter(Boolean).length / correct.length;
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
    const rightConfidence = mean(verdicts.filter((_, i) => correct[i]).map((v) => v.confidence));
    const wrongConfidence = mean(verdicts.filter((_, i) => !correct[i]).map((v) => v.confidence));
    expect(accuracy).toBeGreaterThan(FLOORS[name]);
    // Measured 0.07 / 0.09 on 60 rows; loose, since ECE on so few rows is noisy.
    expect(
      expectedCalibrationError(
        verdicts.map((v) => v.confidence),
        correct,
      ),
    ).toBeLessThan(0.2);
    expect(report.eceAfter).toBeLessThan(report.eceRaw);
    expect(rightConfidence).toBeGreaterThan(wrongConfidence);
    expect(report.unknownExpert).toBe(0);
  });
});
