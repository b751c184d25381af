import { normaliseRecord } from "../../read-record.js";
import type { LayerAttemptRecord, Outcome, RoutingEvent } from "../../records.js";
import { NONE } from "./columns.js";
import { IdSet } from "./id-set.js";
import {
  ATTEMPT_SHADOW,
  ATTEMPT_SUCCESS,
  BAD_FIELD,
  BAD_TORN,
  KIND_EXOTIC,
  KIND_INLINE,
  KIND_SYNTHETIC,
  OUTCOME_COMPLETED,
  OUTCOME_CORRECT,
  OUTCOME_INCORRECT,
  VARIANT_CANDIDATE,
  VARIANT_CONTROL,
  type FileTable,
  type Segment,
} from "./segment.js";

/** Thrown when the cached columns cannot give the exact answer (an id-hash collision): use the uncached reader. */
export class CacheFallback extends Error {}

/** The window of a walk, as the store's reader applies it. */
export interface WalkWindow {
  readonly sinceMs: number | undefined;
}

/** One file to walk: its cached table, and whether its last line is torn (beyond the cached range). */
export interface WalkFile {
  readonly table: FileTable;
  readonly tornTail: boolean;
}

/** Where a walk sends the events it rebuilds (the analyzer, a time-series accumulator). */
export interface EventSink {
  add(event: RoutingEvent): void;
}

/** Lines skipped, as the store counts them. */
export interface WalkCounts {
  tornLines: number;
  invalidRecords: number;
  invalidFields: number;
  duplicates: number;
}

interface Pending {
  readonly check: number;
  readonly segment: Segment;
  readonly row: number;
  readonly dict: readonly string[];
  /** Outcome records of the id met so far (the newest is the one above). */
  records: number;
}

const str = (dict: readonly string[], id: number): string | undefined => (id === NONE ? undefined : dict[id]);
const num = (value: number): number | undefined => (Number.isNaN(value) ? undefined : value);

let isoDay = Number.NaN,
  isoDayPrefix = "";
const pad = (value: number, width: number): string => String(value).padStart(width, "0");

/**
 * `new Date(time).toISOString()` without a Date per call (it was half the cost of a warm
 * analysis): the date part is kept per day, the time of day is formatted arithmetically.
 */
function isoTime(time: number): string {
  const day = Math.floor(time / 86_400_000);
  if (time < 0 || time >= 253_402_300_800_000) return new Date(time).toISOString();
  if (day !== isoDay) {
    isoDay = day;
    isoDayPrefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
  }
  let rest = time - day * 86_400_000;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return `${isoDayPrefix}${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(rest - seconds * 1000, 3)}Z`;
}

/** Rebuilds the outcome fields the analyzer reads. */
function outcomeOf(segment: Segment, prefix: "o" | "i", row: number, dict: readonly string[]): Outcome {
  const c = segment.columns;
  const flags = c[`${prefix}_flags`][row]!;
  const outcome: Outcome = { task_completed: (flags & OUTCOME_COMPLETED) !== 0 };
  if (flags & OUTCOME_CORRECT) outcome.was_correct_master = true;
  else if (flags & OUTCOME_INCORRECT) outcome.was_correct_master = false;
  const to = str(dict, c[`${prefix}_corrected`][row]!);
  if (to !== undefined) outcome.user_corrected_to = to;
  const minutes = num(c[`${prefix}_minutes`][row]!),
    quality = num(c[`${prefix}_quality`][row]!);
  if (minutes !== undefined) outcome.completion_time_minutes = minutes;
  if (quality !== undefined) outcome.quality_score = quality;
  return outcome;
}

/** Rebuilds the fields of a decision that the analyzer reads (a minimal RoutingEvent). */
function decisionOf(segment: Segment, row: number, attemptStart: number, dict: readonly string[]): RoutingEvent {
  const c = segment.columns;
  const attempts: LayerAttemptRecord[] = [];
  const end = attemptStart + c.d_attempts[row]!;
  for (let a = attemptStart; a < end; a++) {
    const flags = c.a_flags[a]!;
    const attempt = { layer_name: str(dict, c.a_layer[a]!), success: (flags & ATTEMPT_SUCCESS) !== 0 } as LayerAttemptRecord;
    const expert = str(dict, c.a_expert[a]!),
      confidence = num(c.a_confidence[a]!),
      latency = num(c.a_latency[a]!),
      error = c.a_error[a]!;
    if (expert !== undefined) attempt.selected_master = expert;
    if (confidence !== undefined) attempt.confidence = confidence;
    if (latency !== undefined) attempt.latency_ms = latency;
    if (error !== NONE) attempt.error = { code: dict[error]!, message: "" };
    if (flags & ATTEMPT_SHADOW) attempt.shadow = true;
    attempts.push(attempt);
  }
  const routingLayer = dict[c.d_layer[row]!]!;
  const event = {
    timestamp: isoTime(c.d_time[row]!),
    selected_master: dict[c.d_master[row]!]!,
    routing_layer: routingLayer,
    layer_attempts: attempts,
  } as RoutingEvent;
  const latency = num(c.d_latency[row]!);
  if (latency !== undefined) event.total_latency_ms = latency;
  if (routingLayer === "clarification") {
    const pairA = c.d_pair_a[row]!;
    event.clarification = { reason: str(dict, c.d_reason[row]!) as string };
    if (pairA !== NONE) event.clarification.candidates = [dict[pairA]!, dict[c.d_pair_b[row]!]!];
  }
  const experiment = c.d_experiment[row]!;
  if (experiment !== NONE) {
    const variant = c.d_variant[row]!;
    event.ab_test = { experiment: dict[experiment]!, variant: (variant === VARIANT_CONTROL ? "control" : variant === VARIANT_CANDIDATE ? "candidate" : "") as "control" };
  }
  return event;
}

