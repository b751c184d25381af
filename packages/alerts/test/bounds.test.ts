import { describe, expect, it } from "vitest";
import { chiSquare95, populationStability, wilson } from "../src/internal/bounds.js";

describe("confidence bounds", () => {
  it("gives the Wilson score interval at 95 %", () => {
    // Textbook value: 81 of 263 -> [0.2553, 0.3662] (Wilson 1927 / Newcombe 1998 style check).
    const { low, high } = wilson(81, 263);
    expect(low).toBeCloseTo(0.2553, 3);
    expect(high).toBeCloseTo(0.3662, 3);
    expect(wilson(0, 10).low).toBe(0);
    expect(wilson(10, 10).high).toBe(1);
    expect(wilson(0, 0)).toEqual({ low: 0, high: 1 });
  });

  it("approximates the χ² 95th percentile within 1 %", () => {
    for (const [k, exact] of [
      [1, 3.841],
      [4, 9.488],
      [10, 18.307],
      [30, 43.773],
    ] as const)
      expect(Math.abs(chiSquare95(k) - exact) / exact).toBeLessThan(0.01);
  });

  it("measures the PSI of the expert mix, near 0 for the same mix and with a noise level that shrinks with n", () => {
    const same = populationStability(
      new Map([
        ["a", 500],
        ["b", 500],
      ]),
      new Map([
        ["a", 1000],
        ["b", 1000],
      ]),
    );
    expect(same.psi).toBeCloseTo(0, 6);
    expect(same.noise95).toBeCloseTo(3.841 * (1 / 1000 + 1 / 2000), 2);
    const shifted = populationStability(
      new Map([
        ["a", 900],
        ["b", 100],
      ]),
      new Map([
        ["a", 500],
        ["b", 500],
      ]),
    );
    // (0.9 - 0.5)·ln(0.9/0.5) + (0.1 - 0.5)·ln(0.1/0.5) ≈ 0.879 (smoothing moves it slightly).
    expect(shifted.psi).toBeCloseTo(0.879, 2);
    const newExpert = populationStability(
      new Map([
        ["a", 50],
        ["c", 50],
      ]),
      new Map([["a", 100]]),
    );
    expect(Number.isFinite(newExpert.psi)).toBe(true);
    expect(newExpert.psi).toBeGreaterThan(1);
  });
});
