import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { boundedStep, clampThreshold, operatingPoint, searchThreshold, smallestProvableCount } from "../src/search.js";
import type { LayerSample } from "../src/types.js";

/** `count` samples evenly over [low, high]; right when confidence >= rightAbove. */
function samples(count: number, rightAbove: number, low = 0, high = 1): LayerSample[] {
  return Array.from({ length: count }, (_, i) => {
    const confidence = low + ((high - low) * i) / (count - 1);
    return { confidence, correct: confidence >= rightAbove, shadow: true };
  });
}

describe("searchThreshold", () => {
  it("picks the lowest threshold whose bound clears the target (max coverage)", () => {
    // Right exactly above 0.5: precision at threshold t is 1 for t >= 0.5, then falls.
    const data = samples(1001, 0.5);
    const result = searchThreshold(data, { targetPrecision: 0.9, confidenceLevel: 0.95 });
    expect(result.reachable).toBe(true);
    // The optimum must accept some wrong answers (below 0.5) but keep the bound >= 0.9.
    expect(result.optimum).toBeLessThan(0.5);
    expect(result.optimum).toBeGreaterThan(0.4);
    const at = operatingPoint(data, result.optimum, { targetPrecision: 0.9 });
    expect(at.lowerBound).toBeGreaterThanOrEqual(0.9);
    // One grid step lower fails the bound.
    expect(operatingPoint(data, result.optimum - 0.002, { targetPrecision: 0.9 }).lowerBound).toBeLessThan(0.9);
  });

  it("a higher target or a stricter confidence level never lowers the threshold", () => {
    const data = samples(600, 0.4);
    const loose = searchThreshold(data, { targetPrecision: 0.8 }).optimum;
    const tight = searchThreshold(data, { targetPrecision: 0.95 }).optimum;
    const surer = searchThreshold(data, { targetPrecision: 0.8, confidenceLevel: 0.999 }).optimum;
    expect(tight).toBeGreaterThan(loose);
    expect(surer).toBeGreaterThanOrEqual(loose);
  });

  it("says unreachable (optimum 1) when even the most confident answers are not precise enough", () => {
    const data = Array.from({ length: 200 }, (_, i) => ({ confidence: i / 200, correct: i % 2 === 0, shadow: false }));
    const result = searchThreshold(data, { targetPrecision: 0.9 });
    expect(result).toMatchObject({ reachable: false, optimum: 1 });
  });

  it("tests thresholds as a fixed sequence: stops at the first failure", () => {
    // 50 right at 0.9, then 50 wrong at 0.8, then 200 right at 0.5: a lower threshold would pass
    // again (precision recovers), but the sequence stopped at 0.8.
    const data: LayerSample[] = [
      ...Array.from({ length: 50 }, () => ({ confidence: 0.9, correct: true, shadow: true })),
      ...Array.from({ length: 50 }, () => ({ confidence: 0.8, correct: false, shadow: true })),
      ...Array.from({ length: 900 }, () => ({ confidence: 0.5, correct: true, shadow: true })),
    ];
    expect(operatingPoint(data, 0.5, { targetPrecision: 0.9 }).lowerBound).toBeGreaterThan(0.9);
    expect(searchThreshold(data, { targetPrecision: 0.9 }).optimum).toBe(0.9);
  });

  it("starts the sequence where a perfect record could pass, so tiny sets do not end it", () => {
    // All right above 0.2: the top 10 samples (bound 0.74 even when all right) must not stop the search.
    const data = samples(300, 0.2);
    expect(smallestProvableCount("clopper-pearson", 0.9, 0.95, 1000)).toBe(29);
    const result = searchThreshold(data, { targetPrecision: 0.9, minAccepted: 1 });
    expect(result.reachable).toBe(true);
    expect(result.tested[0]!.accepted).toBeGreaterThanOrEqual(29);
    expect(result.optimum).toBeLessThan(0.2);
    // Asking for more accepted samples than exist: nothing can be tested.
    expect(searchThreshold(data, { targetPrecision: 0.9, minAccepted: 301 })).toMatchObject({ reachable: false, optimum: 1 });
  });

  it("uses Wilson when asked (less conservative than Clopper-Pearson)", () => {
    const data = samples(400, 0.3);
    const wilson = searchThreshold(data, { targetPrecision: 0.9, bound: "wilson" }).optimum;
    const exact = searchThreshold(data, { targetPrecision: 0.9, bound: "clopper-pearson" }).optimum;
    expect(wilson).toBeLessThanOrEqual(exact);
  });
});

describe("boundedStep and clamping", () => {
  it("moves at most maxStep per run, twice that when aggressive", () => {
    expect(boundedStep(0.85, 0.6, { maxStep: 0.05 })).toBe(0.8);
    expect(boundedStep(0.85, 0.6, { maxStep: 0.05, aggressive: true })).toBe(0.75);
    expect(boundedStep(0.7, 0.95, { maxStep: 0.05 })).toBe(0.75);
    expect(boundedStep(0.7, 0.72, { maxStep: 0.05 })).toBe(0.72);
    expect(boundedStep(0.7, 0.7)).toBe(0.7);
  });

  it("never leaves [0,1]", () => {
    expect(boundedStep(0.98, 1, { maxStep: 0.05 })).toBe(1);
    expect(boundedStep(0.02, 0, { maxStep: 0.05 })).toBe(0);
    expect(clampThreshold(1.4)).toBe(1);
    expect(clampThreshold(-0.2)).toBe(0);
    expect(() => clampThreshold(Number.NaN)).toThrow(RangeError);
  });

  it("holds the step and range limits for any input", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.boolean(),
        (before, optimum, maxStep, aggressive) => {
          const after = boundedStep(before, optimum, { maxStep, aggressive });
          expect(after).toBeGreaterThanOrEqual(0);
          expect(after).toBeLessThanOrEqual(1);
          expect(Math.abs(after - before)).toBeLessThanOrEqual((aggressive ? 2 : 1) * maxStep + 1e-9);
          // Moves toward the optimum, never past it.
          if (optimum >= before) expect(after).toBeLessThanOrEqual(Math.max(before, optimum) + 1e-9);
          else expect(after).toBeGreaterThanOrEqual(Math.min(before, optimum) - 1e-9);
        },
      ),
      { numRuns: 500 },
    );
  });
});
