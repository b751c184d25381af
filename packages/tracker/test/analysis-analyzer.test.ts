import { describe, expect, it } from "vitest";
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { createAnalyzer, type AnalysisReport } from "../src/index.js";
import type { RoutingEvent } from "../src/records.js";
import { RIGHT_OUTCOME, corrected, makeEvent } from "./analysis-fixtures.js";

const SEC = "security-master",
  CICD = "cicd-master",
  DEV = "development-master",
  INV = "inventory-master";

/** Five decisions covering acceptance, escalation, an error, clarification, shadow attempts and outcomes. */
function scenario(): RoutingEvent[] {
  return [
    makeEvent({ attempts: [["keyword", SEC, 0.9, true, 0.1]], outcome: RIGHT_OUTCOME, totalLatencyMs: 0.2 }),
    makeEvent({
      attempts: [
        ["keyword", CICD, 0.5, false, 0.2],
        ["semantic", CICD, 0.8, true, 5],
      ],
      outcome: corrected(DEV),
      totalLatencyMs: 5.5,
    }),
    makeEvent({
      attempts: [{ layer_name: "keyword", success: false, latency_ms: 1, error: { code: "MOE_LAYER_FAILED", message: "boom" } }, ["semantic", DEV, 0.4, false, 4]],
      clarification: { reason: "ambiguous", candidates: [SEC, DEV] },
    }),
    makeEvent({ attempts: [["keyword", INV, 0.95, true]], outcome: { task_completed: true } }),
    makeEvent({
      attempts: [
        ["keyword", SEC, 0.88, true],
        { layer_name: "semantic", selected_master: SEC, confidence: 0.6, success: false, latency_ms: 3, shadow: true },
        { layer_name: "neural", selected_master: DEV, confidence: 0.7, success: false, latency_ms: 9, shadow: true },
      ],
      outcome: corrected(DEV),
    }),
  ];
}

function analyse(events: RoutingEvent[], options: Parameters<typeof createAnalyzer>[0] = {}): AnalysisReport {
  const analyzer = createAnalyzer({ now: Date.parse("2024-05-01T13:00:00Z"), ...options });
  for (const event of events) analyzer.add(event);
  return analyzer.result();
}

