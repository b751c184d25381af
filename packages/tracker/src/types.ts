/**
 * Public option and result types of the recording half of the tracker: stores, the
 * tracker observer, outcomes. Record shapes live in records.ts.
 */
import type { MoeRouterError } from "@moe-router/core";
import type { LogRecord, OutcomeRecord, RoutingEvent } from "./records.js";
import type { AnalysisReport, AnalyzerOptions } from "./analysis/types.js";
import type { TimeSeries, TimeSeriesOptions } from "./timeseries/types.js";

/** Time window of a read: `since <= timestamp < until` (decision timestamps). */
export interface ReadOptions {
  /** Only decisions routed at or after this time. */
  readonly since?: Date;
  /** Only decisions routed before this time. */
  readonly until?: Date;
}

/** Counters a store keeps about itself (since it was opened, unless said otherwise). */
export interface StoreStats {
  /** Records accepted by `append()`. */
  readonly appended: number;
  /** Records written durably (acknowledged). */
  readonly written: number;
  /** Records lost because a write failed. */
  readonly failed: number;
  /** Records refused: the store was closed or its buffer was full. */
  readonly dropped: number;
  /** Records buffered, not yet written. */
  readonly pending: number;
  /** Lines that were not valid JSON (torn by a crash), skipped by the most recent read. */
  readonly tornLines: number;
  /**
   * Valid JSON lines that are not usable records (not this format, or a field a reader needs
   * is malformed, e.g. a layer attempt that is not an object), skipped by the most recent read.
   */
  readonly invalidRecords: number;
  /** Fields out of range or of the wrong type (quality 5, negative minutes), removed from records kept, in the most recent read. */
  readonly invalidFields: number;
  /** Decisions read again under an event id already read (appended twice), skipped by the most recent read. */
  readonly duplicates: number;
  /** The last store failure, if any. */
  readonly lastError?: { readonly code: string; readonly message: string };
}

/** Listener for store failures; failures are also counted in {@link StoreStats}. */
export type StoreErrorListener = (error: MoeRouterError) => void;

/** A corrected outcome as stored, with its position in the store (see {@link EventStore.correctionsAfter}). */
export interface StoredCorrection {
  /** Position of the outcome in the store; pass the last one seen to read what came after. */
  readonly cursor: number;
  /** The decision with this outcome merged (`outcome.user_corrected_to` names the right expert). */
  readonly event: RoutingEvent;
}

/** One page of {@link EventStore.correctionsAfter}. */
export interface CorrectionsPage {
  readonly corrections: readonly StoredCorrection[];
  /** The cursor to pass next: the position of the last outcome examined (unchanged when none was). */
  readonly cursor: number;
}

/**
 * Where decisions and outcomes are kept. One interface, one shared test suite; the JSONL
 * file store and the PostgreSQL store implement it.
 */
export interface EventStore {
  /** Human-readable location, e.g. the file path or the database host, for messages. */
  readonly description: string;
  /**
   * Buffers a record for writing. Never blocks and never throws: a failure is counted in
   * `stats()` and reported to the error listeners.
   */
  append(record: LogRecord): void;
  /**
   * Appends one record and resolves once it is durable (written; what `flush()` promises),
   * waiting for room first when the buffer is over its high-water mark.
   * @throws MoeRouterError CLOSED after close(), STORE_FAILED when the buffer is still full
   *   (hard limit) or the write fails. Optional: the tracker falls back to append + flush.
   */
  appendDurable?(record: LogRecord): Promise<void>;
  /**
   * Backpressure: undefined while the store has room; a promise (never rejecting) that
   * resolves once buffered records have been written while it is over its high-water mark.
   * The tracker returns it from `onDecision`, and core's async `route()` awaits it.
   */
  whenWritable?(): Promise<void> | undefined;
  /**
   * Writes everything appended so far. When it resolves, those records are acknowledged:
   * durable in the file or database (they survive the process being killed).
   * @throws MoeRouterError STORE_FAILED when some of them could not be written.
   */
  flush(): Promise<void>;
  /**
   * Decisions with their latest outcome merged, newest first (log order reversed). A windowed
   * read is right whatever the order of timestamps in the log: it never stops at an old
   * record. A decision stored twice under one event id is returned once. Malformed records
   * are skipped and counted in `stats()`, never thrown.
   */
  read(options?: ReadOptions): AsyncIterable<RoutingEvent>;
  /** The `limit` most recent decisions (newest first), outcomes merged. */
  recentEvents(limit: number): Promise<RoutingEvent[]>;
  /** One decision by event id with its outcome merged, or undefined when it is not stored. */
  get(eventId: string): Promise<RoutingEvent | undefined>;
  /**
   * Corrected outcomes (those naming `user_corrected_to`) stored after `cursor`, in storage
   * order, at most `limit`. Present on stores that several processes share (PostgreSQL), so
   * each process can pick up the corrections the others recorded. Cursor 0 reads from the start.
   * @throws MoeRouterError STORE_FAILED when the store cannot be read.
   */
  correctionsAfter?(cursor: number, limit: number): Promise<CorrectionsPage>;
  /**
   * Present when the store computes time series itself (PostgreSQL: in SQL, not by streaming
   * rows to Node). Call `timeSeriesStore(store)`, which falls back to `read()` without it.
   */
  timeSeries?(options?: TimeSeriesOptions): Promise<TimeSeries>;
  /**
   * Present when the store computes the analysis itself (PostgreSQL: in SQL, only aggregates
   * sent to Node). Same report as streaming `read()` through the analyzer; `analyzeStore(store)`
   * calls it when present and falls back to `read()` without it.
   */
  analyze?(options?: AnalyzerOptions): Promise<AnalysisReport>;
  /** Subscribes to store failures; returns the unsubscribe function. */
  onError(listener: StoreErrorListener): () => void;
  stats(): StoreStats;
  /** Flushes and releases files or connections. Later appends are dropped and counted. */
  close(): Promise<void>;
}

