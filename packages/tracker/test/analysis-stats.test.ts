import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { expectedCalibrationError } from "@moe-router/core";
import { LogHistogram } from "../src/analysis/internal/histogram.js";
import { parseIsoTime } from "../src/analysis/internal/iso-time.js";
import { erfc, normalCdf, twoProportionTest } from "../src/analysis/internal/proportions.js";
import { ReliabilityAccumulator } from "../src/analysis/internal/reliability.js";
import { seeded } from "./analysis-fixtures.js";

/** Exact nearest-rank quantile of a sample. */
function exactQuantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

describe("LogHistogram", () => {
  it("estimates p50/p95/p99 of a heavy-tailed sample within 1 % of the exact value", () => {
    const random = seeded(7);
    const values: number[] = [];
    const histogram = new LogHistogram();
    for (let i = 0; i < 50_000; i++) {
      // Log-normal latencies from ~0.01 ms to seconds.
      const gaussian = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      const value = Math.exp(1 + 2 * gaussian);
      values.push(value);
      histogram.add(value);
    }
    for (const q of [0.5, 0.95, 0.99]) {
      const exact = exactQuantile(values, q);
      expect(Math.abs(histogram.quantile(q)! - exact) / exact).toBeLessThan(0.01);
    }
    const summary = histogram.summary();
    expect(summary.count).toBe(50_000);
    expect(summary.min).toBe(Math.min(...values));
    expect(summary.max).toBe(Math.max(...values));
    expect(summary.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 6);
  });

  it("stays within 1 % for any sample (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.001, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }), fc.constantFrom(0.5, 0.95, 0.99), (values, q) => {
        const histogram = new LogHistogram();
        values.forEach((v) => histogram.add(v));
        const exact = exactQuantile(values, q);
        return Math.abs(histogram.quantile(q)! - exact) / exact <= 0.01;
      }),
      { numRuns: 300 },
    );
  });

  it("handles empty, zero, out-of-range and invalid samples", () => {
    const histogram = new LogHistogram();
    expect(histogram.summary()).toEqual({ count: 0, min: null, max: null, mean: null, p50: null, p95: null, p99: null });
    histogram.add(Number.NaN);
    histogram.add(-1);
    histogram.add(Number.POSITIVE_INFINITY);
    expect(histogram.count).toBe(0);
    histogram.add(0);
    histogram.add(0);
    histogram.add(5e7);
    expect(histogram.quantile(0.5)).toBe(0);
    expect(histogram.quantile(0.99)).toBe(5e7);
  });

  it("merges two histograms into the histogram of both samples", () => {
    const a = new LogHistogram(),
      b = new LogHistogram(),
      both = new LogHistogram();
    for (let i = 1; i <= 1000; i++) {
      (i % 2 ? a : b).add(i / 10);
      both.add(i / 10);
    }
    a.merge(b);
    expect(a.summary()).toEqual(both.summary());
  });
});

describe("ReliabilityAccumulator", () => {
  it("gives the same ECE as core's expectedCalibrationError", () => {
    const random = seeded(3);
    const confidences: number[] = [],
      correct: boolean[] = [];
    const accumulator = new ReliabilityAccumulator(10);
    for (let i = 0; i < 5000; i++) {
      const confidence = random();
      const right = random() < confidence * 0.8;
      confidences.push(confidence);
      correct.push(right);
      accumulator.add(confidence, right);
    }
    const result = accumulator.result();
    expect(result.samples).toBe(5000);
    expect(result.ece).toBeCloseTo(expectedCalibrationError(confidences, correct, 10), 12);
    expect(result.bins.reduce((sum, bin) => sum + bin.count, 0)).toBe(5000);
  });

  it("puts confidence 1 in the last bin, clamps out-of-range values and ignores NaN", () => {
    const accumulator = new ReliabilityAccumulator(10);
    accumulator.add(1, true);
    accumulator.add(1.2, true);
    accumulator.add(-0.1, false);
    accumulator.add(Number.NaN, true);
    const { bins, samples, ece } = accumulator.result();
    expect(samples).toBe(3);
    expect(bins[9]).toMatchObject({ count: 2, accuracy: 1, meanConfidence: 1 });
    expect(bins[0]).toMatchObject({ count: 1, accuracy: 0, meanConfidence: 0 });
    expect(ece).toBe(0);
    expect(new ReliabilityAccumulator(10).result().ece).toBeNull();
  });
});

describe("two-proportion z-test", () => {
  it("matches the normal distribution's known values", () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-2.575829)).toBeCloseTo(0.005, 6);
    expect(erfc(1)).toBeCloseTo(0.157299207, 6);
  });

  it("computes z and the two-sided p-value (45/100 vs 60/100)", () => {
    const test = twoProportionTest(45, 100, 60, 100, 0.05)!;
    expect(test.difference).toBeCloseTo(0.15, 12);
    expect(test.z).toBeCloseTo(2.1239, 3);
    expect(test.pValue).toBeCloseTo(0.03368, 4);
    expect(test.significant).toBe(true);
    expect(twoProportionTest(45, 100, 50, 100, 0.05)!.significant).toBe(false);
  });

  it("returns null for an empty group and p = 1 without variance", () => {
    expect(twoProportionTest(0, 0, 5, 10, 0.05)).toBeNull();
    expect(twoProportionTest(10, 10, 20, 20, 0.05)).toEqual({ difference: 0, z: 0, pValue: 1, significant: false });
  });
});

describe("parseIsoTime", () => {
  it("agrees with Date.parse on canonical timestamps (property)", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("0001-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59.999Z"), noInvalidDate: true }), (date) => {
        const iso = date.toISOString();
        return iso.length !== 24 || parseIsoTime(iso) === Date.parse(iso);
      }),
      { numRuns: 2000 },
    );
  });

  it("falls back to Date.parse for other forms and behaves like it on odd dates", () => {
    expect(parseIsoTime("2024-05-01T12:00:00+02:00")).toBe(Date.parse("2024-05-01T10:00:00Z"));
    expect(parseIsoTime("2024-02-29T00:00:00.000Z")).toBe(Date.parse("2024-02-29T00:00:00Z"));
    expect(parseIsoTime("2023-02-29T00:00:00.000Z")).toBe(Date.parse("2023-02-29T00:00:00.000Z"));
    expect(parseIsoTime("2023-02-32T00:00:00.000Z")).toBe(Date.parse("2023-02-32T00:00:00.000Z"));
    expect(parseIsoTime("not a date")).toBeNaN();
    expect(parseIsoTime(undefined as never)).toBeNaN();
  });
});