/**
 * Feeds the cached files to the analyzer exactly as `jsonlStore.read({ since })` would feed
 * them: newest line first across all files, each outcome waiting for its decision (the newest
 * outcome of an id wins; every decision, in the window or not, takes the outcome waiting for
 * its id), decisions outside the window not passed on, a decision whose id was met already
 * (appended twice) skipped and counted. The whole log is walked: no old line ends it.
 * @throws CacheFallback on an id-hash collision.
 */
export function walkFiles(files: readonly WalkFile[], window: WalkWindow, core: EventSink): WalkCounts {
  const counts: WalkCounts = { tornLines: 0, invalidRecords: 0, invalidFields: 0, duplicates: 0 };
  const pending = new Map<number, Pending>();
  // Decisions met so far (key and check), to skip a second copy of one.
  let decisions = 0;
  for (const { table } of files) for (const segment of table.segments) decisions += segment.rows.decisions;
  const seen = new IdSet(decisions);
  const { sinceMs } = window;
  const addOutcome = (segment: Segment, row: number, dict: readonly string[]): void => {
    const key = segment.columns.o_key[row]!,
      check = segment.columns.o_check[row]!;
    const waiting = pending.get(key);
    if (waiting === undefined) pending.set(key, { check, segment, row, dict, records: 1 });
    else if (waiting.check !== check) throw new CacheFallback("event-id hash collision");
    else waiting.records++;
  };
  for (let f = files.length - 1; f >= 0; f--) {
    const { table, tornTail } = files[f]!;
    const dict = table.dict;
    if (tornTail) counts.tornLines++;
    let base = 0;
    for (const segment of table.segments) base += segment.rows.decisions;
    for (let s = table.segments.length - 1; s >= 0; s--) {
      const segment = table.segments[s]!;
      const c = segment.columns;
      base -= segment.rows.decisions;
      let o = segment.rows.outcomes - 1;
      let attemptEnd = segment.rows.attempts;
      let inline = segment.rows.inline - 1;
      let exotic = segment.exotic.length - 1;
      for (let row = segment.rows.decisions - 1; row >= 0; row--) {
        const global = base + row;
        while (o >= 0 && c.o_after[o]! > global) addOutcome(segment, o--, dict);
        const kind = c.d_kind[row]!;
        const attemptStart = attemptEnd - c.d_attempts[row]!;
        attemptEnd = attemptStart;
        const inlineRow = kind & KIND_INLINE ? inline-- : -1;
        const exoticText = kind & KIND_EXOTIC ? segment.exotic[exotic--]! : undefined;
        const key = c.d_key[row]!;
        const known = seen.add(key, c.d_check[row]!);
        if (known >= 0) {
          if (known !== c.d_check[row]!) throw new CacheFallback("event-id hash collision");
          counts.duplicates++;
          continue;
        }
        const joined = pending.get(key);
        if (joined !== undefined) {
          if (joined.check !== c.d_check[row]!) throw new CacheFallback("event-id hash collision");
          pending.delete(key);
        }
        if (sinceMs !== undefined) {
          const time = c.d_time[row]!;
          if (!(time >= sinceMs)) continue;
        }
        const event = exoticText !== undefined ? (normaliseRecord(JSON.parse(exoticText)) as RoutingEvent) : decisionOf(segment, row, attemptStart, dict);
        if (kind & KIND_SYNTHETIC) event.synthetic = true;
        if (joined !== undefined) {
          event.outcome = outcomeOf(joined.segment, "o", joined.row, joined.dict);
          if (joined.records > 1) event.outcome_records = joined.records;
        } else if (inlineRow >= 0) event.outcome = outcomeOf(segment, "i", inlineRow, dict);
        core.add(event);
      }
      for (let b = 0; b < segment.rows.bad; b++) {
        const kind = c.b_kind[b];
        if (kind === BAD_TORN) counts.tornLines++;
        else if (kind === BAD_FIELD) counts.invalidFields++;
        else counts.invalidRecords++;
      }
      while (o >= 0) addOutcome(segment, o--, dict);
    }
  }
  return counts;
}