/** Rotation of the JSONL log. */
export interface RotationOptions {
  /** One file per UTC month of the record's timestamp: `events-2026-11.jsonl`. */
  readonly monthly?: boolean;
  /** Start a new file (`events-2026-11.1.jsonl`, ...) once a file reaches this size. */
  readonly maxBytes?: number;
}

/** Options of {@link jsonlStore}. */
export interface JsonlStoreOptions {
  /** The log file, e.g. ".moe-router/events.jsonl"; rotated names derive from it. */
  readonly path: string;
  /** Rotation by month and/or size. Default: none (one file). */
  readonly rotate?: RotationOptions;
  /** fsync after each batch so acknowledged records also survive power loss. Default false. */
  readonly fsync?: boolean;
  /**
   * Hard limit: serialised bytes (UTF-8, exact) buffered or queued for writing before appends
   * are dropped and counted. Default 64 MiB.
   */
  readonly maxBufferedBytes?: number;
  /**
   * Above this many buffered bytes, `whenWritable()` (and so `await cascade.route()`) waits
   * for the disk instead of letting the buffer grow to the hard limit. Default 8 MiB.
   */
  readonly highWaterBytes?: number;
  /** Bytes read per step when reading the log backwards. Default 4 MiB. */
  readonly readChunkBytes?: number;
  /**
   * Deprecated, ignored: a windowed read never stops early (timestamps need not be in order),
   * it reads the whole log and skips out-of-window decisions without parsing them.
   */
  readonly orderSlackMs?: number;
}

/** The part of a `pg` Pool this package uses (so any compatible pool can be passed). */
export interface QueryablePool {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  end?(): Promise<void>;
}

/** Options of {@link postgresStore}. */
export type PostgresStoreOptions = (
  { /** e.g. "postgres://user@127.0.0.1:5432/db" */ readonly connectionString: string } | { /** A pool you own; close() leaves it open. */ readonly pool: QueryablePool }
) & {
  /** Table name prefix: `<prefix>_decisions`, `<prefix>_outcomes`. Default "moe_router". */
  readonly tablePrefix?: string;
  /** Hard limit: UTF-8 bytes of the records buffered (unwritten) before appends are dropped and counted. Default 64 MiB. */
  readonly maxBufferedBytes?: number;
  /** A second hard limit, on the number of buffered records. Default 1,000,000. */
  readonly maxBufferedRecords?: number;
  /** Above this many buffered bytes, `whenWritable()` (and so `await cascade.route()`) waits for the server. Default 8 MiB. */
  readonly highWaterBytes?: number;
  /** Longest an `analyze()` query may run (it aggregates in the database, in its own transaction). Default 600,000 ms. */
  readonly analysisTimeoutMs?: number;
  /** Rows fetched per page while reading. Default 2,000. */
  readonly pageSize?: number;
  /** Longest wait for a connection (owned pools). Default 5,000 ms. */
  readonly connectTimeoutMs?: number;
  /** Longest a statement may run, client and server side. Default 15,000 ms. */
  readonly statementTimeoutMs?: number;
  /** First retry delay after a failed write, doubled per failure up to `maxRetryDelayMs`. Defaults 100 ms and 5,000 ms. */
  readonly retryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
  /** How long close() keeps retrying unwritten records before counting them lost. Default 10,000 ms. */
  readonly closeTimeoutMs?: number;
  /** How long flush() and an outcome wait for the server before rejecting (records stay buffered). Default 30,000 ms. */
  readonly flushTimeoutMs?: number;
};

/** What a caller reports about a routed task (the prototype's record_task_outcome). */
export interface OutcomeInput {
  /** The task was completed (true) or failed (false). */
  readonly completed: boolean;
  /** The routed expert was right. Absent: unknown (or false when `correctedTo` is given). */
  readonly correct?: boolean;
  /** The expert the task should have gone to; implies `correct: false`. */
  readonly correctedTo?: string;
  /** Minutes the task took. */
  readonly minutes?: number;
  /** Quality of the result in [0,1]. */
  readonly quality?: number;
  /** Time of the outcome. Default: now. */
  readonly timestamp?: Date;
}

/** The result of {@link Tracker.recordOutcome}. */
export interface RecordedOutcome {
  /** The outcome record as appended (and flushed). */
  readonly record: OutcomeRecord;
  /** The decision with this outcome merged, when the store could look it up. */
  readonly event: RoutingEvent | undefined;
}

/** Options of {@link createTracker}. */
export interface TrackerOptions {
  readonly store: EventStore;
  /** Called for every store or tracking failure (which never fails routing). */
  readonly onError?: (error: MoeRouterError) => void;
  /** Declared experts: `correctedTo` must be one of them. */
  readonly experts?: readonly string[];
  /** Check that an outcome's event id is stored (MOE_NOT_FOUND if not). Default true. */
  readonly verifyOutcomes?: boolean;
}

/** Counters of a tracker. */
export interface TrackerStats {
  /** Decisions handed to the store. */
  readonly decisions: number;
  /** Outcomes recorded. */
  readonly outcomes: number;
  /** Decisions that could not be converted or appended (counted, never thrown). */
  readonly trackingErrors: number;
  readonly store: StoreStats;
}
