import { open } from "node:fs/promises";
import { normaliseRecord } from "../../read-record.js";
import type { LayerAttemptRecord, Outcome, RoutingEvent } from "../../records.js";
import { parseIsoTime, parseIsoTimeAt } from "../internal/iso-time.js";
import { Column, column, Dictionary, NONE, type ColumnArray } from "./columns.js";
import { hashId, type IdHash } from "./hash.js";
import {
  ATTEMPT_SHADOW,
  ATTEMPT_SUCCESS,
  BAD_FIELD,
  BAD_INVALID,
  BAD_TORN,
  KIND_EXOTIC,
  KIND_INLINE,
  KIND_SYNTHETIC,
  OUTCOME_COMPLETED,
  OUTCOME_CORRECT,
  OUTCOME_INCORRECT,
  SCHEMA,
  TABLE_OF,
  VARIANT_CANDIDATE,
  VARIANT_CONTROL,
  VARIANT_OTHER,
  type ColumnName,
  type RowCounts,
  type Segment,
} from "./segment.js";

type Json = Record<string, unknown>;

/**
 * Epoch ms of a timestamp in the canonical toISOString() form that every reader decodes alike,
 * else undefined. A real calendar date from 1970 to 9999 in that form is canonical by
 * construction (toISOString() gives it back), decided arithmetically: the round trip through
 * Date.parse and toISOString() is only made for other years and for a day past its month's end.
 */
export function canonicalTime(text: unknown): number | undefined {
  if (typeof text !== "string" || text.length !== 24) return undefined;
  const time = parseIsoTimeAt(text, 0);
  if (Number.isNaN(time)) return undefined;
  if (time >= 0 && time < 253_402_300_800_000) {
    const day = (text.charCodeAt(8) - 48) * 10 + (text.charCodeAt(9) - 48);
    if (day <= 28) return time;
    const month = (text.charCodeAt(5) - 48) * 10 + (text.charCodeAt(6) - 48);
    const year = Number(text.slice(0, 4));
    if (day <= daysInMonth(year, month)) return time;
  }
  return exactCanonicalTime(text);
}

