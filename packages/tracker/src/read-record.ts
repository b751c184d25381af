import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { checkDecisionFields, checkOutcomeFields, type FieldIssues } from "./internal/check-fields.js";
import type { LayerAttemptRecord, Outcome, OutcomeRecord, RoutingEvent } from "./records.js";

/** A record as read: a decision (possibly with a prototype's inline outcome) or an outcome. */
export type ReadRecord = RoutingEvent | OutcomeRecord;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Prototype outcomes may lack `task_completed` but carry `task_status`. */
function normaliseOutcome(raw: Json): Outcome {
  const completed = typeof raw.task_completed === "boolean" ? raw.task_completed : raw.task_status === "completed";
  return { ...raw, task_completed: completed };
}

function normaliseAttempt(raw: unknown): LayerAttemptRecord | undefined {
  if (!isObject(raw)) return undefined;
  const name = typeof raw.layer_name === "string" ? raw.layer_name : typeof raw.layer === "string" ? raw.layer : undefined;
  if (name === undefined) return undefined;
  return { ...raw, layer_name: name, success: raw.success === true };
}

/**
 * Turns a parsed line into a record, or undefined when it is not one. Lines written by
 * this package pass through as they are; prototype lines (no `record_type`, outcome
 * inline, `routing_method` instead of `routing_layer`) are normalised to the same shape
 * with `schema_version: 0`. Unknown fields are kept.
 *
 * Every field a reader uses is checked: a record whose structure is unusable (a layer
 * attempt that is not an object with a `layer_name`, no `selected_master`) is not a record;
 * a field out of range or of the wrong type (quality 5, negative or 1e308 minutes, a
 * confidence of "high") is removed, the record kept, and counted in `issues.invalidFields`.
 */
export function normaliseRecord(value: unknown, issues?: FieldIssues): ReadRecord | undefined {
  if (!isObject(value) || typeof value.event_id !== "string" || typeof value.timestamp !== "string") return undefined;
  if (value.record_type === "outcome") {
    if (!isObject(value.outcome)) return undefined;
    const outcome = normaliseOutcome(value.outcome);
    const removed = checkOutcomeFields(outcome);
    if (removed > 0 && issues) issues.invalidFields += removed;
    return { ...value, outcome } as OutcomeRecord;
  }
  let event: Json;
  if (value.record_type === "decision") {
    if (typeof value.selected_master !== "string") return undefined;
    event = value;
  } else {
    if (value.record_type !== undefined || typeof value.selected_master !== "string") return undefined;
    // A prototype line: one object per decision, outcome written into it later.
    const attempts = Array.isArray(value.layer_attempts) ? value.layer_attempts.map(normaliseAttempt).filter((a) => a !== undefined) : [];
    event = {
      ...value,
      schema_version: typeof value.schema_version === "number" ? value.schema_version : 0,
      record_type: "decision",
      task_description: typeof value.task_description === "string" ? value.task_description : "",
      routing_layer: typeof value.routing_layer === "string" ? value.routing_layer : typeof value.routing_method === "string" ? value.routing_method : "unknown",
      confidence: typeof value.confidence === "number" ? value.confidence : 0,
      layer_attempts: attempts,
    };
    if (isObject(value.outcome)) event.outcome = normaliseOutcome(value.outcome);
    else delete event.outcome;
  }
  // Readers derive the count of an event's outcome records from the log; a line never sets it.
  if ("outcome_records" in event) delete event.outcome_records;
  const removed = checkDecisionFields(event);
  if (removed < 0) return undefined;
  if (removed > 0 && issues) issues.invalidFields += removed;
  return event as unknown as RoutingEvent;
}

/**
 * Parses one line of the event log (this package's format or the Python prototype's).
 * Returns undefined for a blank line.
 * @throws MoeRouterError CORRUPT_FILE when the line is not JSON or not a routing record.
 */
export function readRecord(line: string): ReadRecord | undefined {
  if (line.trim() === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new MoeRouterError(ErrorCode.CORRUPT_FILE, `Not a JSON line (torn by a crash?): ${line.slice(0, 80)}. Remove the line or leave it: readers skip and count such lines.`, { cause: error });
  }
  const record = normaliseRecord(value);
  if (record === undefined) {
    throw new MoeRouterError(ErrorCode.CORRUPT_FILE, `Not a routing record (needs event_id, timestamp and either selected_master or an outcome): ${line.slice(0, 80)}.`);
  }
  return record;
}
