import { normaliseRecord, type ReadRecord } from "../../read-record.js";
import { hashId, type IdHash } from "../cache/hash.js";
import type { Outcome, RoutingEvent } from "../../records.js";
import { AnalyzerCore, type CoreSettings, type CoreSnapshot } from "./analyzer-core.js";
import { reverseByteChunks } from "./reverse-byte-chunks.js";

/** A byte range of one log file; `from` is a line start, `to` the end of a line (or of the file). */
export interface Segment {
  readonly path: string;
  readonly from: number;
  readonly to: number | undefined;
}

/** A contiguous piece of the log (segments oldest first), read by one thread. */
export interface Part {
  readonly index: number;
  readonly segments: readonly Segment[];
}

/** Lines the reader could not use. */
export interface ReadCounts {
  /** Lines that were not JSON (a torn line after a crash): skipped. */
  tornLines: number;
  /** JSON lines that are not routing records: skipped. */
  invalidRecords: number;
  /** Fields removed from records as out of range or of the wrong type. */
  invalidFields: number;
  /** Decisions read again under an event id already read in the same part: skipped. */
  duplicates: number;
}

/** Zeroed read counts. */
export const noCounts = (): ReadCounts => ({ tornLines: 0, invalidRecords: 0, invalidFields: 0, duplicates: 0 });

/** What reading a part gives back (plain data: it may cross a thread boundary). */
export interface PartResult {
  readonly snapshot: CoreSnapshot;
  /** Outcomes whose decision is not in this part (it may be in an older part): id, newest outcome, outcome records of the id here. */
  readonly orphans: [string, Outcome, number][];
  readonly counts: ReadCounts;
  /** 53-bit hashes of the event ids of the decisions counted, to find one counted in two parts. */
  readonly idKeys: Float64Array;
}

/** A decision that a newer part's outcome belongs to, with the outcome this part had joined. */
export interface OrphanMatch {
  readonly eventId: string;
  readonly event: RoutingEvent;
  readonly joined: Outcome | undefined;
  /** Outcome records this part had joined to the decision (an outcome written inline in it is not one). */
  readonly joinedRecords: number;
}

const NEWLINE = 10;
const EVENT_ID = Buffer.from('"event_id":"');

/**
 * Calls `visit` for each line of the part, newest first, with the line's bytes. Returning
 * false stops the walk.
 */
async function eachLine(part: Part, chunkBytes: number, counts: ReadCounts, visit: (buffer: Buffer, start: number, end: number) => boolean): Promise<void> {
  for (let s = part.segments.length - 1; s >= 0; s--) {
    const segment = part.segments[s]!;
    for await (const chunk of reverseByteChunks(segment.path, chunkBytes, segment.from, segment.to)) {
      if (chunk.tornTail) counts.tornLines++;
      const { buffer, start } = chunk;
      let lineEnd = chunk.end - 1;
      while (lineEnd >= start) {
        const previous = lineEnd > start ? buffer.lastIndexOf(NEWLINE, lineEnd - 1) : -1;
        const lineStart = previous >= start ? previous + 1 : start;
        const end = lineEnd;
        lineEnd = lineStart - 1;
        if (end > lineStart && !visit(buffer, lineStart, end)) return;
      }
    }
  }
}

/** Parses a line as the store does (JSON, then the store's normaliser), counting what it cannot use. */
function parseLine(buffer: Buffer, start: number, end: number, counts: ReadCounts): ReadRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(buffer.toString("utf8", start, end));
  } catch {
    // A blank line (only a carriage return or spaces) is not a torn record.
    if (buffer.toString("latin1", start, end).trim() !== "") counts.tornLines++;
    return undefined;
  }
  const record = normaliseRecord(value, counts);
  if (record === undefined) counts.invalidRecords++;
  return record;
}

/**
 * Reads one part of the log newest line first, joining each outcome to its decision (an
 * outcome is met before its decision, so only the joins still open are held: memory does not
 * grow with the log), and feeds the decisions to a fresh analyzer.
 */
export async function readPart(part: Part, settings: CoreSettings, chunkBytes: number): Promise<PartResult> {
  const core = new AnalyzerCore(settings);
  const counts = noCounts();
  const pending = new Map<string, { outcome: Outcome; records: number }>();
  const seen = new Set<string>();
  const keys: number[] = [];
  const hash: IdHash = { key: 0, check: 0 };
  await eachLine(part, chunkBytes, counts, (buffer, start, end) => {
    const record = parseLine(buffer, start, end, counts);
    if (record === undefined) return true;
    if (record.record_type === "outcome") {
      // Read backwards, the first outcome met is the newest: it supersedes older reports.
      const waiting = pending.get(record.event_id);
      if (waiting === undefined) pending.set(record.event_id, { outcome: record.outcome, records: 1 });
      else waiting.records++;
      return true;
    }
    // The newest copy of a decision appended twice counts, once (as in the store's reader).
    if (seen.has(record.event_id)) {
      counts.duplicates++;
      return true;
    }
    seen.add(record.event_id);
    keys.push(hashId(record.event_id, hash).key);
    const joined = pending.get(record.event_id);
    if (joined !== undefined) {
      pending.delete(record.event_id);
      record.outcome = joined.outcome;
      if (joined.records > 1) record.outcome_records = joined.records;
    }
    core.add(record);
    return true;
  });
  return { snapshot: core.snapshot(), orphans: [...pending].map(([id, { outcome, records }]) => [id, outcome, records]), counts, idKeys: Float64Array.from(keys) };
}

/** The event id of a line as the tracker writes it (near the start), without parsing it. */
function peekEventId(buffer: Buffer, start: number, end: number): string | undefined {
  const at = buffer.indexOf(EVENT_ID, start);
  if (at === -1 || at >= end || at - start > 200) return undefined;
  const idStart = at + EVENT_ID.length;
  const idEnd = buffer.indexOf(34, idStart);
  // An escaped quote inside the id: let the full parse read it.
  if (idEnd === -1 || idEnd >= end || buffer[idEnd - 1] === 92) return undefined;
  return buffer.toString("utf8", idStart, idEnd);
}

/**
 * Second pass for the parallel reader: finds, in this part, the decisions of outcomes that
 * newer parts could not join (`wanted` ids), and the outcome this part had joined to each.
 * Only lines whose id is wanted are parsed (or whose id cannot be peeked).
 */
export async function findOrphanDecisions(part: Part, wanted: readonly string[], chunkBytes: number): Promise<OrphanMatch[]> {
  const open = new Set(wanted);
  const joinedHere = new Map<string, { outcome: Outcome; records: number }>();
  const matches: OrphanMatch[] = [];
  const counts = noCounts();
  await eachLine(part, chunkBytes, counts, (buffer, start, end) => {
    const peeked = peekEventId(buffer, start, end);
    if (peeked !== undefined && !open.has(peeked)) return true;
    const record = parseLine(buffer, start, end, counts);
    if (record === undefined || !open.has(record.event_id)) return true;
    if (record.record_type === "outcome") {
      const waiting = joinedHere.get(record.event_id);
      if (waiting === undefined) joinedHere.set(record.event_id, { outcome: record.outcome, records: 1 });
      else waiting.records++;
      return true;
    }
    // The first (newest) decision with the id takes the outcome, as in a sequential read.
    open.delete(record.event_id);
    const here = joinedHere.get(record.event_id);
    matches.push({ eventId: record.event_id, event: record, joined: here?.outcome ?? record.outcome, joinedRecords: here?.records ?? 0 });
    return open.size > 0;
  });
  return matches;
}