/** The definition {@link canonicalTime} implements: decodes alike everywhere and survives the round trip. */
export function exactCanonicalTime(text: string): number | undefined {
  const time = parseIsoTime(text);
  return Number.isFinite(time) && Date.parse(text) === time && new Date(time).toISOString() === text ? time : undefined;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const numberOr = (value: unknown): number => (typeof value === "number" ? value : Number.NaN);

/**
 * Encodes lines (the store's reading rules: blank skipped, not JSON = torn, not a record =
 * invalid) into a new segment's columns. `decisionBase` is the number of decisions of the
 * file before the first line given (for the outcome and skipped-line positions).
 */
export class SegmentBuilder {
  private readonly columns = {} as { [name in ColumnName]: Column<ColumnArray> };
  private readonly rows: RowCounts = { decisions: 0, attempts: 0, outcomes: 0, inline: 0, bad: 0 };
  private readonly exotic: string[] = [];
  private readonly hash: IdHash = { key: 0, check: 0 };
  private readonly issues = { invalidFields: 0 };
  /** Set when a decision's timestamp is not canonical (see FileTable.oddTimes). */
  oddTimes = false;

  constructor(
    private readonly dict: Dictionary,
    private readonly decisionBase: number,
    expectedDecisions = 1024,
  ) {
    for (const [name, type] of Object.entries(SCHEMA) as [ColumnName, (typeof SCHEMA)[ColumnName]][]) {
      const table = TABLE_OF[name[0]!]!;
      const capacity = table === "decisions" ? expectedDecisions : table === "attempts" ? expectedDecisions * 2 : table === "outcomes" ? expectedDecisions : 64;
      this.columns[name] = column(type, capacity);
    }
  }

  private push(name: ColumnName, value: number): void {
    this.columns[name].push(value);
  }

  private name(value: string): number {
    return this.dict.id(value);
  }

  /** Adds one line (without its newline). */
  line(text: string): void {
    if (text.length === 0) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return this.bad(BAD_TORN);
    }
    this.issues.invalidFields = 0;
    const record = normaliseRecord(value, this.issues);
    if (record === undefined) return this.bad(BAD_INVALID);
    for (let i = 0; i < this.issues.invalidFields; i++) this.bad(BAD_FIELD);
    if (record.record_type === "outcome") {
      hashId(record.event_id, this.hash);
      this.push("o_key", this.hash.key);
      this.push("o_check", this.hash.check);
      this.push("o_after", this.decisionBase + this.rows.decisions);
      this.outcome("o", record.outcome);
      this.rows.outcomes++;
      return;
    }
    this.decision(record, text);
  }

  private bad(kind: number): void {
    this.push("b_after", this.decisionBase + this.rows.decisions);
    this.push("b_kind", kind);
    this.rows.bad++;
  }

  private outcome(prefix: "o" | "i", outcome: Outcome): void {
    const correct = outcome.was_correct_master;
    const flags = (outcome.task_completed === true ? OUTCOME_COMPLETED : 0) | (correct === true ? OUTCOME_CORRECT : correct === false ? OUTCOME_INCORRECT : 0);
    const to = outcome.user_corrected_to;
    this.push(`${prefix}_flags`, flags);
    this.push(`${prefix}_corrected`, typeof to === "string" ? this.name(to) : NONE);
    this.push(`${prefix}_minutes`, numberOr(outcome.completion_time_minutes));
    this.push(`${prefix}_quality`, numberOr(outcome.quality_score));
  }

  private decision(record: RoutingEvent, text: string): void {
    const time = canonicalTime(record.timestamp);
    let kind = 0;
    // Everything the columns need is checked first, so a rejected decision leaves no partial row.
    const simple = time !== undefined && this.representable(record);
    if (!simple) {
      kind = KIND_EXOTIC;
      if (time === undefined) this.oddTimes = true;
      this.exotic.push(text);
    } else if (record.outcome) {
      kind = KIND_INLINE;
      this.outcome("i", record.outcome);
      this.rows.inline++;
    }
    if (record.synthetic === true) kind |= KIND_SYNTHETIC;
    hashId(record.event_id, this.hash);
    this.push("d_time", time ?? parseIsoTime(record.timestamp));
    this.push("d_key", this.hash.key);
    this.push("d_check", this.hash.check);
    this.push("d_kind", kind);
    this.rows.decisions++;
    if (!simple) {
      for (const name of ["d_layer", "d_master", "d_reason", "d_pair_a", "d_pair_b", "d_experiment"] as const) this.push(name, NONE);
      this.push("d_variant", VARIANT_OTHER);
      this.push("d_latency", Number.NaN);
      this.push("d_attempts", 0);
      return;
    }
    this.push("d_layer", this.name(record.routing_layer));
    this.push("d_master", this.name(record.selected_master));
    let reason = NONE,
      pairA = NONE,
      pairB = NONE;
    if (record.routing_layer === "clarification") {
      const clarification = record.clarification as Json | undefined | null;
      const raw = clarification?.reason;
      if (typeof raw === "string") reason = this.name(raw);
      const candidates = clarification?.candidates as string[] | undefined;
      if (raw === "ambiguous" && candidates && candidates.length >= 2) {
        pairA = this.name(candidates[0]!);
        pairB = this.name(candidates[1]!);
      }
    }
    this.push("d_reason", reason);
    this.push("d_pair_a", pairA);
    this.push("d_pair_b", pairB);
    const ab = record.ab_test as Json | undefined;
    const experiment = ab && typeof ab.experiment === "string" ? ab.experiment : undefined;
    this.push("d_experiment", experiment === undefined ? NONE : this.name(experiment));
    this.push("d_variant", experiment === undefined ? VARIANT_OTHER : ab!.variant === "control" ? VARIANT_CONTROL : ab!.variant === "candidate" ? VARIANT_CANDIDATE : VARIANT_OTHER);
    this.push("d_latency", numberOr(record.total_latency_ms));
    const attempts = record.layer_attempts;
    this.push("d_attempts", attempts.length);
    for (const attempt of attempts) {
      const error = attempt.error as Json | undefined;
      this.push("a_layer", typeof attempt.layer_name === "string" ? this.name(attempt.layer_name) : NONE);
      this.push("a_expert", attempt.selected_master === undefined ? NONE : this.name(attempt.selected_master));
      this.push("a_error", error ? this.name((error.code as string | undefined | null) ?? "unknown") : NONE);
      this.push("a_flags", (attempt.success === true ? ATTEMPT_SUCCESS : 0) | (attempt.shadow === true ? ATTEMPT_SHADOW : 0));
      this.push("a_confidence", numberOr(attempt.confidence));
      this.push("a_latency", numberOr(attempt.latency_ms));
      this.rows.attempts++;
    }
  }

  /**
   * True when the analyzer would read nothing from the decision that the columns cannot give
   * back exactly: strings where it counts by name, objects where it reads fields.
   */
  private representable(record: RoutingEvent): boolean {
    try {
      if (typeof record.routing_layer !== "string" || typeof record.selected_master !== "string") return false;
      if (record.routing_layer === "clarification") {
        const clarification = record.clarification as Json | undefined | null;
        const reason = clarification?.reason;
        if (reason !== undefined && reason !== null && typeof reason !== "string") return false;
        const candidates = clarification?.candidates as unknown[] | undefined;
        if (reason === "ambiguous" && candidates && (candidates as { length: number }).length >= 2) {
          if (typeof candidates[0] !== "string" || typeof candidates[1] !== "string") return false;
        }
      }
      const outcome = record.outcome as unknown;
      if (outcome && (typeof outcome !== "object" || Array.isArray(outcome))) return false;
      const attempts = record.layer_attempts;
      if (!Array.isArray(attempts) || attempts.length >= 0xffff) return false;
      for (const attempt of attempts as unknown[]) {
        if (attempt === null || typeof attempt !== "object") return false;
        const { selected_master: expert, error } = attempt as LayerAttemptRecord;
        if (expert !== undefined && typeof expert !== "string") return false;
        if (error) {
          const code = (error as unknown as Json).code;
          if (code !== undefined && code !== null && typeof code !== "string") return false;
        }
      }
      return true;
    } catch {
      // A getter or proxy cannot come out of JSON.parse, but stay safe: keep the line as text.
      return false;
    }
  }

  /** The segment built so far (views on the columns, no copy). */
  finish(): { segment: Segment; oddTimes: boolean } {
    const columns = {} as { [name in ColumnName]: ColumnArray };
    for (const name of Object.keys(SCHEMA) as ColumnName[]) columns[name] = this.columns[name].values();
    return { segment: { rows: { ...this.rows }, columns, exotic: this.exotic }, oddTimes: this.oddTimes };
  }
}

