/**
 * PostgreSQL + pgvector store. Takes any client with a pg-compatible `query(sql, params)`
 * (node-postgres Pool/Client, PGlite), so the package needs no driver of its own and the
 * same SQL runs in tests (PGlite's vector extension) and against a real server.
 */
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { checkDimension, checkItem, checkK, closedError, unitVector } from "../internal/items.js";
import { better } from "../internal/top-k.js";
import type { ItemSource, Neighbour, VectorItem, VectorStore } from "../types.js";

/** The part of a PostgreSQL client the store uses (node-postgres and PGlite both fit). */
export interface SqlClient {
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  /** node-postgres Pool/Client. */
  end?(): Promise<void>;
  /** PGlite. */
  close?(): Promise<void>;
}

/** An approximate-nearest-neighbour index to build on the vector column. */
export type PgvectorIndex = "none" | { readonly kind: "hnsw"; readonly m?: number; readonly efConstruction?: number } | { readonly kind: "ivfflat"; readonly lists?: number };

/** Options of {@link pgvectorStore}. */
export interface PgvectorStoreOptions {
  readonly client: SqlClient;
  /** Vector length (the embedder's `dimension`). */
  readonly dimension: number;
  /** Table name (letters, digits, underscores). Default "moe_rag_items". A `<table>_meta` table sits beside it. */
  readonly table?: string;
  /** Recorded in `<table>_meta`; a table built under another embedder id is refused. */
  readonly embedderId?: string;
  /** Index on the vector column. Default "none": exact search, fine up to ~100k rows. */
  readonly index?: PgvectorIndex;
  /** Rows per INSERT statement. Default 200. */
  readonly batchSize?: number;
  /** End/close the client on `close()` (when the store created it). Default false. */
  readonly closeClient?: boolean;
}

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,54}$/;

function storeFailed(what: string, error: unknown): MoeRouterError {
  if (error instanceof MoeRouterError) return error;
  const message = (error as Error)?.message ?? String(error);
  const code = String((error as { code?: unknown })?.code ?? "");
  const hint =
    /vector/i.test(message) && /(extension|type)/i.test(message)
      ? " Is the pgvector extension installed on the server (CREATE EXTENSION vector)?"
      : /^(ECONN|ENOTFOUND|ETIMEDOUT|EAI_)|^28/.test(code) || /connect|timeout|password/i.test(message)
        ? " Check the connection string and that the database is reachable."
        : "";
  return new MoeRouterError(ErrorCode.STORE_FAILED, `pgvector store: ${what} failed: ${message}.${hint}`, { cause: error });
}

/** pgvector's text input form, e.g. "[0.1,0.2]". */
function literal(vector: Float32Array): string {
  return `[${Array.from(vector).join(",")}]`;
}

/**
 * Opens a pgvector-backed store. The schema is created on first use
 * (`CREATE EXTENSION IF NOT EXISTS vector`, the items table, the optional ANN index).
 *
 * @example
 * const store = pgvectorStore({ client: new pg.Pool({ connectionString }), dimension: embedder.dimension, embedderId: embedder.id });
 */
