import type { Decision } from "@moe-router/core";
import type { RoutingEvent } from "@moe-router/tracker";
import { describe, expect, it } from "vitest";
import { eventForRow, outcomeJudgementRows } from "../../../tools/test-support/outcome-judgements.js";
import { judge, traceFromDecision, traceFromEvent, truthFromEvent } from "../src/traces.js";

const base: RoutingEvent = {
  schema_version: 1,
  record_type: "decision",
  event_id: "e1",
  timestamp: "2025-01-01T00:00:00.000Z",
  task_description: "Fix authentication bug in login system",
  selected_master: "development-master",
  routing_layer: "semantic",
  confidence: 0.8,
  layer_attempts: [
    { layer_name: "keyword", selected_master: "security-master", confidence: 0.5, threshold: 0.85, success: false, latency_ms: 0.2 },
    { layer_name: "semantic", selected_master: "development-master", confidence: 0.8, threshold: 0.7, success: true, latency_ms: 3 },
    { layer_name: "rag", success: false, error: { code: "MOE_LAYER_FAILED", message: "boom" }, shadow: true },
  ],
  shadow: true,
};

describe("traces from tracked events", () => {
  it("reads attempts, errors and the shadow flag", () => {
    const t = traceFromEvent(base);
    expect(t.shadow).toBe(true);
    expect(t.attempts.keyword).toEqual({ errored: false, expert: "security-master", confidence: 0.5, latencyMs: 0.2 });
    expect(t.attempts.rag).toEqual({ errored: true });
    expect(t.attempts.neural).toBeUndefined();
  });

  it("derives the truth from the outcome", () => {
    expect(truthFromEvent(base)).toEqual({});
    expect(truthFromEvent({ ...base, outcome: { task_completed: true, was_correct_master: true } })).toEqual({ expert: "development-master" });
    expect(truthFromEvent({ ...base, outcome: { task_completed: true, was_correct_master: false } })).toEqual({ wrongExpert: "development-master" });
    expect(truthFromEvent({ ...base, outcome: { task_completed: true, was_correct_master: false, user_corrected_to: "security-master" } })).toEqual({ expert: "security-master" });
    expect(truthFromEvent({ ...base, outcome: { task_completed: false, user_corrected_to: null } })).toEqual({});
  });

  it("judges an attempt right, wrong or unknown", () => {
    expect(judge("a", { expert: "a" })).toBe(true);
    expect(judge("b", { expert: "a" })).toBe(false);
    expect(judge("a", { wrongExpert: "a" })).toBe(false);
    expect(judge("b", { wrongExpert: "a" })).toBeUndefined();
    expect(judge("a", {})).toBeUndefined();
  });

  it("reads a core decision", () => {
    const decision = {
      eventId: "x",
      timestamp: "t",
      task: { description: "d" },
      expert: "a",
      layer: "l1",
      confidence: 0.9,
      thresholds: { l1: 0.5 },
      latencyMs: 1,
      shadow: true,
      attempts: [
        { layer: "l1", expert: "a", confidence: 0.9, threshold: 0.5, accepted: true, latencyMs: 1 },
        { layer: "l2", threshold: 0.5, accepted: false, latencyMs: 2, error: { code: "E", message: "m" }, shadow: true },
      ],
    } satisfies Decision;
    const t = traceFromDecision(decision, { expert: "a" });
    expect(t).toMatchObject({ shadow: true, truth: { expert: "a" }, attempts: { l1: { errored: false, confidence: 0.9 }, l2: { errored: true, latencyMs: 2 } } });
  });
});

describe("truth from outcomes: the tracker's rule (fixtures/rules/outcome-judgements.json)", () => {
  it.each(outcomeJudgementRows().map((row, index) => [row.case, row, index] as const))("%s", (_, row, index) => {
    const trace = traceFromEvent(eventForRow(row, index));
    expect(trace.truth.expert).toBe(row.rightExpert ?? undefined);
    // The routed expert is right, wrong, or unknown exactly as the table says, and so is the corrected one.
    expect(judge(row.selected, trace.truth)).toBe(row.correct ?? undefined);
    if (row.rightExpert !== null) expect(judge(row.rightExpert, trace.truth)).toBe(true);
    expect(judge("nobody-master", trace.truth)).toBe(row.rightExpert !== null ? false : undefined);
  });
});
