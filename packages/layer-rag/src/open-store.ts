/**
 * Opens a vector store from a config string, so a config file, `createLayer` and the
 * `moe-router index` command all read "where the RAG items live" the same way.
 */
import { isAbsolute, join, resolve } from "node:path";
import { ErrorCode, MoeRouterError, type Embedder } from "@moe-router/core";
import { loadPg } from "./internal/load-pg.js";
import { embeddedStore } from "./stores/embedded.js";
import { pgvectorStore, type PgvectorIndex } from "./stores/pgvector.js";
import type { VectorStore } from "./types.js";

/** File name of the embedded store inside `<dataDir>/rag/`. */
export const EMBEDDED_INDEX_FILE = "index.moerag";

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** The embedder whose vectors the store holds (its id and dimension key the store). */
  readonly embedder: Pick<Embedder, "id" | "dimension">;
  /** Base directory: the default store is `<dataDir>/rag/index.moerag`; relative paths resolve here. */
  readonly dataDir: string;
  /** pgvector table name. Default "moe_rag_items". */
  readonly table?: string;
  /** pgvector ANN index. Default "none". */
  readonly index?: PgvectorIndex;
}

/**
 * Opens the store a spec names:
 * - `"embedded"` (default): the embedded store persisted at `<dataDir>/rag/index.moerag`;
 * - `"memory"`: an embedded store that is never written;
 * - `"embedded:<path>"` or a path ending in `.moerag`: the embedded store at that file;
 * - `"postgres://..."` / `"postgresql://..."`: pgvector on that server (needs the `pg` package).
 * The store is usable when the promise resolves (a pgvector connection has been tried).
 */
export async function openStore(spec: string | undefined, options: OpenStoreOptions): Promise<VectorStore> {
  const { embedder, dataDir } = options;
  const keyed = { dimension: embedder.dimension, embedderId: embedder.id };
  const value = spec ?? "embedded";
  if (value === "embedded") return embeddedStore({ ...keyed, path: join(dataDir, "rag", EMBEDDED_INDEX_FILE) });
  if (value === "memory") return embeddedStore(keyed);
  if (value.startsWith("embedded:") || value.endsWith(".moerag")) {
    const file = value.replace(/^embedded:/, "");
    return embeddedStore({ ...keyed, path: isAbsolute(file) ? file : resolve(dataDir, file) });
  }
  if (/^postgres(ql)?:\/\//.test(value)) {
    const pg = await loadPg();
    const client = new pg.Pool({ connectionString: value, max: 4 });
    const store = pgvectorStore({
      client,
      ...keyed,
      closeClient: true,
      ...(options.table !== undefined ? { table: options.table } : {}),
      ...(options.index !== undefined ? { index: options.index } : {}),
    });
    try {
      await store.count(); // connect and create the schema now, so a bad URL fails at start-up
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    return store;
  }
  throw new MoeRouterError(
    ErrorCode.INVALID_CONFIG,
    `Unknown RAG store "${value}". Use "embedded" (the default, under the data directory), "memory", "embedded:<file>", or a "postgres://user:pass@host/db" URL.`,
    { data: { store: value } },
  );
}
