import type { Outcome } from "../records.js";

/** Fields a reader found out of range or of the wrong type (removed, the record kept). */
export interface FieldIssues {
  invalidFields: number;
}

type Json = Record<string, unknown>;

/** Longest task duration a reader accepts: ten years of minutes; more is a unit mistake or garbage. */
export const MAX_MINUTES = 10 * 365 * 24 * 60;
/** Longest latency a reader accepts: one day in milliseconds. */
export const MAX_LATENCY_MS = 86_400_000;

const isObject = (value: unknown): value is Json => value !== null && typeof value === "object" && !Array.isArray(value);
const inRange = (value: unknown, max: number): boolean => typeof value === "number" && value >= 0 && value <= max;

/**
 * Removes `key` when it holds something other than what `valid` accepts; absent and null
 * values are left alone (null means "not reported" in the prototype's logs). Returns 1 when
 * the field was removed.
 */
function drop(object: Json, key: string, valid: (value: unknown) => boolean): number {
  const value = object[key];
  if (value === undefined || value === null || valid(value)) return 0;
  delete object[key];
  return 1;
}

const isString = (value: unknown): boolean => typeof value === "string";
const isBoolean = (value: unknown): boolean => typeof value === "boolean";
const isScore = (value: unknown): boolean => inRange(value, 1);
const isMinutes = (value: unknown): boolean => inRange(value, MAX_MINUTES);
const isLatency = (value: unknown): boolean => inRange(value, MAX_LATENCY_MS);

/** Checks the outcome fields the readers use (in place); returns the number removed. */
export function checkOutcomeFields(outcome: Outcome): number {
  const raw = outcome as unknown as Json;
  return drop(raw, "completion_time_minutes", isMinutes) + drop(raw, "quality_score", isScore) + drop(raw, "was_correct_master", isBoolean) + drop(raw, "user_corrected_to", isString);
}

/**
 * Checks one layer attempt in place. Returns the number of fields removed, or -1 when the
 * attempt is unusable (not an object, no layer name): the whole record is then invalid.
 */
export function checkAttemptFields(attempt: unknown): number {
  if (!isObject(attempt) || typeof attempt.layer_name !== "string") return -1;
  if (attempt.selected_master === null) delete attempt.selected_master;
  if (attempt.error === null) delete attempt.error;
  let removed = drop(attempt, "selected_master", isString) + drop(attempt, "confidence", isScore) + drop(attempt, "latency_ms", isLatency) + drop(attempt, "shadow", isBoolean);
  if (attempt.success !== true && attempt.success !== false) {
    if (attempt.success !== undefined) removed++;
    attempt.success = false;
  }
  const error = attempt.error;
  if (error !== undefined && (!isObject(error) || typeof error.code !== "string")) {
    // Something went wrong in that attempt, but what it says cannot be read.
    attempt.error = { code: "unknown", message: isObject(error) && typeof error.message === "string" ? error.message : "" };
    removed++;
  }
  return removed;
}

/**
 * Checks the fields of a decision (this package's or a normalised prototype line) that the
 * readers use, in place. Returns the number of fields removed, or -1 when the decision is
 * unusable (a layer attempt that is not an object with a layer name, no routing layer).
 */
export function checkDecisionFields(decision: Json): number {
  if (typeof decision.routing_layer !== "string" || !Array.isArray(decision.layer_attempts)) return -1;
  let removed = 0;
  for (const attempt of decision.layer_attempts as unknown[]) {
    const count = checkAttemptFields(attempt);
    if (count < 0) return -1;
    removed += count;
  }
  if (typeof decision.task_description !== "string") {
    if (decision.task_description !== undefined) removed++;
    decision.task_description = "";
  }
  if (!(typeof decision.confidence === "number" && isScore(decision.confidence))) {
    if (decision.confidence !== undefined) removed++;
    decision.confidence = 0;
  }
  removed += drop(decision, "total_latency_ms", isLatency) + drop(decision, "shadow", isBoolean) + drop(decision, "synthetic", isBoolean);
  const ab = decision.ab_test;
  if (ab !== undefined && !(isObject(ab) && typeof ab.experiment === "string" && typeof ab.variant === "string")) {
    delete decision.ab_test;
    removed++;
  }
  const clarification = decision.clarification;
  if (clarification !== undefined) {
    if (!isObject(clarification)) {
      delete decision.clarification;
      removed++;
    } else {
      removed += drop(clarification, "reason", isString);
      removed += drop(clarification, "candidates", (value) => Array.isArray(value) && value.every(isString));
    }
  }
  const outcome = decision.outcome;
  if (outcome !== undefined) {
    if (!isObject(outcome)) {
      delete decision.outcome;
      removed++;
    } else removed += checkOutcomeFields(outcome as unknown as Outcome);
  }
  return removed;
}
