import { describe, expect, it } from "vitest";
import { applyPlatt, cosine, expectedCalibrationError, fitPlatt, fitTemperature, normalise, softmax, ErrorCode } from "../src/index.js";

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe("Platt scaling", () => {
  it("recovers probabilities from scores whose true P(correct) is known", () => {
    const random = lcg(1);
    const scores: number[] = [];
    const correct: boolean[] = [];
    for (let i = 0; i < 4000; i++) {
      const score = random();
      scores.push(score);
      correct.push(random() < 1 / (1 + Math.exp(-(6 * score - 3))));
    }
    const scaler = fitPlatt(scores, correct);
    expect(scaler.a).toBeGreaterThan(5);
    expect(scaler.a).toBeLessThan(7);
    expect(applyPlatt(scaler, 0.5)).toBeCloseTo(0.5, 1);
    const calibrated = scores.map((s) => applyPlatt(scaler, s));
    expect(expectedCalibrationError(calibrated, correct)).toBeLessThan(0.03);
    expect(
      expectedCalibrationError(
        scores.map(() => 0.99),
        correct,
      ),
    ).toBeGreaterThan(0.4);
  });

  it("refuses to fit on only right (or only wrong) predictions", () => {
    expect(() => fitPlatt([0.1, 0.9], [true, true])).toThrowError(expect.objectContaining({ code: ErrorCode.INSUFFICIENT_DATA }));
  });
});

describe("temperature scaling", () => {
  it("cools overconfident logits (T > 1) and warms underconfident ones (T < 1)", () => {
    const random = lcg(2);
    const logits: number[][] = [];
    const labels: number[] = [];
    for (let i = 0; i < 500; i++) {
      const label = Math.floor(random() * 3);
      const wrong = random() < 0.3;
      const predicted = wrong ? (label + 1) % 3 : label;
      const row = [0, 0, 0];
      row[predicted] = 10; // says ~100% but is right only 70% of the time
      logits.push(row);
      labels.push(label);
    }
    expect(fitTemperature(logits, labels)).toBeGreaterThan(2);
    const timid = logits.map((row) => row.map((v) => v / 100));
    expect(fitTemperature(timid, labels)).toBeLessThan(0.5);
  });
});

describe("vectors", () => {
  it("computes cosine, normalisation and a softmax that sums to 1", () => {
    expect(cosine([1, 0], [0, 1])).toBe(0);
    expect(cosine([1, 1], [2, 2])).toBeCloseTo(1);
    expect(cosine([0, 0], [1, 1])).toBe(0);
    const unit = normalise([3, 4]);
    expect(unit[0]).toBeCloseTo(0.6);
    const p = softmax([1000, 1000, 0]);
    expect(p[0]! + p[1]! + p[2]!).toBeCloseTo(1);
    expect(p[0]).toBeCloseTo(0.5);
  });
});