const NEWLINE = 10;

/**
 * Reads the complete lines of `path[from, to)` forward and encodes them. Returns the segment
 * and the end of the last complete line (the new covered size); a final line without its
 * newline (torn, or being written) is left for a later call.
 */
export async function buildSegment(
  path: string,
  from: number,
  to: number,
  dict: Dictionary,
  decisionBase: number,
  chunkBytes = 8 * 2 ** 20,
): Promise<{ segment: Segment; covered: number; oddTimes: boolean }> {
  // About 1.1 KB per decision with its outcome in the tracker's own logs: size the columns once.
  const builder = new SegmentBuilder(dict, decisionBase, Math.ceil((to - from) / 1000) + 16);
  const handle = await open(path, "r");
  let covered = from;
  try {
    let position = from;
    let carry = Buffer.alloc(0);
    while (position < to) {
      const length = Math.min(chunkBytes, to - position);
      const buffer = Buffer.allocUnsafe(carry.length + length);
      carry.copy(buffer, 0);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await handle.read(buffer, carry.length + filled, length - filled, position + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      position += filled;
      const total = carry.length + filled;
      const last = buffer.lastIndexOf(NEWLINE, total - 1);
      if (last === -1) {
        carry = buffer.subarray(0, total);
        if (filled === 0) break;
        continue;
      }
      // Decoding a whole run of lines at once and splitting it is what the store does, and fast.
      const lines = buffer.toString("utf8", 0, last).split("\n");
      for (const line of lines) builder.line(line);
      covered = position - (total - last - 1);
      carry = Buffer.from(buffer.subarray(last + 1, total));
      if (filled === 0) break;
    }
  } finally {
    await handle.close();
  }
  return { ...builder.finish(), covered };
}