export function pgvectorStore(options: PgvectorStoreOptions): VectorStore & Required<Pick<VectorStore, "delete" | "ids" | "flush">> {
  const { client, dimension } = options;
  const table = options.table ?? "moe_rag_items";
  const batchSize = options.batchSize ?? 200;
  if (!client || typeof client.query !== "function") throw new TypeError("pgvectorStore() needs a client with a query(sql, params) method (a pg Pool or PGlite)");
  if (!Number.isInteger(dimension) || dimension < 1) throw new TypeError(`pgvectorStore() needs a positive integer dimension; got ${String(dimension)}`);
  if (!TABLE_NAME.test(table)) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `pgvector table name "${table}" is not allowed; use letters, digits and underscores (at most 55 characters), e.g. "moe_rag_items".`);
  }
  const meta = `${table}_meta`;
  let ready: Promise<void> | undefined;
  let closed = false;

  async function run(what: string, sql: string, params?: unknown[]): Promise<Record<string, unknown>[]> {
    try {
      return (await client.query(sql, params)).rows;
    } catch (error) {
      throw storeFailed(what, error);
    }
  }

  async function setUp(): Promise<void> {
    await run("creating the vector extension", "CREATE EXTENSION IF NOT EXISTS vector");
    await run(
      "creating the items table",
      `CREATE TABLE IF NOT EXISTS ${table} (id text PRIMARY KEY, expert text NOT NULL, text text NOT NULL, source text NOT NULL, path text, weight double precision NOT NULL DEFAULT 1, embedding vector(${dimension}) NOT NULL)`,
    );
    await run("creating the meta table", `CREATE TABLE IF NOT EXISTS ${meta} (key text PRIMARY KEY, value text NOT NULL)`);
    await run("recording the store settings", `INSERT INTO ${meta} (key, value) VALUES ('dimension', $1), ('embedder_id', $2) ON CONFLICT (key) DO NOTHING`, [
      String(dimension),
      options.embedderId ?? "",
    ]);
    const settings = Object.fromEntries((await run("reading the store settings", `SELECT key, value FROM ${meta}`)).map((row) => [row.key, row.value]));
    const refuse = (what: string, found: unknown, expected: unknown) =>
      new MoeRouterError(
        ErrorCode.INVALID_CONFIG,
        `The pgvector table ${table} was built with ${what} ${String(found)}, but the configured embedder has ${String(expected)}. ` +
          'Re-index with the configured embedder into another table (option "table") or drop this one, or configure the embedder it was built with.',
        { data: { table, found, expected } },
      );
    if (Number(settings.dimension) !== dimension) throw refuse("dimension", settings.dimension, dimension);
    if (options.embedderId !== undefined && settings.embedder_id && settings.embedder_id !== options.embedderId) {
      throw refuse("embedder", settings.embedder_id, options.embedderId);
    }
    const index = options.index ?? "none";
    if (index !== "none") {
      const using =
        index.kind === "hnsw"
          ? `hnsw (embedding vector_cosine_ops) WITH (m = ${Math.trunc(index.m ?? 16)}, ef_construction = ${Math.trunc(index.efConstruction ?? 64)})`
          : `ivfflat (embedding vector_cosine_ops) WITH (lists = ${Math.trunc(index.lists ?? 100)})`;
      await run("creating the vector index", `CREATE INDEX IF NOT EXISTS ${table}_embedding_${index.kind} ON ${table} USING ${using}`);
    }
  }

  async function open(): Promise<void> {
    if (closed) throw closedError("pgvector");
    ready ??= setUp().catch((error: unknown) => {
      ready = undefined; // let a later call retry (e.g. after the server came back)
      throw error;
    });
    await ready;
  }

  return {
    kind: "pgvector",
    dimension,
    async upsert(batch: readonly VectorItem[]) {
      const checked = batch.map((item) => checkItem(item, dimension));
      // One INSERT ... ON CONFLICT may not touch a row twice: keep each id's last item, as
      // upserting them one after another would.
      const last = new Map(batch.map((item, i) => [item.id, i]));
      const items = batch.filter((item, i) => last.get(item.id) === i);
      const units = checked.filter((_, i) => last.get(batch[i]!.id) === i);
      await open();
      for (let start = 0; start < items.length; start += batchSize) {
        const values: string[] = [];
        const params: unknown[] = [];
        for (let i = start; i < Math.min(items.length, start + batchSize); i++) {
          const item = items[i]!;
          const p = params.length;
          values.push(`($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6}, $${p + 7}::vector)`);
          params.push(item.id, item.expert, item.text, item.source, item.path ?? null, item.weight ?? 1, literal(units[i]!));
        }
        await run(
          "upserting items",
          `INSERT INTO ${table} (id, expert, text, source, path, weight, embedding) VALUES ${values.join(", ")} ` +
            "ON CONFLICT (id) DO UPDATE SET expert = EXCLUDED.expert, text = EXCLUDED.text, source = EXCLUDED.source, path = EXCLUDED.path, weight = EXCLUDED.weight, embedding = EXCLUDED.embedding",
          params,
        );
      }
    },
    async query(vector, k) {
      checkK(k);
      checkDimension(vector, dimension, "The query vector");
      await open();
      const unit = unitVector(vector);
      if (!unit) return [];
      // ORDER BY the distance alone so an HNSW/ivfflat index can serve it; ties are ordered by id below.
      const rows = await run("querying neighbours", `SELECT id, expert, text, source, path, weight, 1 - (embedding <=> $1::vector) AS score FROM ${table} ORDER BY embedding <=> $1::vector LIMIT $2`, [
        literal(unit),
        k,
      ]);
      return rows
        .map((row): Neighbour => ({
          id: String(row.id),
          expert: String(row.expert),
          text: String(row.text),
          source: row.source as ItemSource,
          ...(row.path !== null && row.path !== undefined ? { path: String(row.path) } : {}),
          weight: Number(row.weight),
          score: Math.max(-1, Math.min(1, Number(row.score))),
        }))
        .sort((a, b) => (better(a.score, a.id, b.score, b.id) ? -1 : better(b.score, b.id, a.score, a.id) ? 1 : 0));
    },
    async count() {
      await open();
      const [row] = await run("counting items", `SELECT count(*)::int AS n FROM ${table}`);
      return Number(row?.n ?? 0);
    },
    async delete(ids) {
      await open();
      if (ids.length === 0) return 0;
      const rows = await run("deleting items", `DELETE FROM ${table} WHERE id = ANY($1::text[]) RETURNING id`, [[...ids]]);
      return rows.length;
    },
    async ids(source) {
      await open();
      const rows = source === undefined ? await run("listing ids", `SELECT id FROM ${table} ORDER BY id`) : await run("listing ids", `SELECT id FROM ${table} WHERE source = $1 ORDER BY id`, [source]);
      return rows.map((row) => String(row.id));
    },
    async flush() {
      // Every statement commits on its own; nothing is pending.
      if (closed) throw closedError("pgvector");
    },
    async close() {
      if (closed) return;
      closed = true;
      if (options.closeClient) await (client.end?.() ?? client.close?.());
    },
  };
}
