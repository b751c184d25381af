import type { Outcome, RoutingEvent } from "../records.js";
import { normaliseRecord } from "../read-record.js";

/** Lines skipped while joining. */
export interface JoinCounters {
  tornLines: number;
  invalidRecords: number;
  /** Fields removed from records as out of range or of the wrong type (the records kept). */
  invalidFields: number;
  /** Decisions met again under an event id already read (a batch appended twice): skipped. */
  duplicates: number;
}

/** The time window of a read, prepared for cheap comparisons. */
export interface JoinWindow {
  readonly sinceMs?: number;
  readonly untilMs?: number;
}

// Canonical toISOString() form: compares like a number when the lengths match.
const ISO_LENGTH = 24;

function timeOf(timestamp: string): number {
  return Date.parse(timestamp);
}

/**
 * Joins outcomes to decisions while the log is read newest line first. Outcomes are
 * appended after their decision, so an outcome is seen first and waits in `pending`
 * until its decision turns up: memory holds only the joins still open, never the file.
 * Decisions outside the window are recognised from the first ~100 characters and are
 * not parsed at all, but the whole log is always read: timestamps need not be in order
 * (backfill, clock skew, merged logs), so no old line ends a read. A decision whose event id
 * was read already (appended twice after a failed write was retried) is skipped and
 * counted: the newest copy counts, once, as in the PostgreSQL store.
 */
export class ReverseJoin {
  private readonly pending = new Map<string, { outcome: Outcome; timestamp: string; records: number }>();
  private readonly sinceIso: string | undefined;
  private readonly untilIso: string | undefined;
  /** Event ids of the decisions read so far (for de-duplication). */
  private readonly seen = new Set<string>();

  constructor(
    private readonly window: JoinWindow,
    private readonly counters: JoinCounters,
  ) {
    const iso = (ms: number | undefined) => (ms === undefined || !Number.isFinite(ms) ? undefined : new Date(ms).toISOString());
    this.sinceIso = iso(window.sinceMs);
    this.untilIso = iso(window.untilMs);
  }

  /** Outcomes still waiting for their decision (the open joins). */
  get openJoins(): number {
    return this.pending.size;
  }

  /** Feeds one line; returns a merged event to emit, or nothing. */
  line(text: string): RoutingEvent | undefined {
    if (text.length === 0) return undefined;
    const typeAt = text.indexOf('"record_type":"');
    if (typeAt > 0 && typeAt < 40) {
      const kind = text.charCodeAt(typeAt + 15);
      if (kind === 100 /* d */ && (this.window.sinceMs !== undefined || this.window.untilMs !== undefined)) {
        if (this.peekWindow(text, typeAt) === "skip") return undefined;
      }
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.counters.tornLines++;
      return undefined;
    }
    const record = normaliseRecord(value, this.counters);
    if (record === undefined) {
      this.counters.invalidRecords++;
      return undefined;
    }
    if (record.record_type === "outcome") {
      // Newest outcome wins: an older one for the same event is a superseded report (counted).
      const waiting = this.pending.get(record.event_id);
      if (waiting === undefined) this.pending.set(record.event_id, { outcome: record.outcome, timestamp: record.timestamp, records: 1 });
      else waiting.records++;
      return undefined;
    }
    if (this.isDuplicate(record.event_id)) return undefined;
    const joined = this.pending.get(record.event_id);
    if (joined !== undefined) this.pending.delete(record.event_id);
    if (this.window.sinceMs !== undefined || this.window.untilMs !== undefined) {
      const time = timeOf(record.timestamp);
      if (this.window.sinceMs !== undefined && !(time >= this.window.sinceMs)) return undefined;
      if (this.window.untilMs !== undefined && !(time < this.window.untilMs)) return undefined;
    }
    if (joined !== undefined) {
      record.outcome = joined.outcome;
      record.outcome_timestamp = joined.timestamp;
      if (joined.records > 1) record.outcome_records = joined.records;
    }
    return record;
  }

  /** True (and counted) when a decision with this id was read already; else remembers it. */
  private isDuplicate(eventId: string): boolean {
    if (this.seen.has(eventId)) {
      this.counters.duplicates++;
      return true;
    }
    this.seen.add(eventId);
    return false;
  }

  /**
   * Window check on the raw text of a decision written by this package (event_id and
   * timestamp follow record_type). Returns "parse" when the line is in the window or does
   * not have the expected layout (the full parse then decides).
   */
  private peekWindow(text: string, typeAt: number): "parse" | "skip" {
    const idAt = text.indexOf('"event_id":"', typeAt);
    if (idAt === -1 || idAt > typeAt + 40) return "parse";
    const idEnd = text.indexOf('"', idAt + 12);
    if (idEnd === -1 || text.indexOf('"timestamp":"', idEnd) !== idEnd + 2) return "parse";
    const timeAt = idEnd + 2;
    const timeEnd = text.indexOf('"', timeAt + 13);
    if (timeEnd === -1) return "parse";
    const id = text.slice(idAt + 12, idEnd);
    if (id.includes("\\")) return "parse";
    const timestamp = text.slice(timeAt + 13, timeEnd);
    const canonical = timestamp.length === ISO_LENGTH && timestamp.charCodeAt(ISO_LENGTH - 1) === 90; /* Z */
    const time = canonical ? 0 : timeOf(timestamp);
    const before = (iso: string | undefined, ms: number | undefined): boolean => iso !== undefined && ms !== undefined && (canonical ? timestamp < iso : !(time >= ms));
    const outside = before(this.sinceIso, this.window.sinceMs) || (this.untilIso !== undefined && !before(this.untilIso, this.window.untilMs));
    if (!outside) return "parse";
    // Out of the window: not emitted, but it still takes its outcome and its event id.
    if (!this.isDuplicate(id)) this.pending.delete(id);
    return "skip";
  }
}
