import type { Decision } from "@moe-router/core";
import { decisionToRecord, SCHEMA_VERSION, type DecisionRecord, type Outcome, type OutcomeRecord } from "../index.js";

let counter = 0;

/** A core Decision as a two-layer cascade would make it (keyword errs, semantic decides). */
export function sampleDecision(overrides: Partial<Decision> = {}): Decision {
  counter++;
  return {
    eventId: `evt-${process.pid}-${counter}`,
    timestamp: new Date().toISOString(),
    task: { id: `task-${counter}`, description: "Fix authentication bug in login system — ñandú 🚀", metadata: { priority: "high", source: "test" } },
    expert: "security-master",
    layer: "semantic",
    confidence: 0.82,
    probabilities: { "security-master": 0.82, "development-master": 0.18 },
    attempts: [
      { layer: "keyword", threshold: 0.85, accepted: false, latencyMs: 0.0421337, error: { code: "MOE_LAYER_FAILED", message: "rules file missing" } },
      {
        layer: "semantic",
        expert: "security-master",
        confidence: 0.82,
        probabilities: { "security-master": 0.82, "development-master": 0.18 },
        threshold: 0.7,
        accepted: true,
        latencyMs: 8.25,
        details: { neighbours: ["Fix login bug"], similarity: 0.81 },
      },
    ],
    experiment: { name: "thresholds-v2", variant: "candidate" },
    thresholds: { keyword: 0.85, semantic: 0.7 },
    latencyMs: 8.4,
    ...overrides,
  };
}

/** A stored decision record; `at` sets its timestamp. */
export function decisionRecord(at: Date = new Date(), overrides: Partial<Decision> = {}): DecisionRecord {
  return decisionToRecord(sampleDecision({ timestamp: at.toISOString(), ...overrides }));
}

/** An outcome record for an event. */
export function outcomeRecord(eventId: string, at: Date = new Date(), outcome: Partial<Outcome> = {}): OutcomeRecord {
  return {
    schema_version: SCHEMA_VERSION,
    record_type: "outcome",
    event_id: eventId,
    timestamp: at.toISOString(),
    outcome: { task_completed: true, task_status: "completed", was_correct_master: true, completion_time_minutes: 12, quality_score: 0.9, ...outcome },
  };
}

/** `days` days before now. */
export function daysAgo(days: number): Date {
  return new Date(Date.now() - days * 86_400_000);
}
