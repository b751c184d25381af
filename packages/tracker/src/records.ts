/**
 * The event log's record shapes (schema version 1). Field names keep the Python
 * prototype's snake_case so its data stays readable. Published as JSON Schema in
 * schema/routing-event.schema.json.
 */

/**
 * Current schema version written by this package. Version 2 added `synthetic`; readers of
 * version 1 read version 2 lines unchanged (unknown fields are kept).
 */
export const SCHEMA_VERSION = 2;

/** One layer attempt as stored. */
export interface LayerAttemptRecord {
  layer_name: string;
  /** Expert the layer named; absent when it errored. */
  selected_master?: string;
  confidence?: number;
  threshold?: number;
  /** True when this attempt decided the route (prototype name). */
  success: boolean;
  latency_ms?: number;
  error?: { code: string; message: string };
  /** Layer details: rule used, matched keywords, neighbours, ... */
  metadata?: Record<string, unknown>;
  all_probabilities?: Record<string, number>;
  /** True when the layer ran only for shadow logging. */
  shadow?: boolean;
}

/** A routing decision as stored (`record_type: "decision"`). */
export interface DecisionRecord {
  schema_version: number;
  record_type: "decision";
  event_id: string;
  /** ISO-8601 time of routing. */
  timestamp: string;
  /**
   * True for generated sample data (`generateSampleRecords`, `moe-router generate`), which
   * analysis, tuning and training leave out unless asked to include it. Absent on real decisions.
   */
  synthetic?: boolean;
  task_id?: string;
  task_description: string;
  task_metadata?: Record<string, unknown>;
  selected_master: string;
  /** Deciding layer, or "clarification". */
  routing_layer: string;
  confidence: number;
  all_probabilities?: Record<string, number>;
  layer_attempts: LayerAttemptRecord[];
  /** Thresholds in force, by layer. */
  thresholds?: Record<string, number>;
  ab_test?: { experiment: string; variant: "control" | "candidate" };
  shadow?: boolean;
  clarification?: { reason: string; candidates?: string[]; question?: string };
  total_latency_ms?: number;
}

/** What happened to a routed task. */
export interface Outcome {
  task_completed: boolean;
  task_status?: "completed" | "failed" | string;
  was_correct_master?: boolean;
  user_corrected_to?: string | null;
  completion_time_minutes?: number | null;
  quality_score?: number | null;
}

/** An outcome as stored (`record_type: "outcome"`), joined to its decision by event_id. */
export interface OutcomeRecord {
  schema_version: number;
  record_type: "outcome";
  event_id: string;
  timestamp: string;
  /** True for a generated sample outcome (see {@link DecisionRecord.synthetic}). */
  synthetic?: boolean;
  outcome: Outcome;
}

/** Any record in the log. */
export type LogRecord = DecisionRecord | OutcomeRecord;

/**
 * A decision with its outcome merged (what readers return). Prototype lines, which
 * carried `outcome` inline and had no `record_type`, read as this shape too.
 */
export interface RoutingEvent extends DecisionRecord {
  outcome?: Outcome;
  outcome_timestamp?: string;
}
