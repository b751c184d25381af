import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ErrorCode } from "@moe-router/core";
import { loadEvaluationData, parseEvaluationData } from "../src/dataset.js";
import { evaluate } from "../src/evaluate.js";
import { holdOutIntents } from "../src/hold-out.js";
import { chooseOperatingPoint, coverageSummary, parseObjective } from "../src/operating-point.js";
import { evaluationSplit } from "../src/split.js";
import type { RouteTrace, SweepPoint } from "../src/types.js";
import { overlapLayer } from "./support/layers.js";

const mini = fileURLToPath(new URL("../../../fixtures/datasets/hwu64-mini.jsonl", import.meta.url));

describe("parseObjective", () => {
  it("reads the three objectives and refuses anything else with the fix", () => {
    expect(parseObjective("precision")).toEqual({ kind: "precision", target: "auto" });
    expect(parseObjective("precision:0.95")).toEqual({ kind: "precision", target: 0.95 });
    expect(parseObjective("coverage:0.8")).toEqual({ kind: "coverage", target: 0.8 });
    expect(parseObjective("oos-recall:0.7")).toEqual({ kind: "oos-recall", target: 0.7 });
    for (const bad of ["coverage", "coverage:2", "precision:1", "recall:0.5", "oos-recall:x"]) {
      expect(() => parseObjective(bad)).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_CONFIG }));
    }
  });
});

/** A trace where one layer answered `expert` at `confidence`; truth "coordinator-master" = out of scope. */
const trace = (expert: string, confidence: number, truth: string): RouteTrace => ({
  attempts: { l: { errored: false, expert, confidence, latencyMs: 0 } },
  shadow: true,
  truth: { expert: truth },
  timestamp: "2026-01-01T00:00:00Z",
});

describe("chooseOperatingPoint", () => {
  const sweep: SweepPoint[] = [
    { targetPrecision: 0.8, thresholds: { l: 0.2 }, valCoverage: 0.9, valAccuracy: 0.8 },
    { targetPrecision: 0.9, thresholds: { l: 0.5 }, valCoverage: 0.7, valAccuracy: 0.9 },
    { targetPrecision: 0.95, thresholds: { l: 0.8 }, valCoverage: 0.4, valAccuracy: 0.97 },
  ];
  // In scope: right answers at 0.9 and 0.6, a wrong one at 0.3; out of scope: answered at 0.4 and 0.1.
  const traces = [trace("a", 0.9, "a"), trace("b", 0.6, "b"), trace("x", 0.3, "c"), trace("a", 0.4, "coordinator-master"), trace("b", 0.1, "coordinator-master")];
  const defaults = { simulated: 5, unsimulable: 0, accuracy: 0.5, coverage: 1, clarificationRate: 0, byLayer: {} };

  it("coverage: the most accurate point that still routes the target share", () => {
    expect(chooseOperatingPoint({ kind: "coverage", target: 0.6 }, sweep, traces, ["l"], "coordinator-master", defaults).targetPrecision).toBe(0.9);
    expect(chooseOperatingPoint({ kind: "coverage", target: 0.95 }, sweep, traces, ["l"], "coordinator-master", defaults).reason).toMatch(/no point reaches it/);
  });

  it("oos-recall: the best in-scope accuracy with enough out-of-scope rows clarified", () => {
    // Threshold 0.2 clarifies 1 of 2 OOS rows; 0.5 clarifies both and keeps 2 of 3 in-scope right.
    const chosen = chooseOperatingPoint({ kind: "oos-recall", target: 1 }, sweep, traces, ["l"], "coordinator-master", defaults);
    expect(chosen.targetPrecision).toBe(0.9);
    expect(chosen.reason).toMatch(/recall >= 1/);
  });

  it("oos-recall without out-of-scope validation rows says how to get some", () => {
    expect(() => chooseOperatingPoint({ kind: "oos-recall", target: 0.8 }, sweep, traces.slice(0, 3), ["l"], "coordinator-master", defaults)).toThrow(
      expect.objectContaining({ code: ErrorCode.INSUFFICIENT_DATA, message: expect.stringMatching(/--hold-out-intents/) }),
    );
  });
});

describe("coverageSummary", () => {
  it("keeps the most confident share of rows", () => {
    const samples = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05].map((confidence, i) => ({ confidence, correct: i < 5 || i === 9 }));
    expect(coverageSummary(samples)).toEqual({ rows: 10, forced: 0.6, at50: 1, at80: 5 / 8, at100: 0.6 });
    expect(coverageSummary([]).forced).toBeUndefined();
  });
});

