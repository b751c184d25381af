import { isMoeRouterError } from "@moe-router/core";
import { describe, expect, it } from "vitest";
import { createTimeSeriesAccumulator, timeSeriesEvents, type RoutingEvent } from "../src/index.js";
import { corrected, makeEvent, RIGHT_OUTCOME } from "./analysis-fixtures.js";

const HOUR = 3_600_000;
const BASE = Date.parse("2026-11-20T00:00:00.000Z");
const at = (ms: number) => new Date(BASE + ms).toISOString();

function keyword(time: number, outcome?: RoutingEvent["outcome"], latency = 1): RoutingEvent {
  return makeEvent({ timestamp: at(time), attempts: [["keyword", "security-master", 0.95, true, latency]], ...(outcome ? { outcome } : {}), totalLatencyMs: latency + 0.5 });
}

function clarified(time: number): RoutingEvent {
  return makeEvent({
    timestamp: at(time),
    attempts: [["keyword", "cicd-master", 0.2, false, 1], { layer_name: "semantic", success: false, latency_ms: 8, error: { code: "MOE_LAYER_TIMEOUT", message: "slow" } }],
    clarification: { reason: "low_confidence_cascade" },
  });
}

describe("time series accumulator", () => {
  it("counts each bucket's decisions, accuracy, clarifications, errors and experts", async () => {
    const events = [
      keyword(10 * 60_000, RIGHT_OUTCOME),
      keyword(20 * 60_000, corrected("cicd-master")),
      keyword(30 * 60_000),
      clarified(40 * 60_000),
      // Third hour: one right decision. The second hour stays empty.
      keyword(2 * HOUR + 5 * 60_000, RIGHT_OUTCOME),
    ];
    const series = await timeSeriesEvents(events, { by: "hour", since: BASE, until: BASE + 3 * HOUR });
    expect(series.by).toBe("hour");
    expect(series.buckets.map((b) => b.start)).toEqual([at(0), at(HOUR), at(2 * HOUR)]);
    const [first, empty, third] = series.buckets;
    expect(first).toMatchObject({
      decisions: 4,
      withOutcome: 2,
      outcomeCoverage: 0.5,
      accuracy: { judged: 2, correct: 1, rate: 0.5 },
      clarifications: 1,
      clarificationRate: 0.25,
      attempts: 5,
      errors: 1,
      errorRate: 0.2,
      experts: { "security-master": 3, "coordinator-master": 1 },
    });
    expect(first!.layers.keyword).toMatchObject({ attempts: 4, accepted: 3, acceptanceRate: 0.75, coverage: 0.75, errors: 0, accuracy: { judged: 2, correct: 1 } });
    expect(first!.layers.semantic).toMatchObject({ attempts: 1, accepted: 0, errors: 1, errorRate: 1, coverage: 0 });
    expect(empty).toMatchObject({ decisions: 0, outcomeCoverage: null, accuracy: { rate: null }, errorRate: null, latencyMs: { count: 0, p95: null } });
    expect(empty!.layers.keyword!.attempts).toBe(0);
    expect(third).toMatchObject({ decisions: 1, accuracy: { judged: 1, correct: 1, rate: 1 } });
    expect(series.layers).toEqual(["keyword", "semantic"]);
    expect(series.experts).toEqual(["security-master", "coordinator-master"]);
  });

  it("leaves shadow attempts out of acceptance, errors and latency", async () => {
    const event = makeEvent({
      timestamp: at(0),
      attempts: [
        ["keyword", "security-master", 0.95, true, 1],
        { layer_name: "rag", selected_master: "cicd-master", confidence: 0.9, success: false, latency_ms: 500, shadow: true, error: { code: "X", message: "" } },
      ],
      outcome: RIGHT_OUTCOME,
    });
    const [bucket] = (await timeSeriesEvents([event], { by: "hour", since: BASE, until: BASE + HOUR })).buckets;
    expect(bucket!.attempts).toBe(1);
    expect(bucket!.errors).toBe(0);
    expect(bucket!.layers.rag).toMatchObject({ attempts: 0, errors: 0, latencyMs: { count: 0 } });
  });

  it("gives the p95 with an interval that contains it, within 0.5 % of the exact order statistic", async () => {
    const latencies = Array.from({ length: 400 }, (_, i) => 1 + i * 0.25);
    const events = latencies.map((latency, i) => keyword(i * 1000, undefined, latency));
    const [bucket] = (await timeSeriesEvents(events, { by: "hour", since: BASE, until: BASE + HOUR })).buckets;
    const sorted = [...latencies].sort((a, b) => a - b);
    const exact = sorted[Math.ceil(0.95 * sorted.length) - 1]!;
    const latency = bucket!.layers.keyword!.latencyMs;
    expect(latency.count).toBe(400);
    expect(Math.abs(latency.p95! - exact) / exact).toBeLessThan(0.005);
    expect(latency.p95Low!).toBeLessThan(latency.p95!);
    expect(latency.p95High!).toBeGreaterThan(latency.p95!);
    // Ranks floor(380 - 8.54) = 371 and ceil(380 + 8.54) = 389 (1-based).
    expect(Math.abs(latency.p95Low! - sorted[370]!) / sorted[370]!).toBeLessThan(0.005);
    expect(Math.abs(latency.p95High! - sorted[388]!) / sorted[388]!).toBeLessThan(0.005);
  });

  it("keeps only the range [since, until) and counts undated events as skipped", async () => {
    const accumulator = createTimeSeriesAccumulator({ by: "minute", since: BASE, until: BASE + 5 * 60_000 });
    accumulator.add(keyword(-1));
    accumulator.add(keyword(0));
    accumulator.add(keyword(5 * 60_000));
    accumulator.add({ ...keyword(60_000), timestamp: "yesterday" });
    const series = accumulator.result();
    expect(series.buckets).toHaveLength(5);
    expect(series.buckets.reduce((sum, b) => sum + b.decisions, 0)).toBe(1);
    expect(series.skipped).toBe(1);
  });

  it("picks the unit from the window: minute for hours, hour for days, day beyond a month", async () => {
    const now = BASE + 100 * 24 * HOUR + 30_000; // mid-minute: the first and last buckets are partial
    expect((await timeSeriesEvents([], { windowHours: 3, now })).by).toBe("minute");
    expect((await timeSeriesEvents([], { windowHours: 3, now })).buckets).toHaveLength(181);
    expect((await timeSeriesEvents([], { windowHours: 48, now })).by).toBe("hour");
    expect((await timeSeriesEvents([], { windowHours: 24 * 60, now })).by).toBe("day");
  });

  it("without a range, coarsens from minutes to hours to days as the events' span grows", async () => {
    const short = await timeSeriesEvents([keyword(0), keyword(2 * HOUR)]);
    expect(short.by).toBe("minute");
    expect(short.buckets).toHaveLength(121);
    const days = await timeSeriesEvents([keyword(0), keyword(30 * 60_000), keyword(3 * 24 * HOUR)]);
    expect(days.by).toBe("hour");
    expect(days.buckets[0]!.decisions).toBe(2);
    expect(days.buckets).toHaveLength(73);
    const months = await timeSeriesEvents([keyword(0), keyword(90 * 24 * HOUR)]);
    expect(months.by).toBe("day");
    expect(months.buckets.reduce((sum, b) => sum + b.decisions, 0)).toBe(2);
  });

  it("buckets of a width in milliseconds start at since", async () => {
    const since = BASE + 17 * 60_000;
    const series = await timeSeriesEvents([keyword(17 * 60_000), keyword(17 * 60_000 + HOUR - 1), keyword(17 * 60_000 + HOUR)], { by: HOUR, since, until: since + 2 * HOUR });
    expect(series.by).toBe("custom");
    expect(series.buckets.map((b) => [b.start, b.decisions])).toEqual([
      [new Date(since).toISOString(), 2],
      [new Date(since + HOUR).toISOString(), 1],
    ]);
  });

  it("restricts the per-layer series to the layer filter, not the decision-level ones", async () => {
    const series = await timeSeriesEvents([keyword(0), clarified(1000)], { by: "hour", since: BASE, until: BASE + HOUR, layer: "semantic" });
    expect(series.layers).toEqual(["semantic"]);
    expect(series.buckets[0]!.decisions).toBe(2);
    expect(Object.keys(series.buckets[0]!.layers)).toEqual(["semantic"]);
  });

  it("refuses bad options and ranges needing too many buckets with coded errors", () => {
    const code = (options: object) => {
      try {
        createTimeSeriesAccumulator(options);
        return "none";
      } catch (error) {
        return isMoeRouterError(error) ? error.code : "uncoded";
      }
    };
    expect(code({ by: "week" })).toBe("MOE_INVALID_CONFIG");
    expect(code({ by: 60_000 })).toBe("MOE_INVALID_CONFIG");
    expect(code({ windwoHours: 3 })).toBe("MOE_UNKNOWN_OPTION");
    expect(code({ windowHours: -1 })).toBe("MOE_INVALID_CONFIG");
    expect(code({ since: BASE, until: BASE })).toBe("MOE_INVALID_CONFIG");
    expect(code({ by: "minute", windowHours: 24 * 30 })).toBe("MOE_INVALID_CONFIG");
    const open = createTimeSeriesAccumulator({ by: "minute", maxBuckets: 10 });
    open.add(keyword(0));
    expect(() => open.add(keyword(HOUR))).toThrow(/coarser --by/);
  });
});
