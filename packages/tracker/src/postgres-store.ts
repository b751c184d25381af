import { ErrorCode, MoeRouterError, isMoeRouterError } from "@moe-router/core";
import { flushOnExit } from "./internal/exit-hooks.js";
import { pgStatements } from "./internal/pg-sql.js";
import { serialise } from "./internal/serialise.js";
import { StoreState } from "./internal/store-state.js";
import { checkKnownKeys, checkLimit, checkReadOptions } from "./internal/validate.js";
import type { LogRecord, OutcomeRecord, RoutingEvent } from "./records.js";
import { normaliseRecord } from "./read-record.js";
import type { EventStore, PostgresStoreOptions, QueryablePool, ReadOptions } from "./types.js";

const OPTION_KEYS = ["connectionString", "pool", "tablePrefix", "maxBufferedRecords", "pageSize"];
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,40}$/;
// Records per INSERT statement: one JSON parameter of a few MB at most.
const MAX_BATCH = 5_000;

function invalid(message: string): MoeRouterError {
  return new MoeRouterError(ErrorCode.INVALID_CONFIG, message);
}

/** Imports `pg` on first use: it is an optional peer dependency. */
async function createPool(connectionString: string): Promise<QueryablePool> {
  let module: Record<string, unknown>;
  try {
    module = (await import("pg")) as Record<string, unknown>;
  } catch (error) {
    throw new MoeRouterError(ErrorCode.NOT_FOUND, 'The PostgreSQL store needs the "pg" package, an optional peer dependency of @moe-router/tracker: npm install pg', { cause: error });
  }
  const Pool = ((module.default as Record<string, unknown> | undefined)?.Pool ?? module.Pool) as new (config: object) => QueryablePool & { on(event: string, listener: (error: Error) => void): void };
  const pool = new Pool({ connectionString, max: 4 });
  // An idle client losing its connection must not crash the host process.
  pool.on("error", () => undefined);
  return pool;
}

/** "postgres://user:secret@host/db" -> "postgres://user@host/db": never print passwords. */
function redact(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    url.password = "";
    return url.toString();
  } catch {
    return "PostgreSQL";
  }
}

function merge(recordText: string, outcomeText: string | null): RoutingEvent | undefined {
  const record = normaliseRecord(JSON.parse(recordText));
  if (record === undefined || record.record_type !== "decision") return undefined;
  if (outcomeText) {
    const outcome = normaliseRecord(JSON.parse(outcomeText)) as OutcomeRecord | undefined;
    if (outcome?.record_type === "outcome") {
      record.outcome = outcome.outcome;
      record.outcome_timestamp = outcome.timestamp;
    }
  }
  return record;
}

