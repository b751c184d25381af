import type { Decision } from "@moe-router/core";
import { describe, expect, it } from "vitest";
import { decisionOutput } from "../src/output.js";

const base: Decision = {
  eventId: "evt-1",
  timestamp: "2026-12-01T12:00:00.000Z",
  task: { description: "Deploy API to production" },
  expert: "cicd-master",
  layer: "keyword",
  confidence: 0.9,
  thresholds: { keyword: 0.85 },
  latencyMs: 0.12345,
  attempts: [{ layer: "keyword", expert: "cicd-master", confidence: 0.9, threshold: 0.85, accepted: true, latencyMs: 0.0104, details: { rule_used: "deploy", matched_keywords: ["deploy"] } }],
};

describe("decisionOutput", () => {
  it("prints the fields in the order route-task.sh readers expect, leaving out absent ones", () => {
    expect(JSON.stringify(decisionOutput(base, { thresholdSources: { keyword: "config" } }))).toBe(
      '{"master":"cicd-master","layer":"keyword","confidence":0.9,"event_id":"evt-1","attempts":[{"layer":"keyword","master":"cicd-master","confidence":0.9,"threshold":0.85,"threshold_source":"config","accepted":true,"latency_ms":0.01,"details":{"rule_used":"deploy","matched_keywords":["deploy"]}}],"latency_ms":0.123}',
    );
  });

  it("adds task id, clarification, experiment, errors and shadow attempts in their places", () => {
    const decision: Decision = {
      ...base,
      task: { id: "T-7", description: "what now" },
      expert: "coordinator-master",
      layer: "clarification",
      confidence: 1,
      clarification: { reason: "all_layers_failed" },
      experiment: { name: "exp", variant: "candidate" },
      attempts: [
        { layer: "neural", threshold: 0.7, accepted: false, latencyMs: 2.00049, error: { code: "MOE_LAYER_TIMEOUT", message: "slow" } },
        { layer: "keyword", expert: "cicd-master", confidence: 0.2, threshold: 0.85, accepted: false, latencyMs: 0.5, shadow: true },
      ],
    };
    const output = decisionOutput(decision, { thresholdSources: { neural: "thresholds-file", keyword: "config" }, experimentLayers: new Set(["neural"]) });
    expect(Object.keys(output)).toEqual(["master", "layer", "confidence", "event_id", "task_id", "clarification", "ab_test", "attempts", "latency_ms"]);
    expect(output.attempts).toEqual([
      { layer: "neural", threshold: 0.7, threshold_source: "experiment", accepted: false, latency_ms: 2, error: { code: "MOE_LAYER_TIMEOUT", message: "slow" } },
      { layer: "keyword", master: "cicd-master", confidence: 0.2, threshold: 0.85, threshold_source: "config", accepted: false, latency_ms: 0.5, shadow: true },
    ]);
    expect(Object.keys((output.attempts as object[])[1]!)).toEqual(["layer", "master", "confidence", "threshold", "threshold_source", "accepted", "latency_ms", "shadow"]);
  });

  it("copies awkward details so any serialiser can print them", () => {
    const circular: Record<string, unknown> = { n: 10n };
    circular.self = circular;
    const output = decisionOutput({ ...base, attempts: [{ ...base.attempts[0]!, details: circular }] });
    expect(JSON.parse(JSON.stringify(output)).attempts[0].details).toEqual({ n: "10", self: "[Circular]" });
  });
});
