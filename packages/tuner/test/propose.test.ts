import { describe, expect, it } from "vitest";
import { collectLayerSamples, proposeThresholds } from "../src/propose.js";
import { predictMetrics, replayTrace } from "../src/replay.js";
import { graded, trace } from "./support/traces.js";

describe.each(["cascade", "layer"] as const)("proposeThresholds (%s constraint)", (constraint) => {
  it('says "insufficient samples" with counts and keeps the threshold', () => {
    const traces = graded("semantic", 42, { rightAbove: 0.5 });
    const proposal = proposeThresholds(traces, { constraint, layers: ["semantic"], current: { semantic: 0.7 }, minSamples: 100 });
    expect(proposal.layers[0]).toMatchObject({ layer: "semantic", status: "insufficient_samples", before: 0.7, after: 0.7, samples: 42 });
    expect(proposal.layers[0]!.reason).toBe("insufficient samples: 42 of 100 needed (0 shadow, 42 logged); threshold kept");
    expect(proposal.after).toEqual({ semantic: 0.7 });
  });

  it("moves toward the optimum by at most one step, and further with aggressive", () => {
    // Right above 0.3: the optimum is well below the current 0.85.
    const traces = graded("keyword", 1000, { rightAbove: 0.3, shadow: true });
    const normal = proposeThresholds(traces, { constraint, layers: ["keyword"], current: { keyword: 0.85 }, targetPrecision: 0.9 });
    expect(normal.layers[0]!.status).toBe("tuned");
    expect(normal.layers[0]!.optimum!).toBeLessThan(0.3);
    expect(normal.after.keyword).toBe(0.8);
    const aggressive = proposeThresholds(traces, { constraint, layers: ["keyword"], current: { keyword: 0.85 }, targetPrecision: 0.9, aggressive: true });
    expect(aggressive.after.keyword).toBe(0.75);
    // Repeated runs converge on the optimum and then stay.
    let current = 0.85;
    for (let run = 0; run < 20; run++) current = proposeThresholds(traces, { constraint, layers: ["keyword"], current: { keyword: current }, targetPrecision: 0.9 }).after.keyword!;
    expect(current).toBe(normal.layers[0]!.optimum);
  });

  it("raises a threshold whose accepted precision is below target", () => {
    const traces = graded("neural", 1000, { rightAbove: 0.8, shadow: true });
    const proposal = proposeThresholds(traces, { constraint, layers: ["neural"], current: { neural: 0.5 }, targetPrecision: 0.9 });
    expect(proposal.after.neural).toBe(0.55);
    expect(proposal.predictedAfter.accuracy!).toBeGreaterThan(proposal.predictedBefore.accuracy!);
    expect(proposal.predictedAfter.coverage).toBeLessThan(proposal.predictedBefore.coverage);
  });

  it("prefers shadow samples when there are enough of them", () => {
    // Logged (non-shadow) samples say the layer is always right; shadow samples tell the truth.
    const logged = graded("rag", 300, { rightAbove: 0 });
    const shadow = graded("rag", 200, { rightAbove: 0.6, shadow: true });
    const proposal = proposeThresholds([...logged, ...shadow], { constraint, layers: ["rag"], current: { rag: 0.5 }, minSamples: 150, maxStep: 1 });
    expect(proposal.layers[0]).toMatchObject({ source: "shadow", samples: 200, shadowSamples: 200 });
    expect(proposal.after.rag!).toBeGreaterThan(0.55);
    const mixed = proposeThresholds([...logged, ...shadow], { constraint, layers: ["rag"], current: { rag: 0.5 }, minSamples: 250, maxStep: 1 });
    expect(mixed.layers[0]).toMatchObject({ source: "mixed", samples: 500, shadowSamples: 200 });
  });

  it("tunes later layers on what the earlier layers' proposed thresholds leave them", () => {
    const traces = [
      // keyword sure and right: decided by keyword at any threshold <= 0.9
      ...Array.from({ length: 200 }, () => trace({ keyword: ["a", 0.9], semantic: ["b", 0.95] }, "a", true)),
      // keyword unsure: semantic decides, and is right
      ...Array.from({ length: 200 }, () => trace({ keyword: ["a", 0.2], semantic: ["c", 0.8] }, "c", true)),
    ];
    const collected = collectLayerSamples(traces, ["keyword", "semantic"], 1, { keyword: 0.85 });
    expect(collected.all).toHaveLength(200);
    expect(collected.all.every((s) => s.correct)).toBe(true);
    // Were keyword's threshold above 0.9, semantic would see (and be wrong on) the first group too.
    expect(collectLayerSamples(traces, ["keyword", "semantic"], 1, { keyword: 0.95 }).all.filter((s) => !s.correct)).toHaveLength(200);
  });

  it("counts traces a layer never saw (selection bias) and leaves them out", () => {
    const traces = [
      // keyword decided at the time (0.9 >= 0.85), semantic never ran
      ...Array.from({ length: 30 }, () => trace({ keyword: ["a", 0.9], semantic: undefined }, "a")),
      ...Array.from({ length: 120 }, () => trace({ keyword: ["a", 0.1], semantic: ["b", 0.9] }, "b")),
    ];
    // With keyword raised to 0.95 the first 30 would reach semantic, but it has no attempt for them.
    const collected = collectLayerSamples(traces, ["keyword", "semantic"], 1, { keyword: 0.95 });
    expect(collected.unobserved).toBe(30);
    expect(collected.all).toHaveLength(120);
  });

  it("rejects thresholds outside [0,1] and a bad target", () => {
    expect(() => proposeThresholds([], { constraint, layers: ["a"], current: { a: 1.2 } })).toThrow(/must be in \[0,1\]/);
    expect(() => proposeThresholds([], { constraint, layers: ["a"], current: { a: 0.5 }, targetPrecision: 1 })).toThrow(/Target precision/);
    expect(() => proposeThresholds([], { constraint, layers: [], current: {} })).toThrow(/layer names/);
  });
});

describe("replay and predicted metrics", () => {
  const layers = ["keyword", "semantic"];

  it("replays the cascade: first confident layer decides, errors are passed over", () => {
    const t = trace({ keyword: "error", semantic: ["b", 0.8] }, "b");
    expect(replayTrace(t, layers, { keyword: 0.85, semantic: 0.7 })).toMatchObject({ kind: "layer", layer: "semantic", expert: "b", latencyMs: 2 });
    expect(replayTrace(t, layers, { keyword: 0.85, semantic: 0.9 })).toMatchObject({ kind: "clarification" });
    expect(replayTrace(trace({ keyword: ["a", 0.5] }, "a"), layers, { keyword: 0.85, semantic: 0.7 })).toEqual({ kind: "unsimulable", missingLayer: "semantic" });
  });

  it("predicts accuracy, coverage and clarification rate", () => {
    const traces = [
      trace({ keyword: ["a", 0.9], semantic: ["a", 0.9] }, "a"),
      trace({ keyword: ["a", 0.5], semantic: ["b", 0.8] }, "c"),
      trace({ keyword: ["a", 0.5], semantic: ["b", 0.5] }, "b"),
      trace({ keyword: ["a", 0.5], semantic: ["b", 0.75] }, undefined),
    ];
    const metrics = predictMetrics(traces, layers, { keyword: 0.85, semantic: 0.7 });
    expect(metrics).toMatchObject({ simulated: 4, unsimulable: 0, accuracy: 0.5, coverage: 0.75, clarificationRate: 0.25 });
    expect(metrics.byLayer).toEqual({ keyword: 0.25, semantic: 0.5 });
  });
});
