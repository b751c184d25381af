import { ErrorCode, MoeRouterError, isMoeRouterError } from "@moe-router/core";
import { flushOnExit } from "../../internal/exit-hooks.js";
import { pgStatements } from "./sql/statements.js";
import { storableJson } from "./text.js";
import { serialise } from "../../internal/serialise.js";
import { PgWriter } from "./writer.js";
import { pgTimeSeries } from "./pg-series.js";
import { createPgPool } from "./connection.js";
import { pgAnalysis } from "./pg-analysis.js";
import { migrateStatement } from "./sql/migrations.js";
import { StoreState } from "../../internal/store-state.js";
import { checkKnownKeys, checkLimit, checkReadOptions } from "../../internal/validate.js";
import type { Waiter } from "../../internal/write-piece.js";
import type { LogRecord, OutcomeRecord, RoutingEvent } from "../../records.js";
import { normaliseRecord } from "../../read-record.js";
import type { EventStore, PostgresStoreOptions, QueryablePool, ReadOptions, StoredCorrection } from "../../types.js";
import { redactConnectionString } from "../../store-spec.js";

const OPTION_KEYS = [
  "connectionString",
  "pool",
  "tablePrefix",
  "maxBufferedRecords",
  "maxBufferedBytes",
  "highWaterBytes",
  "pageSize",
  "connectTimeoutMs",
  "statementTimeoutMs",
  "analysisTimeoutMs",
  "retryDelayMs",
  "maxRetryDelayMs",
  "closeTimeoutMs",
  "flushTimeoutMs",
];
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,40}$/;

function invalid(message: string): MoeRouterError {
  return new MoeRouterError(ErrorCode.INVALID_CONFIG, message);
}

/** Rejects when `promise` does not settle within `ms` (the pool's own timeouts cover owned pools; this covers any). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    timer.unref?.();
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}

function merge(recordText: string, outcomeText: string | null, issues: { invalidFields: number }, records?: unknown): RoutingEvent | undefined {
  const record = normaliseRecord(JSON.parse(recordText), issues);
  if (record === undefined || record.record_type !== "decision") return undefined;
  if (outcomeText) {
    const outcome = normaliseRecord(JSON.parse(outcomeText), issues) as OutcomeRecord | undefined;
    if (outcome?.record_type === "outcome") {
      record.outcome = outcome.outcome;
      record.outcome_timestamp = outcome.timestamp;
      if (typeof records === "number" && records > 1) record.outcome_records = records;
    }
  }
  return record;
}

function positiveOption(options: Record<string, unknown>, key: string, fallback: number, integer = true): number {
  const value = options[key];
  if (value === undefined) return fallback;
  if (!(typeof value === "number" && Number.isFinite(value) && value > 0 && (!integer || Number.isInteger(value)))) {
    throw invalid(`postgresStore: ${key} must be a positive ${integer ? "integer" : "number"}; got ${String(value)}.`);
  }
  return value;
}

/**
 * A store on a PostgreSQL server, for several machines sharing one log. Decisions go to
 * `<prefix>_decisions` (jsonb record plus indexed event_id, timestamp, routing_layer),
 * outcomes to `<prefix>_outcomes`; tables are created if absent. Same interface and same
 * test suite as {@link jsonlStore}. Connects (and checks the server) before resolving,
 * within `connectTimeoutMs`.
 *
 * Writes survive an outage: a failed batch stays buffered and is retried with exponential
 * backoff (`retryDelayMs` doubling up to `maxRetryDelayMs`) while the buffer has room
 * (`maxBufferedBytes`, exact UTF-8 bytes); past that, appends are dropped and counted. A
 * record the server refuses for its content fails alone, never its batch; U+0000 and lone
 * surrogates, which jsonb cannot hold, are stored as the literal text `\u0000` / `\udXXX`.
 * `close()` retries for at most `closeTimeoutMs`; what is still unwritten then is lost and
 * counted (`stats().failed`), and close() rejects with STORE_FAILED saying how many.
 *
 * @example
 * const store = await postgresStore({ connectionString: "postgres://moe@127.0.0.1:5432/moe" });
 * @throws MoeRouterError NOT_FOUND when `pg` is not installed, STORE_FAILED when the server cannot be reached.
 */