describe("holdOutIntents and evaluationSplit", async () => {
  const data = await loadEvaluationData(mini);

  it("turns whole intents into out-of-scope rows; half of them are never seen in training", () => {
    const held = holdOutIntents(data, { count: 4 });
    expect(held.heldOut).toHaveLength(4);
    expect(held.seenAsOutOfScope).toHaveLength(2);
    const labels = (rows: readonly { label: string }[]) => new Set(rows.map((r) => r.label));
    for (const intent of held.heldOut) {
      expect(labels(held.train).has(intent)).toBe(false);
      expect(labels(held.test).has(intent)).toBe(false);
    }
    const unseen = held.heldOut.filter((i) => !held.seenAsOutOfScope.includes(i));
    const oosTrain = held.train.filter((r) => r.label === "oos").length;
    expect(oosTrain).toBe(data.train.filter((r) => held.seenAsOutOfScope.includes(r.label)).length);
    expect(held.test.filter((r) => r.label === "oos").length).toBe(data.test.filter((r) => held.heldOut.includes(r.label)).length);
    expect(held.train.length).toBe(data.train.length - data.train.filter((r) => unseen.includes(r.label)).length);
    expect(holdOutIntents(data, { count: 4 }).heldOut).toEqual(held.heldOut); // seeded
    expect(() => holdOutIntents(data, { count: 0 })).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_CONFIG }));
  });

  it("gives the rows evaluate() uses, the same on every call", () => {
    const a = evaluationSplit(data);
    const b = evaluationSplit(data);
    expect(a.valSource).toBe("carved");
    expect(a.train.length + a.val.length).toBe(data.train.length);
    expect(a.train).toEqual(b.train);
    expect(new Set(a.val.map((r) => r.text)).size).toBe(a.val.length);
  });
});

describe("evaluate with an explicit out-of-scope class and objectives", () => {
  const rows = (split: string, label: string, texts: string[]) => texts.map((text) => JSON.stringify({ text, label, split })).join("\n");
  const jsonl = [
    rows("train", "weather", ["what is the weather today", "will it rain today", "weather forecast for tomorrow", "is it sunny outside today"]),
    rows("train", "alarm", ["set an alarm for seven", "wake me up at six with an alarm", "cancel my alarm", "alarm for tomorrow morning"]),
    rows("train", "oos", ["tell me about quantum physics", "who won the football game", "recommend a good book about physics"]),
    rows("val", "weather", ["weather today please", "rain forecast today"]),
    rows("val", "alarm", ["alarm at seven please", "set my alarm for six"]),
    rows("val", "oos", ["quantum physics facts"]),
    rows("test", "weather", ["what weather is it today", "will it rain tomorrow"]),
    rows("test", "alarm", ["set an alarm for nine", "cancel the alarm for tomorrow"]),
    rows("test", "oos", ["who won the physics prize", "tell me about the football game"]),
  ].join("\n");

  it("fits the out-of-scope rows as a class whose verdicts end in clarification", async () => {
    const data = parseEvaluationData(jsonl);
    const layer = overlapLayer();
    const report = await evaluate({ layers: [{ layer, threshold: 0.1 }], data, oosLabel: "oos", outOfScopeClass: true, tune: false });
    expect(layer.learned.filter((e) => e.expert === "oos")).toHaveLength(3);
    // Both OOS test texts share words with OOS training texts: the layer names "oos", the cascade clarifies.
    expect(report.defaults.outOfScope).toMatchObject({ rows: 2, recall: 1 });
    // Without the class, the same threshold routes them to an in-scope expert or clarifies by low overlap only.
    const plain = await evaluate({ layers: [{ layer: overlapLayer(), threshold: 0.1 }], data, oosLabel: "oos", tune: false });
    expect(plain.defaults.outOfScope!.recall!).toBeLessThan(1);
  });

  it("tunes for a coverage target and reports accuracy at fixed coverages", async () => {
    const data = await loadEvaluationData(mini);
    const report = await evaluate({
      layers: [{ layer: overlapLayer({ name: "first" }), threshold: 0.85 }],
      data,
      minSamples: 5,
      valShare: 0.4,
      objective: { kind: "coverage", target: 0.6 },
    });
    expect(report.tuning).toMatchObject({ objective: { kind: "coverage", target: 0.6 }, targetSource: "objective" });
    const chosen = report.riskCoverage.cascade.find((p) => p.targetPrecision === report.tuning!.targetPrecision)!;
    if (report.riskCoverage.cascade.some((p) => p.valCoverage >= 0.6)) expect(chosen.valCoverage).toBeGreaterThanOrEqual(0.6);
    const summary = report.accuracy.layers.first!;
    expect(summary.rows).toBe(60);
    expect(summary.at50!).toBeGreaterThanOrEqual(summary.at100!);
    expect(report.accuracy.cascade!.atCoverage.map((p) => p.target)).toEqual([0.5, 0.8]);
    expect(report.accuracy.cascade!.forced).toBe(summary.forced);
  });
});
