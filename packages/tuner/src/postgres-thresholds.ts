/**
 * Tuned thresholds in PostgreSQL, for many router instances on one database: every write is a
 * new row of `<prefix>_thresholds` (a version number, the whole document and its history
 * entry), so the latest row is in force, the table is the history, and an instance that polls
 * the latest version sees a change within one poll.
 */
import { ErrorCode, MoeRouterError, isMoeRouterError } from "@moe-router/core";
import { parseThresholdsFile, type ThresholdsFile, type ThresholdsHistoryEntry } from "./thresholds-file.js";
import type { ThresholdsStore } from "./thresholds-store.js";
import { createPgPool, redactConnectionString } from "@moe-router/tracker/rules";

/** The part of a `pg` Pool this store uses (so any compatible pool can be passed). */
export interface ThresholdsPool {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  end?(): Promise<void>;
}

/** Options of {@link postgresThresholdsStore}. */
export type PostgresThresholdsStoreOptions = (
  { /** e.g. "postgres://user@127.0.0.1:5432/db" */ readonly connectionString: string } | { /** A pool you own; close() leaves it open. */ readonly pool: ThresholdsPool }
) & {
  /** Table name prefix: `<prefix>_thresholds`. Default "moe_router" (beside the event tables). */
  readonly tablePrefix?: string;
};

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,40}$/;
// Serialises concurrent CREATE TABLE IF NOT EXISTS of several instances starting at once.
const SCHEMA_LOCK = 7_146_532_902;

function invalid(message: string): MoeRouterError {
  return new MoeRouterError(ErrorCode.INVALID_CONFIG, message);
}

/**
 * Opens (creating if absent) the thresholds table `<prefix>_thresholds` on a PostgreSQL
 * server. Connects before resolving, so a bad URL fails at start-up.
 *
 * @example
 * const store = await postgresThresholdsStore({ connectionString: "postgres://moe@db:5432/moe" });
 * await applyProposalToStore(store, proposal); // every instance polling the store picks it up
 * @throws MoeRouterError INVALID_CONFIG for a bad prefix or URL, NOT_FOUND when `pg` is missing, STORE_FAILED when the server cannot be reached.
 */
export async function postgresThresholdsStore(options: PostgresThresholdsStoreOptions): Promise<ThresholdsStore> {
  if (!options || typeof options !== "object") throw invalid('postgresThresholdsStore needs { connectionString: "postgres://..." } or { pool }.');
  const prefix = options.tablePrefix ?? "moe_router";
  if (typeof prefix !== "string" || !IDENTIFIER.test(prefix))
    throw invalid(`postgresThresholdsStore: tablePrefix must be a lower-case SQL identifier such as "moe_router"; got ${JSON.stringify(prefix)}.`);
  const table = `${prefix}_thresholds`;
  let pool: ThresholdsPool;
  let location: string;
  const ownPool = !("pool" in options && options.pool);
  if ("pool" in options && options.pool) {
    if (typeof options.pool.query !== "function") throw invalid("postgresThresholdsStore: pool must be a pg Pool (an object with query()).");
    pool = options.pool;
    location = "PostgreSQL pool";
  } else {
    const url = (options as { connectionString?: unknown }).connectionString;
    if (typeof url !== "string" || !/^postgres(ql)?:\/\//.test(url)) throw invalid('postgresThresholdsStore: connectionString must be a URL such as "postgres://user@127.0.0.1:5432/db".');
    // The tracker's pool set-up (timeouts on both sides, pg imported on first use): one owner for it.
    location = redactConnectionString(url);
    pool = await createPgPool({ connectionString: url, max: 2, neededBy: "@moe-router/tuner" });
  }
  const description = `${location} (table ${table})`;
  const failed = (action: string, error: unknown): MoeRouterError =>
    isMoeRouterError(error)
      ? error
      : new MoeRouterError(
          ErrorCode.STORE_FAILED,
          `${action} thresholds in ${description} failed: ${(error as Error).message}. Check that the server is running and the URL, user and database are right.`,
          { cause: error },
        );
  const query = async (action: string, text: string, values?: unknown[]) => {
    try {
      return (await pool.query(text, values)).rows;
    } catch (error) {
      throw failed(action, error);
    }
  };

  try {
    await pool.query(`SELECT pg_advisory_xact_lock(${SCHEMA_LOCK});
CREATE TABLE IF NOT EXISTS ${table} (
  version bigserial PRIMARY KEY,
  written_at timestamptz NOT NULL DEFAULT now(),
  document jsonb NOT NULL,
  history jsonb NOT NULL
);`);
  } catch (error) {
    if (ownPool) await pool.end?.().catch(() => undefined);
    throw failed("Opening", error);
  }

  let closed = false;
  const open = () => {
    if (closed) throw new MoeRouterError(ErrorCode.CLOSED, `The thresholds store ${description} was closed; open a new one.`);
  };
  return {
    kind: "postgres",
    description,
    historyDescription: description,
    async read() {
      open();
      const [row] = await query("Reading", `SELECT version::text AS version, document::text AS document FROM ${table} ORDER BY version DESC LIMIT 1`);
      return row ? parseThresholdsFile(row.document as string, `${description} version ${row.version as string}`) : undefined;
    },
    async revision() {
      open();
      const [row] = await query("Reading", `SELECT max(version)::text AS version FROM ${table}`);
      return (row?.version as string | null) ?? undefined;
    },
    async write(file: ThresholdsFile, entry: ThresholdsHistoryEntry) {
      open();
      parseThresholdsFile(JSON.stringify(file), description); // never write what we would refuse to read
      await query("Writing", `INSERT INTO ${table} (document, history) VALUES ($1::jsonb, $2::jsonb)`, [JSON.stringify(file), JSON.stringify(entry)]);
    },
    async history() {
      open();
      const rows = await query("Reading", `SELECT history::text AS history FROM ${table} ORDER BY version`);
      return rows.map((row) => JSON.parse(row.history as string) as ThresholdsHistoryEntry);
    },
    async close() {
      if (closed) return;
      closed = true;
      if (ownPool) await pool.end?.().catch(() => undefined);
    },
  };
}
