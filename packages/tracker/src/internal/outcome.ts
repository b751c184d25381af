import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { SCHEMA_VERSION, type Outcome, type OutcomeRecord } from "../records.js";
import type { OutcomeInput } from "../types.js";
import { checkKnownKeys } from "./validate.js";

const INPUT_KEYS = ["completed", "correct", "correctedTo", "minutes", "quality", "timestamp"];

function invalid(message: string): MoeRouterError {
  return new MoeRouterError(ErrorCode.INVALID_CONFIG, message);
}

/**
 * Validates an outcome report and builds its record (prototype field names).
 * `correctedTo` implies the routed expert was wrong; saying both is a contradiction.
 */
export function buildOutcomeRecord(eventId: string, input: OutcomeInput, experts?: readonly string[]): OutcomeRecord {
  if (typeof eventId !== "string" || eventId.trim() === "") throw invalid("recordOutcome needs the event id of the decision (event_id printed by `moe-router route`).");
  if (!input || typeof input !== "object") throw invalid("recordOutcome needs an outcome such as { completed: true, correct: true }.");
  checkKnownKeys(input, INPUT_KEYS, "outcome");
  if (typeof input.completed !== "boolean") throw invalid("outcome.completed must be true (task completed) or false (task failed).");
  if (input.correct !== undefined && typeof input.correct !== "boolean") throw invalid("outcome.correct must be true or false when given.");
  const correctedTo = input.correctedTo;
  if (correctedTo !== undefined) {
    if (typeof correctedTo !== "string" || correctedTo.trim() === "") throw invalid("outcome.correctedTo must name the expert the task should have gone to.");
    if (input.correct === true) throw invalid(`The outcome says the routing was correct but also corrects it to "${correctedTo}"; give one of correct or correctedTo.`);
    if (experts && experts.length > 0 && !experts.includes(correctedTo)) {
      throw invalid(`Unknown expert "${correctedTo}" in correctedTo. Known experts: ${experts.join(", ")}.`);
    }
  }
  if (input.minutes !== undefined && !(typeof input.minutes === "number" && Number.isFinite(input.minutes) && input.minutes >= 0)) {
    throw invalid(`outcome.minutes must be a number of minutes >= 0; got ${String(input.minutes)}.`);
  }
  if (input.quality !== undefined && !(typeof input.quality === "number" && input.quality >= 0 && input.quality <= 1)) {
    throw invalid(`outcome.quality must be a score in [0,1]; got ${String(input.quality)}.`);
  }
  if (input.timestamp !== undefined && !(input.timestamp instanceof Date && Number.isFinite(input.timestamp.getTime()))) {
    throw invalid("outcome.timestamp must be a valid Date when given.");
  }
  const outcome: Outcome = { task_completed: input.completed, task_status: input.completed ? "completed" : "failed" };
  if (correctedTo !== undefined) {
    outcome.was_correct_master = false;
    outcome.user_corrected_to = correctedTo;
  } else if (input.correct !== undefined) {
    outcome.was_correct_master = input.correct;
  }
  if (input.minutes !== undefined) outcome.completion_time_minutes = input.minutes;
  if (input.quality !== undefined) outcome.quality_score = input.quality;
  return {
    schema_version: SCHEMA_VERSION,
    record_type: "outcome",
    event_id: eventId,
    timestamp: (input.timestamp ?? new Date()).toISOString(),
    outcome,
  };
}