describe("createAnalyzer: decision level", () => {
  const report = analyse(scenario());

  it("counts decisions, outcomes and judged accuracy (an outcome without a verdict is not judged)", () => {
    expect(report.overall.decisions).toBe(5);
    expect(report.overall.withOutcome).toBe(4);
    expect(report.overall.outcomeCoverage).toBeCloseTo(0.8);
    expect(report.overall.accuracy).toEqual({ judged: 3, correct: 1, rate: 1 / 3 });
    expect(report.overall.completed).toBe(2);
    expect(report.overall.completionRate).toBeCloseTo(0.5);
    expect(report.overall.meanCompletionMinutes).toBe(30);
    expect(report.overall.meanQualityScore).toBe(0.9);
    expect(report.overall.latency.count).toBe(2);
  });

  it("builds the expert distribution, deciding layers and the corrections matrix", () => {
    expect(report.experts.map((e) => [e.expert, e.count])).toEqual([
      [SEC, 2],
      [CICD, 1],
      ["coordinator-master", 1],
      [INV, 1],
    ]);
    expect(report.experts[0]!.share).toBeCloseTo(0.4);
    expect(report.decidedBy).toEqual({ keyword: 3, clarification: 1, semantic: 1 });
    expect(report.corrections).toEqual({ total: 2, matrix: { [SEC]: { [DEV]: 1 }, [CICD]: { [DEV]: 1 } } });
  });

  it("reports the clarification rate, reasons and ambiguous pairs", () => {
    expect(report.clarification.count).toBe(1);
    expect(report.clarification.rate).toBeCloseTo(0.2);
    expect(report.clarification.reasons).toEqual({ ambiguous: 1 });
    expect(report.clarification.ambiguousPairs).toEqual([{ pair: `${DEV} | ${SEC}`, count: 1 }]);
  });

  it("returns plain JSON that survives a round trip", () => {
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});

describe("createAnalyzer: per layer", () => {
  const report = analyse(scenario());
  const byName = Object.fromEntries(report.layers.map((l) => [l.layer, l]));

  it("lists layers in cascade order", () => {
    expect(report.layers.map((l) => l.layer)).toEqual(["keyword", "semantic", "neural"]);
  });

  it("counts attempts, acceptance, escalation, errors and coverage (shadow attempts apart)", () => {
    const keyword = byName.keyword!;
    expect([keyword.attempts, keyword.accepted, keyword.escalated, keyword.errors]).toEqual([5, 3, 2, 1]);
    expect(keyword.acceptanceRate).toBeCloseTo(0.6);
    expect(keyword.escalationRate).toBeCloseTo(0.4);
    expect(keyword.errorRate).toBeCloseTo(0.2);
    expect(keyword.errorCodes).toEqual({ MOE_LAYER_FAILED: 1 });
    expect(keyword.coverage).toBeCloseTo(0.6);
    expect(keyword.experts).toEqual({ [SEC]: 2, [INV]: 1 });
    const semantic = byName.semantic!;
    expect([semantic.attempts, semantic.accepted, semantic.shadowAttempts]).toEqual([2, 1, 1]);
    expect(byName.neural!.attempts).toBe(0);
    expect(byName.neural!.shadowAttempts).toBe(1);
  });

  it("judges accepted decisions from outcomes and calibrates them", () => {
    const keyword = byName.keyword!;
    expect(keyword.accuracy).toEqual({ judged: 2, correct: 1, rate: 0.5 });
    expect(keyword.calibration.samples).toBe(2);
    // Bin 0.9-1.0: confidence 0.9, right; bin 0.8-0.9: confidence 0.88, wrong.
    expect(keyword.calibration.ece).toBeCloseTo(0.5 * 0.1 + 0.5 * 0.88, 10);
    expect(keyword.calibration.bins[9]).toMatchObject({ count: 1, accuracy: 1 });
    expect(keyword.calibration.bins[8]).toMatchObject({ count: 1, accuracy: 0 });
    expect(byName.semantic!.accuracy).toEqual({ judged: 1, correct: 0, rate: 0 });
    expect(keyword.meanConfidence).toBeCloseTo((0.9 + 0.5 + 0.95 + 0.88) / 4);
  });

  it("calibrates shadow attempts against the finally correct expert", () => {
    expect(byName.semantic!.shadowCalibration).toMatchObject({ samples: 1, ece: 0.6 });
    expect(byName.neural!.shadowCalibration!.samples).toBe(1);
    expect(byName.neural!.shadowCalibration!.ece).toBeCloseTo(0.3);
    expect(byName.keyword!.shadowCalibration).toBeNull();
  });

  it("summarises attempt latency per layer", () => {
    const latency = byName.keyword!.latency;
    expect(latency.count).toBe(5);
    expect(latency.min).toBe(0.1);
    expect(latency.max).toBe(1);
    expect(latency.p50).toBeCloseTo(1, 2);
    expect(byName.semantic!.latency.count).toBe(2);
  });
});

describe("createAnalyzer: window and layer filter", () => {
  it("keeps only events inside the window and counts the rest as skipped", () => {
    const events = [
      ...scenario(),
      makeEvent({ attempts: [["keyword", SEC, 0.9, true]], timestamp: "2024-05-01T10:00:00Z" }),
      { ...makeEvent({ attempts: [["keyword", SEC, 0.9, true]] }), timestamp: "not a date" },
    ];
    const report = analyse(events, { windowHours: 2 });
    expect(report.overall.decisions).toBe(5);
    expect(report.skipped).toBe(2);
    expect(report.window.since).toBe("2024-05-01T11:00:00.000Z");
    expect(analyse(events).overall.decisions).toBe(7);
  });

  it("restricts to decisions a layer attempted live or decided", () => {
    const report = analyse(scenario(), { layer: "semantic" });
    expect(report.overall.decisions).toBe(2);
    expect(report.layers.map((l) => l.layer)).toEqual(["semantic"]);
    expect(report.layers[0]!.shadowAttempts).toBe(0);
    expect(report.layerFilter).toBe("semantic");
    expect(analyse(scenario(), { layer: "clarification" }).overall.decisions).toBe(1);
  });

  it("skips records that are not decisions", () => {
    const analyzer = createAnalyzer();
    analyzer.add(null as never);
    analyzer.add({ record_type: "outcome" } as never);
    expect(analyzer.result().skipped).toBe(2);
    expect(analyzer.result().overall.accuracy.rate).toBeNull();
  });
});

describe("createAnalyzer: options", () => {
  it.each([
    [{ windowHours: 0 }, ErrorCode.INVALID_CONFIG, /windowHours must be a positive number/],
    [{ windowHours: Number.NaN }, ErrorCode.INVALID_CONFIG, /windowHours/],
    [{ layer: "" }, ErrorCode.INVALID_CONFIG, /layer must be a layer name/],
    [{ calibrationBins: 0 }, ErrorCode.INVALID_CONFIG, /calibrationBins/],
    [{ alpha: 1 }, ErrorCode.INVALID_CONFIG, /alpha/],
    [{ now: Number.NaN }, ErrorCode.INVALID_CONFIG, /now must be/],
    [{ windowHour: 2 }, ErrorCode.UNKNOWN_OPTION, /Unknown analyzer option "windowHour"/],
  ])("rejects %j with a coded error", (options, code, message) => {
    let error: unknown;
    try {
      createAnalyzer(options as never);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MoeRouterError);
    expect((error as MoeRouterError).code).toBe(code);
    expect((error as MoeRouterError).message).toMatch(message);
  });

  it("uses the requested number of calibration bins", () => {
    const report = analyse(scenario(), { calibrationBins: 4 });
    expect(report.layers[0]!.calibration.bins.map((b) => b.upper)).toEqual([0.25, 0.5, 0.75, 1]);
  });
});
