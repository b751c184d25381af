import { describe, expect, it } from "vitest";
import { generateSampleRecords, type DecisionRecord, type LogRecord, type OutcomeRecord } from "../src/index.js";

const end = new Date("2026-11-20T00:00:00Z");
const records = [...generateSampleRecords({ count: 6_000, seed: 42, days: 14, end })];
const decisions = records.filter((r): r is DecisionRecord => r.record_type === "decision");
const outcomes = new Map(records.filter((r): r is OutcomeRecord => r.record_type === "outcome").map((r) => [r.event_id, r]));

function accuracy(items: DecisionRecord[]): number {
  const judged = items.filter((d) => outcomes.get(d.event_id)?.outcome.was_correct_master !== undefined);
  return judged.filter((d) => outcomes.get(d.event_id)!.outcome.was_correct_master).length / judged.length;
}

describe("generateSampleRecords", () => {
  it("is deterministic for a seed and differs across seeds", () => {
    const again = [...generateSampleRecords({ count: 6_000, seed: 42, days: 14, end })];
    expect(again).toEqual(records);
    const other = [...generateSampleRecords({ count: 50, seed: 43, days: 14, end })];
    expect(other[0]).not.toEqual(records[0]);
  });

  it("yields the requested decisions in time order, outcomes after their decision", () => {
    expect(decisions).toHaveLength(6_000);
    const times = records.map((r) => Date.parse(r.timestamp));
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
    expect(times[0]!).toBeGreaterThanOrEqual(end.getTime() - 14 * 86_400_000);
    expect(times.at(-1)!).toBeLessThanOrEqual(end.getTime());
    const decidedAt = new Map(decisions.map((d) => [d.event_id, Date.parse(d.timestamp)]));
    for (const outcome of outcomes.values()) expect(Date.parse(outcome.timestamp)).toBeGreaterThan(decidedAt.get(outcome.event_id)!);
    expect(new Set(decisions.map((d) => d.event_id)).size).toBe(6_000);
  });

  it("covers the four experts, the fallback, every layer, the A/B arms and shadow runs", () => {
    const count = (key: (d: DecisionRecord) => string) => decisions.reduce<Record<string, number>>((acc, d) => ((acc[key(d)] = (acc[key(d)] ?? 0) + 1), acc), {});
    expect(Object.keys(count((d) => d.selected_master)).sort()).toEqual(["cicd-master", "coordinator-master", "development-master", "inventory-master", "security-master"]);
    expect(Object.keys(count((d) => d.routing_layer)).sort()).toEqual(["clarification", "keyword", "neural", "rag", "semantic"]);
    const candidates = decisions.filter((d) => d.ab_test?.variant === "candidate").length / decisions.length;
    expect(candidates).toBeGreaterThan(0.15);
    expect(candidates).toBeLessThan(0.25);
    expect(decisions.some((d) => d.shadow && d.layer_attempts.some((a) => a.shadow))).toBe(true);
    expect(outcomes.size / decisions.length).toBeGreaterThan(0.6);
    expect(outcomes.size / decisions.length).toBeLessThan(0.85);
  });

  it("makes correctness follow confidence (real-looking calibration) and corrections name another expert", () => {
    const routed = decisions.filter((d) => d.routing_layer !== "clarification");
    const high = routed.filter((d) => d.confidence >= 0.93);
    const low = routed.filter((d) => d.confidence < 0.8);
    expect(accuracy(high)).toBeGreaterThan(accuracy(low) + 0.1);
    // RAG and neural are overconfident: accuracy well below their stated confidence.
    const neural = routed.filter((d) => d.routing_layer === "neural");
    const meanConfidence = neural.reduce((sum, d) => sum + d.confidence, 0) / neural.length;
    expect(accuracy(neural)).toBeLessThan(meanConfidence - 0.05);
    for (const decision of decisions) {
      const corrected = outcomes.get(decision.event_id)?.outcome.user_corrected_to;
      if (corrected) expect(corrected).not.toBe(decision.selected_master);
    }
    // Wrong routes take longer.
    const minutes = (right: boolean) => {
      const values = [...outcomes.values()].filter((o) => o.outcome.was_correct_master === right).map((o) => o.outcome.completion_time_minutes!);
      return values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    };
    expect(minutes(false)).toBeGreaterThan(minutes(true));
  });

  it("rejects bad options with coded errors", () => {
    const run = (options: object) => () => [...generateSampleRecords(options as never)];
    expect(run({ count: -1 })).toThrow(expect.objectContaining({ code: "MOE_INVALID_CONFIG" }));
    expect(run({ count: 5, days: 0 })).toThrow(expect.objectContaining({ code: "MOE_INVALID_CONFIG" }));
    expect(run({ count: 5, outcomeShare: 2 })).toThrow(expect.objectContaining({ code: "MOE_INVALID_CONFIG" }));
    expect(run({ count: 5, sead: 1 })).toThrow(expect.objectContaining({ code: "MOE_UNKNOWN_OPTION" }));
    const none: LogRecord[] = [...generateSampleRecords({ count: 0 })];
    expect(none).toEqual([]);
  });
});
