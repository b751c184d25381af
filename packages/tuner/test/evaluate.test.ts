import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadEvaluationData, parseEvaluationData } from "../src/dataset.js";
import { evaluate } from "../src/evaluate.js";
import { formatEvaluation } from "../src/format.js";
import { overlapLayer } from "./support/layers.js";

const mini = fileURLToPath(new URL("../../../fixtures/datasets/hwu64-mini.jsonl", import.meta.url));

describe("evaluate on hwu64-mini", async () => {
  const data = await loadEvaluationData(mini);
  const first = overlapLayer({ name: "first", calibrate: true, power: 0.5 });
  const second = overlapLayer({ name: "second", fit: true });
  // A larger carve than the default 10%, so the validation rows can support a bound.
  const report = await evaluate({
    layers: [
      { layer: first, threshold: 0.85 },
      { layer: second, threshold: 0.7 },
    ],
    data,
    minSamples: 5,
    valShare: 0.4,
  });

  it("carves a stratified validation split from train and says so", () => {
    expect(report.data).toMatchObject({ valSource: "carved", carve: { share: 0.4, seed: 42 }, labels: 12, test: 60 });
    // 12 train rows per label: round(4.8) = 5 held out of each.
    expect(report.data.val).toBe(60);
    expect(report.data.train).toBe(84);
  });

  it("fits each layer the way it offers: learn + calibrate, or its own fit with the validation rows", () => {
    expect(first.calls).toEqual(["learn:84", "calibrate:60"]);
    expect(second.calls).toEqual(["fit:84:60", "learn:84"]); // the fake fit() learns through learn()
    expect(report.fit.map((f) => f.method)).toEqual(["learn+calibrate", "fit"]);
  });

  it("measures defaults and tuned thresholds on the same test rows", () => {
    for (const metrics of [report.defaults, report.tuned!]) {
      expect(metrics.rows).toBe(60);
      const decided = metrics.perLayer.reduce((sum, l) => sum + l.decided, 0);
      expect(metrics.coverage).toBeCloseTo(decided / 60, 12);
      expect(metrics.clarificationRate).toBeCloseTo(1 - metrics.coverage, 12);
      // No out-of-scope rows: in-scope accuracy = routed accuracy x coverage.
      expect(metrics.inScopeAccuracy!).toBeCloseTo((metrics.routedAccuracy ?? 0) * metrics.coverage, 12);
      expect(metrics.latencyMs.p99!).toBeGreaterThanOrEqual(metrics.latencyMs.p50!);
      expect(metrics.outOfScope).toBeUndefined();
    }
    expect(report.tuning?.targetSource).toBe("auto");
    expect(report.tuning?.constraint).toBe("cascade");
    expect(report.tuned!.thresholds).not.toEqual(report.defaults.thresholds);
    // The tuned thresholds are the sweep's choice for the chosen target.
    const chosen = report.riskCoverage.cascade.find((p) => p.targetPrecision === report.tuning!.targetPrecision);
    expect(chosen?.thresholds).toEqual(report.tuned!.thresholds);
    expect(report.standalone.map((s) => s.samples)).toEqual([60, 60]);
  });

  it("reports risk-coverage curves per layer and for the cascade", () => {
    const curve = report.riskCoverage.layers.first!;
    expect(curve.length).toBeGreaterThan(3);
    expect(curve.at(-1)!.coverage).toBe(1);
    for (let i = 1; i < curve.length; i++) expect(curve[i]!.coverage).toBeGreaterThan(curve[i - 1]!.coverage);
    const targets = report.riskCoverage.cascade.map((p) => p.targetPrecision);
    expect(targets[0]).toBe(0.5);
    expect(targets.at(-1)).toBe(0.995);
    // Higher targets never route more of the validation rows.
    const valCoverage = report.riskCoverage.cascade.map((p) => p.valCoverage);
    for (let i = 1; i < valCoverage.length; i++) expect(valCoverage[i]!).toBeLessThanOrEqual(valCoverage[i - 1]! + 1e-12);
  });

  it("formats a readable report", () => {
    const text = formatEvaluation(report, "Evaluation of hwu64-mini.jsonl");
    expect(text).toMatch(/carved 40% of each train label, seed 42/);
    expect(text).toMatch(/accuracy \(routed\)/);
    expect(text).toMatch(/Risk-coverage/);
  });
});

describe("evaluate with out-of-scope rows", () => {
  const rows = (split: string, label: string, texts: string[]) => texts.map((text) => JSON.stringify({ text, label, split })).join("\n");
  const jsonl = [
    rows("train", "weather", ["what is the weather today", "will it rain today", "weather forecast for tomorrow", "is it sunny outside today"]),
    rows("train", "alarm", ["set an alarm for seven", "wake me up at six with an alarm", "cancel my alarm", "alarm for tomorrow morning"]),
    rows("train", "oos", ["tell me about quantum physics", "who won the football game"]),
    rows("val", "weather", ["weather today please", "rain forecast today"]),
    rows("val", "alarm", ["alarm at seven please", "set my alarm for six"]),
    rows("val", "oos", ["how tall is mount everest"]),
    rows("test", "weather", ["what weather is it today", "will it rain tomorrow"]),
    rows("test", "alarm", ["set an alarm for nine", "cancel the alarm for tomorrow"]),
    rows("test", "oos", ["recommend a good novel", "translate hello into french"]),
  ].join("\n");

  it("leaves out-of-scope rows out of fitting and counts them right only at clarification", async () => {
    const data = parseEvaluationData(jsonl);
    const layer = overlapLayer();
    const report = await evaluate({ layers: [{ layer, threshold: 0.3 }], data, oosLabel: "oos", minSamples: 1, minAccepted: 1, tune: false });
    expect(layer.learned.map((e) => e.expert)).not.toContain("oos");
    expect(layer.learned).toHaveLength(8);
    expect(report.data).toMatchObject({ valSource: "dataset", outOfScope: { label: "oos", train: 2, val: 1, test: 2 } });
    const oos = report.defaults.outOfScope!;
    expect(oos.rows).toBe(2);
    // Neither out-of-scope test text shares a word with the training texts: both reach clarification.
    expect(oos.recall).toBe(1);
    expect(oos.precision).toBeGreaterThan(0);
    expect(report.defaults.inScopeAccuracy).toBeDefined();
  });
});

describe("dataset parsing", () => {
  it("names the line and the flag to fix", () => {
    expect(() => parseEvaluationData('{"text":"a","label":"x","split":"train"}\nnot json', {}, "d.jsonl")).toThrow(/d.jsonl line 2 is not valid JSON/);
    expect(() => parseEvaluationData('{"text":"a","intent":"x","split":"train"}', {}, "d.jsonl")).toThrow(/--label-field/);
    expect(() => parseEvaluationData('{"text":"a","label":"x","split":"test"}', {}, "d.jsonl")).toThrow(/no "train" rows.*splits found: test: 1.*--train-split/);
    const parsed = parseEvaluationData('{"text":"a","intent":"x","part":"tr"}\n{"text":"b","intent":"y","part":"te"}\n{"text":"","intent":"y","part":"te"}', {
      labelField: "intent",
      splitField: "part",
      trainSplit: "tr",
      testSplit: "te",
    });
    expect(parsed).toMatchObject({ train: [{ text: "a", label: "x" }], test: [{ text: "b", label: "y" }], skipped: 1 });
  });
});
