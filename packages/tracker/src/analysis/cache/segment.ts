import type { ColumnArray, ColumnType } from "./columns.js";

/**
 * The columns of a segment: one run of complete lines of one log file, in file order.
 * `d_` one row per decision, `a_` per layer attempt (rows of a decision are contiguous,
 * `d_attempts` of them), `o_` per outcome record, `i_` per inline outcome (a prototype line's
 * own `outcome`, flagged in `d_kind`), `b_` per skipped line. Values absent or not numbers are
 * NaN (JSON has no NaN, so it cannot be confused with a real value); absent strings are NONE.
 * Numbers are kept as float64 so that every sum the analyzer makes is bit-identical.
 */
export const SCHEMA = {
  d_time: "f64", // epoch ms of the timestamp
  d_key: "f64", // event-id hash, 53 bits
  d_check: "u32", // event-id hash, 32 more bits
  d_kind: "u8", // KIND_* bits
  d_layer: "u16", // routing_layer
  d_master: "u16", // selected_master
  d_reason: "u16", // clarification.reason (routing_layer "clarification" only)
  d_pair_a: "u16", // clarification.candidates[0] when reason is "ambiguous"
  d_pair_b: "u16", // clarification.candidates[1]
  d_experiment: "u16", // ab_test.experiment
  d_variant: "u8", // VARIANT_*
  d_latency: "f64", // total_latency_ms
  d_attempts: "u16", // number of layer attempts
  a_layer: "u16",
  a_expert: "u16",
  a_error: "u16", // error.code ?? "unknown" when error is set
  a_flags: "u8", // ATTEMPT_* bits
  a_confidence: "f64",
  a_latency: "f64",
  o_key: "f64",
  o_check: "u32",
  o_after: "u32", // decisions of the file before this outcome line
  o_flags: "u8", // OUTCOME_* bits
  o_corrected: "u16", // user_corrected_to, when a string
  o_minutes: "f64",
  o_quality: "f64",
  i_flags: "u8",
  i_corrected: "u16",
  i_minutes: "f64",
  i_quality: "f64",
  b_after: "u32", // decisions of the file before this skipped line
  b_kind: "u8", // BAD_TORN, BAD_INVALID or BAD_FIELD (one row per field removed from a record kept)
} as const satisfies Record<string, ColumnType>;

/** A column name of {@link SCHEMA}. */
export type ColumnName = keyof typeof SCHEMA;

/** Row counts of the four tables; the column prefix says which table a column belongs to. */
export const TABLE_OF: Record<string, "decisions" | "attempts" | "outcomes" | "inline" | "bad"> = { d: "decisions", a: "attempts", o: "outcomes", i: "inline", b: "bad" };

/** `d_kind` bits. */
export const KIND_EXOTIC = 1,
  KIND_INLINE = 2,
  KIND_SYNTHETIC = 4;
/** `d_variant` values. */
export const VARIANT_OTHER = 0,
  VARIANT_CONTROL = 1,
  VARIANT_CANDIDATE = 2;
/** `a_flags` bits. */
export const ATTEMPT_SUCCESS = 1,
  ATTEMPT_SHADOW = 2;
/** `o_flags` / `i_flags` bits. */
export const OUTCOME_COMPLETED = 1,
  OUTCOME_CORRECT = 2,
  OUTCOME_INCORRECT = 4;
/** `b_kind` values. */
export const BAD_TORN = 1,
  BAD_INVALID = 2,
  BAD_FIELD = 3;

/** Rows per table. */
export interface RowCounts {
  decisions: number;
  attempts: number;
  outcomes: number;
  inline: number;
  bad: number;
}

/** One run of lines of a log file as columns, plus the raw text of lines kept whole. */
export interface Segment {
  readonly rows: RowCounts;
  readonly columns: { readonly [name in ColumnName]: ColumnArray };
  /**
   * Decision lines the columns cannot represent exactly (odd field types): kept as text and
   * parsed again at analysis, in order (one per `KIND_EXOTIC` row).
   */
  readonly exotic: readonly string[];
}

/** A log file's cached content: its segments (oldest first) and the file's string dictionary. */
export interface FileTable {
  readonly path: string;
  readonly segments: Segment[];
  readonly dict: string[];
  /** Bytes of the file covered (complete lines only). */
  covered: number;
  /** True when some decision has a timestamp the window cannot compare exactly from the column (non-canonical). */
  oddTimes: boolean;
}

/** Total decisions of a file table. */
export function decisionCount(table: FileTable): number {
  let total = 0;
  for (const segment of table.segments) total += segment.rows.decisions;
  return total;
}
