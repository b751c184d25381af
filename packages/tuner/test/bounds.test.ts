import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clopperPearsonLowerBound, precisionLowerBound, wilsonLowerBound } from "../src/bounds.js";
import { betaQuantile, incompleteBeta, normalQuantile } from "../src/internal/special.js";

describe("special functions", () => {
  it("normal quantile matches known values", () => {
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536, 6);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5);
  });

  it("incomplete beta matches closed forms", () => {
    // I_x(1, b) = 1 - (1 - x)^b and I_x(a, 1) = x^a
    expect(incompleteBeta(0.3, 1, 4)).toBeCloseTo(1 - 0.7 ** 4, 12);
    expect(incompleteBeta(0.8, 5, 1)).toBeCloseTo(0.8 ** 5, 12);
    expect(incompleteBeta(0.5, 7, 7)).toBeCloseTo(0.5, 12);
  });

  it("beta quantile matches scipy.stats.beta.ppf", () => {
    expect(betaQuantile(0.05, 9, 2)).toBeCloseTo(0.6058366975634952, 9);
    expect(betaQuantile(0.05, 80, 21)).toBeCloseTo(0.7227997503290864, 9);
    expect(betaQuantile(0.1, 45, 6)).toBeCloseTo(0.8223818723826234, 9);
  });
});

describe("precision lower bounds", () => {
  it("Clopper-Pearson gives the exact one-sided bound", () => {
    expect(clopperPearsonLowerBound(9, 10, 0.95)).toBeCloseTo(0.60584, 4);
    expect(clopperPearsonLowerBound(80, 100, 0.95)).toBeCloseTo(0.7228, 4);
    expect(clopperPearsonLowerBound(10, 10, 0.95)).toBeCloseTo(0.05 ** (1 / 10), 12);
    expect(clopperPearsonLowerBound(0, 10, 0.95)).toBe(0);
  });

  it("Wilson matches the score formula", () => {
    const z = 1.6448536269514722;
    const n = 10,
      p = 0.9;
    const expected = (p + (z * z) / (2 * n) - z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
    expect(wilsonLowerBound(9, 10, 0.95)).toBeCloseTo(expected, 8);
    expect(wilsonLowerBound(0, 0)).toBe(0);
  });

  it("rejects impossible counts", () => {
    expect(() => wilsonLowerBound(5, 4)).toThrow(RangeError);
    expect(() => clopperPearsonLowerBound(-1, 4)).toThrow(RangeError);
    expect(() => clopperPearsonLowerBound(1, 4, 1)).toThrow(RangeError);
  });

  it("bounds stay below the observed precision and tighten with more data", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom("wilson" as const, "clopper-pearson" as const), (n, share, method) => {
        const k = Math.round(share * n);
        const bound = precisionLowerBound(method, k, n, 0.95);
        expect(bound).toBeGreaterThanOrEqual(0);
        expect(bound).toBeLessThanOrEqual(k / n + 1e-12);
        // Same precision on four times the data: a tighter (higher) bound.
        expect(precisionLowerBound(method, 4 * k, 4 * n, 0.95)).toBeGreaterThanOrEqual(bound - 1e-9);
      }),
      { numRuns: 200 },
    );
  });

  it("Clopper-Pearson is at least as conservative as Wilson for high precisions", () => {
    expect(clopperPearsonLowerBound(95, 100)).toBeLessThan(wilsonLowerBound(95, 100));
  });
});
