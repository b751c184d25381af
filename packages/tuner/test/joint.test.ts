import { describe, expect, it } from "vitest";
import { jointSearch, jointSearcher } from "../src/joint.js";
import { proposeThresholds } from "../src/propose.js";
import { predictMetrics } from "../src/replay.js";
import { trace } from "./support/traces.js";
import type { RouteTrace } from "../src/types.js";

/**
 * Two layers. "first" is right on easy tasks at high confidence and wrong on hard ones at
 * medium confidence; "second" is right on hard ones. Per-layer tuning lets "first" take
 * everything it can while keeping its own average precision, which starves "second";
 * tuning the cascade as a whole leaves the hard tasks to "second".
 */
function starvation(): RouteTrace[] {
  const traces: RouteTrace[] = [];
  for (let i = 0; i < 300; i++) traces.push(trace({ first: ["a", 0.9 + (i % 10) / 100], second: ["a", 0.6] }, "a", true));
  for (let i = 0; i < 100; i++) traces.push(trace({ first: ["a", 0.6 + (i % 10) / 100], second: ["b", 0.95] }, i < 5 ? "a" : "b", true));
  for (let i = 0; i < 100; i++) traces.push(trace({ first: ["c", 0.2], second: ["c", 0.3] }, "d", true));
  return traces;
}

describe("joint (cascade) search", () => {
  const layers = ["first", "second"];
  const start = { first: 0.5, second: 0.5 };

  it("maximises the cascade's coverage while its precision bound stays at the target", () => {
    const point = jointSearch(starvation(), layers, start, { targetPrecision: 0.9, confidenceLevel: 0.95, bound: "clopper-pearson", step: 1 });
    expect(point.feasible).toBe(true);
    expect(point.lowerBound).toBeGreaterThanOrEqual(0.9);
    // "first" keeps its easy tasks (>= 0.9) and leaves the hard ones to "second".
    expect(point.thresholds.first).toBeGreaterThan(0.69);
    expect(point.thresholds.first).toBeLessThanOrEqual(0.9);
    expect(point.precision).toBeCloseTo(395 / 400, 9);
    expect(point.thresholds.second).toBeLessThanOrEqual(0.95);
    expect(point.coverage).toBeCloseTo(400 / 500, 2);
  });

  it("beats per-layer tuning on coverage at the same precision target", () => {
    const traces = starvation();
    const byLayer = proposeThresholds(traces, { layers, current: start, targetPrecision: 0.6, maxStep: 1, constraint: "layer", minSamples: 10 });
    const byCascade = proposeThresholds(traces, { layers, current: start, targetPrecision: 0.6, maxStep: 1, constraint: "cascade", minSamples: 10 });
    const accuracyOf = (th: Record<string, number>) => predictMetrics(traces, layers, th);
    expect(byCascade.cascade?.meetsTarget).toBe(true);
    expect(accuracyOf(byCascade.after).accuracy!).toBeGreaterThan(accuracyOf(byLayer.after).accuracy!);
    expect(accuracyOf(byCascade.after).coverage).toBeGreaterThanOrEqual(accuracyOf(byLayer.after).coverage);
  });

  it("stays inside the step box and never leaves [0,1]", () => {
    const point = jointSearch(starvation(), layers, { first: 0.98, second: 0.02 }, { targetPrecision: 0.9, confidenceLevel: 0.95, bound: "wilson", step: 0.05 });
    expect(point.thresholds.first).toBeGreaterThanOrEqual(0.93 - 1e-9);
    expect(point.thresholds.first).toBeLessThanOrEqual(1);
    expect(point.thresholds.second).toBeGreaterThanOrEqual(0);
    expect(point.thresholds.second).toBeLessThanOrEqual(0.07 + 1e-9);
  });

  it("keeps frozen layers where they are", () => {
    const point = jointSearch(starvation(), layers, start, { targetPrecision: 0.9, confidenceLevel: 0.95, bound: "wilson", step: 1, frozen: new Set(["second"]) });
    expect(point.thresholds.second).toBe(0.5);
  });

  it("when nothing is feasible, ends at the highest bound it can reach", () => {
    const coinFlips = Array.from({ length: 300 }, (_, i) => trace({ only: ["a", (i % 100) / 100] }, i % 2 ? "a" : "b", true));
    const point = jointSearch(coinFlips, ["only"], { only: 0.5 }, { targetPrecision: 0.9, confidenceLevel: 0.95, bound: "wilson", step: 1 });
    // Accepting nothing is the only way to keep the target: threshold above every confidence.
    expect(point.routed).toBe(0);
    expect(point.feasible).toBe(true);
  });

  it("skips traces it cannot replay (a needed layer never ran)", () => {
    const traces = [...starvation(), trace({ first: ["a", 0.95] }, "a")];
    const point = jointSearcher(traces, layers, start, { confidenceLevel: 0.95, bound: "wilson", step: 1 }).measure({ first: 0.99, second: 0.5 }, 0.9);
    expect(point.simulated).toBe(traces.length - 1);
  });

  it("a searcher answers many targets from one preparation, with coverage falling as the target rises", () => {
    const searcher = jointSearcher(starvation(), layers, start, { confidenceLevel: 0.95, bound: "clopper-pearson", step: 1 });
    const coverages = [0.6, 0.8, 0.9, 0.95].map((target) => searcher.search(target).coverage);
    for (let i = 1; i < coverages.length; i++) expect(coverages[i]!).toBeLessThanOrEqual(coverages[i - 1]! + 1e-12);
  });
});
