import { describe, expect, it } from "vitest";
import { DEFAULT_SWEEP_TARGETS, chooseAutoTarget, type SweepPoint } from "../src/internal/sweep.js";

const point = (targetPrecision: number, valCoverage: number, valAccuracy: number): SweepPoint => ({ targetPrecision, thresholds: {}, valCoverage, valAccuracy });
const defaults = { simulated: 100, unsimulable: 0, accuracy: 0.9, coverage: 0.7, clarificationRate: 0.3, byLayer: {} };

describe('the "auto" target', () => {
  it("picks the point that beats the defaults by the widest margin on both axes", () => {
    const sweep = [point(0.85, 0.95, 0.88), point(0.9, 0.8, 0.92), point(0.93, 0.74, 0.95), point(0.97, 0.5, 0.99)];
    // Margins: 0.85 -> -0.02, 0.9 -> min(0.02, 0.1) = 0.02, 0.93 -> min(0.05, 0.04) = 0.04, 0.97 -> negative.
    const chosen = chooseAutoTarget(sweep, defaults);
    expect(chosen.targetPrecision).toBe(0.93);
    expect(chosen.reason).toMatch(/beats the defaults on val by 4.0 points/);
  });

  it("falls back to the defaults' accuracy when nothing beats them on both", () => {
    const chosen = chooseAutoTarget([point(0.8, 0.9, 0.85), point(0.99, 0.4, 0.99)], defaults);
    expect(chosen.targetPrecision).toBe(0.9);
    expect(chosen.reason).toMatch(/no target beats the defaults/);
  });

  it("sweeps 0.5 to 0.995, finer where targets matter", () => {
    expect(DEFAULT_SWEEP_TARGETS.slice(0, 7)).toEqual([0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8]);
    expect(DEFAULT_SWEEP_TARGETS.at(-1)).toBe(0.995);
    expect(new Set(DEFAULT_SWEEP_TARGETS).size).toBe(DEFAULT_SWEEP_TARGETS.length);
  });
});