/**
 * A store on a PostgreSQL server, for several machines sharing one log. Decisions go to
 * `<prefix>_decisions` (jsonb record plus indexed event_id, timestamp, routing_layer),
 * outcomes to `<prefix>_outcomes`; tables are created if absent. Same interface and same
 * test suite as {@link jsonlStore}. Connects (and checks the server) before resolving.
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
    description = `${redact(url)} (${prefix}_*)`;
    pool = await createPool(url);
  }
  for (const key of ["maxBufferedRecords", "pageSize"] as const) {
    const value = options[key];
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) throw invalid(`postgresStore: ${key} must be a positive integer; got ${String(value)}.`);
  }
  const maxBuffered = options.maxBufferedRecords ?? 100_000;
  const pageSize = options.pageSize ?? 2_000;
  const sql = pgStatements(prefix);
  const storeFailure = (action: string, error: unknown): MoeRouterError =>
    isMoeRouterError(error)
      ? error
      : new MoeRouterError(ErrorCode.STORE_FAILED, `${action} ${description} failed: ${(error as Error).message}. Check that the server is running and the URL, user and database are right.`, { cause: error });

  try {
    await pool.query(sql.createTables);
  } catch (error) {
    if (ownPool) await pool.end?.().catch(() => undefined);
    throw storeFailure("Connecting to", error);
  }

  const state = new StoreState();
  let buffer: string[] = [];
  let scheduled = false;
  let tail: Promise<void> = Promise.resolve();
  let failedSinceFlush = 0;
  let lastFailure: MoeRouterError | undefined;

  async function writeBatch(batch: string[]): Promise<void> {
    for (let from = 0; from < batch.length; from += MAX_BATCH) {
      const piece = batch.slice(from, from + MAX_BATCH);
      try {
        await pool.query(sql.insertBatch, [`[${piece.join(",")}]`]);
        state.written += piece.length;
      } catch (error) {
        const failure = storeFailure(`Writing ${piece.length} record(s) to`, error);
        failedSinceFlush += piece.length;
        lastFailure = failure;
        state.fail(failure, piece.length);
      }
    }
  }

  function startWrite(): Promise<void> {
    if (buffer.length > 0) {
      const batch = buffer;
      buffer = [];
      tail = tail.then(() => writeBatch(batch));
    }
    return tail;
  }

  async function flush(): Promise<void> {
    await startWrite();
    if (failedSinceFlush > 0) {
      const count = failedSinceFlush;
      failedSinceFlush = 0;
      throw new MoeRouterError(ErrorCode.STORE_FAILED, `${count} record(s) could not be written: ${lastFailure?.message ?? "unknown error"}`, { cause: lastFailure, data: { count } });
    }
  }

  // Process exit cannot wait for the network: only the asynchronous beforeExit flush applies.
  const unregister = flushOnExit({ flush: () => startWrite(), flushSync: () => undefined, get pending() { return buffer.length; } });

  async function* read(readOptions: ReadOptions = {}, size = pageSize): AsyncGenerator<RoutingEvent> {
    checkReadOptions(readOptions);
    await startWrite();
    let invalidRecords = 0;
    let before: string | null = null;
    try {
      for (;;) {
        let rows: Record<string, unknown>[];
        try {
          ({ rows } = await pool.query(sql.readPage, [readOptions.since ?? null, readOptions.until ?? null, before, size]));
        } catch (error) {
          throw storeFailure("Reading from", error);
        }
        for (const row of rows) {
          const event = merge(row.record as string, row.outcome as string | null);
          if (event === undefined) invalidRecords++;
          else yield event;
        }
        if (rows.length < size) return;
        before = rows[rows.length - 1]!.seq as string;
      }
    } finally {
      state.invalidRecords = invalidRecords;
    }
  }

  return {
    description,
    append(record: LogRecord) {
      if (state.closed) {
        state.fail(new MoeRouterError(ErrorCode.CLOSED, `The store ${description} was closed; open a new store to record more.`), 1, "dropped");
        return;
      }
      if (buffer.length >= maxBuffered) {
        state.fail(new MoeRouterError(ErrorCode.STORE_FAILED, `The write buffer for ${description} is full (the server is slower than routing, or unreachable); records are dropped until it drains.`), 1, "dropped");
        return;
      }
      // Checked here so one bad record cannot make a whole batch's INSERT fail.
      const kind = record?.record_type;
      if ((kind !== "decision" && kind !== "outcome") || typeof record.event_id !== "string" || !Number.isFinite(Date.parse(record.timestamp))) {
        state.fail(new MoeRouterError(ErrorCode.STORE_FAILED, "A record needs record_type decision|outcome, an event_id and an ISO-8601 timestamp; it was not stored."), 1);
        return;
      }
      try {
        buffer.push(serialise(record));
      } catch (error) {
        state.fail(new MoeRouterError(ErrorCode.STORE_FAILED, `A record could not be serialised (${(error as Error).message}); task metadata and layer details must be JSON-serialisable.`, { cause: error }), 1);
        return;
      }
      state.appended++;
      if (!scheduled) {
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          void startWrite();
        });
      }
    },
    flush,
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
      await startWrite();
      let rows: Record<string, unknown>[];
      try {
        ({ rows } = await pool.query(sql.getOne, [eventId]));
      } catch (error) {
        throw storeFailure("Reading from", error);
      }
      const row = rows[0];
      return row ? merge(row.record as string, row.outcome as string | null) : undefined;
    },
    onError: (listener) => state.subscribe(listener),
    stats: () => state.snapshot(buffer.length),
    async close() {
      if (state.closed) return;
      state.closed = true;
      unregister();
      try {
        await flush();
      } finally {
        if (ownPool) await pool.end?.().catch(() => undefined);
      }
    },
  };
}