export async function postgresStore(options: PostgresStoreOptions): Promise<EventStore> {
  if (!options || typeof options !== "object") throw invalid('postgresStore needs { connectionString: "postgres://..." } or { pool }.');
  checkKnownKeys(options, OPTION_KEYS, "postgresStore options");
  const prefix = options.tablePrefix ?? "moe_router";
  if (typeof prefix !== "string" || !IDENTIFIER.test(prefix)) throw invalid(`postgresStore: tablePrefix must be a lower-case SQL identifier such as "moe_router"; got ${JSON.stringify(prefix)}.`);
  const raw = options as unknown as Record<string, unknown>;
  const maxBufferedRecords = positiveOption(raw, "maxBufferedRecords", 1_000_000);
  const maxBufferedBytes = positiveOption(raw, "maxBufferedBytes", 64 * 2 ** 20);
  const highWaterBytes = Math.min(positiveOption(raw, "highWaterBytes", 8 * 2 ** 20), maxBufferedBytes);
  const pageSize = positiveOption(raw, "pageSize", 2_000);
  const connectTimeoutMs = positiveOption(raw, "connectTimeoutMs", 5_000);
  const statementTimeoutMs = positiveOption(raw, "statementTimeoutMs", 15_000);
  const analysisTimeoutMs = positiveOption(raw, "analysisTimeoutMs", 600_000);
  const retryDelayMs = positiveOption(raw, "retryDelayMs", 100);
  const maxRetryDelayMs = Math.max(retryDelayMs, positiveOption(raw, "maxRetryDelayMs", 5_000));
  const closeTimeoutMs = positiveOption(raw, "closeTimeoutMs", 10_000);
  const flushTimeoutMs = positiveOption(raw, "flushTimeoutMs", 30_000);
  const ownPool = !("pool" in options && options.pool);
  let description: string;
  let pool: QueryablePool;
  if ("pool" in options && options.pool) {
    if (typeof options.pool.query !== "function") throw invalid("postgresStore: pool must be a pg Pool (an object with query()).");
    pool = options.pool;
    description = `PostgreSQL pool (${prefix}_*)`;
  } else {
    const url = (options as { connectionString?: unknown }).connectionString;
    if (typeof url !== "string" || !/^postgres(ql)?:\/\//.test(url)) throw invalid('postgresStore: connectionString must be a URL such as "postgres://user@127.0.0.1:5432/db".');
    description = `${redactConnectionString(url)} (${prefix}_*)`;
    pool = await createPgPool({ connectionString: url, connectTimeoutMs, statementTimeoutMs });
  }
  const sql = pgStatements(prefix);
  const storeFailure = (action: string, error: unknown): MoeRouterError =>
    isMoeRouterError(error)
      ? error
      : new MoeRouterError(ErrorCode.STORE_FAILED, `${action} ${description} failed: ${(error as Error).message}. Check that the server is running and the URL, user and database are right.`, {
          cause: error,
        });
  // The connection wait plus the statement: the longest a healthy query may take.
  const query = (text: string, values?: unknown[]) => within(pool.query(text, values), connectTimeoutMs + statementTimeoutMs, "The PostgreSQL server");
  const endPool = async () => {
    if (ownPool) await within(Promise.resolve(pool.end?.()), 2_000, "Closing the pool").catch(() => undefined);
  };

  try {
    // Creates the tables, or brings an older schema up to date (forward-only migrations).
    await query(migrateStatement(prefix));
  } catch (error) {
    await endPool();
    throw storeFailure("Connecting to", error);
  }

  const state = new StoreState();
  let retrying = false;
  const writer = new PgWriter({
    insert: async (texts) => void (await query(sql.insertBatch, [`[${texts.join(",")}]`])),
    maxBufferedBytes,
    maxBufferedRecords,
    highWaterBytes,
    retryDelayMs,
    maxRetryDelayMs,
    describe: storeFailure,
    onWritten: (count) => {
      state.written += count;
      retrying = false;
    },
    onFailed: (error, count) => state.fail(error, count),
    onRetry: (error) => {
      // Told once per outage: nothing is lost yet, the records stay buffered.
      if (retrying) return;
      retrying = true;
      state.fail(new MoeRouterError(ErrorCode.STORE_FAILED, `${error.message} Retrying with backoff; ${writer.pending} record(s) are buffered meanwhile.`, { cause: error }), 0);
    },
  });

  function add(record: LogRecord, waiter?: Waiter): MoeRouterError | undefined {
    if (state.closed) {
      const error = new MoeRouterError(ErrorCode.CLOSED, `The store ${description} was closed; open a new store to record more.`);
      state.fail(error, 1, "dropped");
      return error;
    }
    // Checked here so one bad record cannot make a whole batch's INSERT fail.
    const kind = record?.record_type;
    if ((kind !== "decision" && kind !== "outcome") || typeof record.event_id !== "string" || !Number.isFinite(Date.parse(record.timestamp))) {
      const error = new MoeRouterError(ErrorCode.STORE_FAILED, "A record needs record_type decision|outcome, an event_id and an ISO-8601 timestamp; it was not stored.");
      state.fail(error, 1);
      return error;
    }
    let text: string;
    try {
      text = storableJson(serialise(record));
    } catch (error) {
      const failure = new MoeRouterError(ErrorCode.STORE_FAILED, `A record could not be serialised (${(error as Error).message}); task metadata and layer details must be JSON-serialisable.`, {
        cause: error,
      });
      state.fail(failure, 1);
      return failure;
    }
    if (!writer.append(text, waiter)) {
      const error = new MoeRouterError(
        ErrorCode.STORE_FAILED,
        `The write buffer for ${description} is full (${maxBufferedBytes} bytes: the server is slower than routing, or unreachable); records are dropped until it drains. Raise maxBufferedBytes, or await cascade.route() so routing waits for the server.`,
      );
      state.fail(error, 1, "dropped");
      return error;
    }
    state.appended++;
    return undefined;
  }

  /** Waits (at most `timeoutMs`) for what was appended so far; rejects when some of it was lost or is still unwritten. */
  async function settle(timeoutMs: number): Promise<void> {
    const unsettled = await writer.settle(timeoutMs);
    if (writer.failedSinceFlush > 0) {
      const count = writer.failedSinceFlush;
      writer.failedSinceFlush = 0;
      throw new MoeRouterError(ErrorCode.STORE_FAILED, `${count} record(s) could not be written: ${writer.lastFailure?.message ?? "unknown error"}`, { cause: writer.lastFailure, data: { count } });
    }
    if (unsettled > 0) {
      throw new MoeRouterError(
        ErrorCode.STORE_FAILED,
        `${unsettled} record(s) are not written to ${description} yet (the server did not take them within ${timeoutMs} ms); they stay buffered and are retried.`,
        { cause: writer.lastFailure, data: { count: unsettled } },
      );
    }
  }

  // Process exit cannot wait for the network: only the asynchronous beforeExit flush applies.
  // It keeps the process alive while it retries, for closeTimeoutMs at most, as close() does.
  const exitFlush = async () => {
    writer.giveUpAfter(Date.now() + closeTimeoutMs);
    const keepAlive = setInterval(() => undefined, 1_000);
    try {
      await writer.settle(closeTimeoutMs + 1_000);
    } finally {
      clearInterval(keepAlive);
    }
  };
  const unregister = flushOnExit({
    flush: exitFlush,
    flushSync: () => undefined,
    get buffered() {
      return writer.pending;
    },
  });

  async function* read(readOptions: ReadOptions = {}, size = pageSize): AsyncGenerator<RoutingEvent> {
    checkReadOptions(readOptions);
    await writer.settle(statementTimeoutMs);
    const counts = { tornLines: 0, invalidRecords: 0, invalidFields: 0, duplicates: 0 };
    let before: string | null = null;
    try {
      for (;;) {
        let rows: Record<string, unknown>[];
        try {
          ({ rows } = await query(sql.readPage, [readOptions.since ?? null, readOptions.until ?? null, before, size]));
        } catch (error) {
          throw storeFailure("Reading from", error);
        }
        for (const row of rows) {
          const event = merge(row.record as string, row.outcome as string | null, counts, row.records);
          if (event === undefined) counts.invalidRecords++;
          else yield event;
        }
        if (rows.length < size) return;
        before = rows[rows.length - 1]!.seq as string;
      }
    } finally {
      state.recordReadCounts(counts);
    }
  }

  return {
    description,
    append(record: LogRecord) {
      void add(record);
    },
    async appendDurable(record: LogRecord) {
      await writer.whenWritable(flushTimeoutMs);
      let waiter: Waiter | undefined;
      const durable = new Promise<void>((resolve, reject) => (waiter = { resolve, reject }));
      const refused = add(record, waiter);
      if (refused) throw refused;
      const timer = setTimeout(
        () =>
          waiter!.reject(
            new MoeRouterError(ErrorCode.STORE_FAILED, `The record was not written to ${description} within ${flushTimeoutMs} ms; it stays buffered and is retried, but is not acknowledged.`),
          ),
        flushTimeoutMs,
      );
      timer.unref?.();
      try {
        await durable;
      } finally {
        clearTimeout(timer);
      }
    },
    whenWritable: () => writer.whenWritable(statementTimeoutMs),
    flush: () => settle(flushTimeoutMs),
    read: (readOptions?: ReadOptions) => read(readOptions),
    async recentEvents(limit: number) {
      checkLimit(limit);
      if (limit === 0) return [];
      const events: RoutingEvent[] = [];
      for await (const event of read({}, Math.min(limit, pageSize))) {
        events.push(event);
        if (events.length >= limit) break;
      }
      return events;
    },
    async get(eventId: string) {
      if (typeof eventId !== "string" || eventId === "") throw invalid("get() needs an event id (the event_id printed by `moe-router route`).");
      await writer.settle(statementTimeoutMs);
      let rows: Record<string, unknown>[];
      try {
        ({ rows } = await query(sql.getOne, [eventId]));
      } catch (error) {
        throw storeFailure("Reading from", error);
      }
      const row = rows[0];
      return row ? merge(row.record as string, row.outcome as string | null, { invalidFields: 0 }) : undefined;
    },
    async analyze(analyzerOptions) {
      await writer.settle(statementTimeoutMs);
      return pgAnalysis(pool, prefix, description, analyzerOptions, analysisTimeoutMs);
    },
    async timeSeries(seriesOptions) {
      await writer.settle(statementTimeoutMs);
      return pgTimeSeries(pool, prefix, description, seriesOptions);
    },
    async correctionsAfter(cursor: number, limit: number) {
      if (!Number.isSafeInteger(cursor) || cursor < 0) throw invalid(`correctionsAfter() needs a cursor >= 0 (0, or the cursor of the last correction read); got ${String(cursor)}.`);
      checkLimit(limit);
      if (limit === 0) return { corrections: [], cursor };
      await writer.settle(statementTimeoutMs);
      let rows: Record<string, unknown>[];
      try {
        ({ rows } = await query(sql.correctionsAfter, [cursor, limit]));
      } catch (error) {
        throw storeFailure("Reading corrections from", error);
      }
      const corrections: StoredCorrection[] = [];
      for (const row of rows) {
        const event = merge(row.record as string, row.outcome as string, { invalidFields: 0 });
        if (event !== undefined) corrections.push({ cursor: Number(row.seq), event });
      }
      const last = rows[rows.length - 1];
      return { corrections, cursor: last ? Number(last.seq) : cursor };
    },
    onError: (listener) => state.subscribe(listener),
    stats: () => state.snapshot(writer.pending),
    async close() {
      if (state.closed) return;
      state.closed = true;
      unregister();
      writer.giveUpAfter(Date.now() + closeTimeoutMs);
      try {
        await settle(closeTimeoutMs + 1_000);
      } finally {
        await endPool();
      }
    },
  };
}
