import type { Decision, LayerAttempt } from "@moe-router/core";
import { SCHEMA_VERSION, type DecisionRecord, type LayerAttemptRecord } from "./records.js";

/** Rounds a latency to microseconds: the log does not need 17 significant digits. */
function roundMs(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function attemptToRecord(attempt: LayerAttempt): LayerAttemptRecord {
  const record: LayerAttemptRecord = { layer_name: attempt.layer, success: attempt.accepted };
  if (attempt.expert !== undefined) record.selected_master = attempt.expert;
  if (attempt.confidence !== undefined) record.confidence = attempt.confidence;
  record.threshold = attempt.threshold;
  record.latency_ms = roundMs(attempt.latencyMs);
  if (attempt.error) record.error = { code: attempt.error.code, message: attempt.error.message };
  if (attempt.details) record.metadata = attempt.details;
  if (attempt.probabilities) record.all_probabilities = attempt.probabilities;
  if (attempt.shadow) record.shadow = true;
  return record;
}

/**
 * Converts core's Decision to the stored record (prototype field names). The first four
 * keys are always `schema_version, record_type, event_id, timestamp`: the JSONL reader
 * relies on that order to skip lines outside a time window without parsing them.
 */
export function decisionToRecord(decision: Decision): DecisionRecord {
  const task = decision.task;
  const record: DecisionRecord = {
    schema_version: SCHEMA_VERSION,
    record_type: "decision",
    event_id: decision.eventId,
    timestamp: decision.timestamp,
    task_description: task.description,
    selected_master: decision.expert,
    routing_layer: decision.layer,
    confidence: decision.confidence,
    layer_attempts: decision.attempts.map(attemptToRecord),
  };
  if (task.id !== undefined) record.task_id = task.id;
  // Copied: the record is serialised after route() returns, when the caller may reuse its metadata object.
  if (task.metadata !== undefined) record.task_metadata = { ...task.metadata };
  if (decision.probabilities) record.all_probabilities = decision.probabilities;
  record.thresholds = decision.thresholds;
  if (decision.experiment) record.ab_test = { experiment: decision.experiment.name, variant: decision.experiment.variant };
  if (decision.shadow) record.shadow = true;
  if (decision.clarification) {
    const { reason, candidates, question } = decision.clarification;
    record.clarification = { reason, ...(candidates ? { candidates: [...candidates] } : {}), ...(question ? { question } : {}) };
  }
  record.total_latency_ms = roundMs(decision.latencyMs);
  return record;
}
