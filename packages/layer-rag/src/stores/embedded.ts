/**
 * The default vector store: every vector in one in-memory Float32 matrix, exact top-k by
 * brute force (a few milliseconds for ~20k items; see the README's figures), optionally
 * persisted to a single file keyed by the embedder's id.
 */
import { existsSync, readFileSync } from "node:fs";
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { decodeIndexFile, encodeIndexFile, writeIndexFile, type RowMeta } from "../internal/index-file.js";
import { checkDimension, checkItem, checkK, closedError, unitVector } from "../internal/items.js";
import { ColumnMatrix } from "../internal/matrix.js";
import { topK } from "../internal/top-k.js";
import type { ItemSource, Neighbour, VectorItem, VectorStore } from "../types.js";

/** Options of {@link embeddedStore}. */
export interface EmbeddedStoreOptions {
  /** Vector length (the embedder's `dimension`). */
  readonly dimension: number;
  /**
   * The embedder's `id`. Written into the file; opening a file written under another id
   * fails with MOE_INVALID_CONFIG, because its vectors mean nothing to this embedder.
   */
  readonly embedderId?: string;
  /** File to load from (if it exists) and to write on `flush()`/`close()`. Omit for memory only. */
  readonly path?: string;
  /** Rows reserved up front. Default 256; the matrix doubles when full. */
  readonly initialCapacity?: number;
}

/** The embedded store: a {@link VectorStore} with its file path and embedder id. */
export interface EmbeddedStore extends VectorStore {
  readonly kind: "embedded";
  readonly path: string | undefined;
  readonly embedderId: string | undefined;
  upsert(items: readonly VectorItem[]): Promise<void>;
  delete(ids: readonly string[]): Promise<number>;
  ids(source?: ItemSource): Promise<string[]>;
  flush(): Promise<void>;
}

function mismatch(path: string, found: string | undefined, expected: string | undefined, what: string): MoeRouterError {
  return new MoeRouterError(
    ErrorCode.INVALID_CONFIG,
    `The RAG index ${path} was built with ${what} ${String(found)}, but the configured embedder has ${String(expected)}. ` +
      "Re-index with the configured embedder (moe-router index <dir> --owners FILE into a fresh store, or delete the file), or configure the embedder it was built with.",
    { data: { path, found, expected } },
  );
}

/**
 * Opens the embedded store. When `path` exists it is read now (synchronously, so a corrupt
 * or mismatched file fails at start-up rather than on the first route).
 *
 * @example
 * const store = embeddedStore({ dimension: embedder.dimension, embedderId: embedder.id, path: ".moe-router/rag/index.moerag" });
 */
export function embeddedStore(options: EmbeddedStoreOptions): EmbeddedStore {
  const { dimension, embedderId, path } = options;
  if (!Number.isInteger(dimension) || dimension < 1) throw new TypeError(`embeddedStore() needs a positive integer dimension; got ${String(dimension)}`);
  const matrix = new ColumnMatrix(dimension, options.initialCapacity ?? 256);
  const rows: RowMeta[] = [];
  const rowOf = new Map<string, number>();
  let dirty = false;
  let closed = false;
  let writing: Promise<void> = Promise.resolve();

  if (path !== undefined && existsSync(path)) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (error) {
      throw new MoeRouterError(ErrorCode.STORE_FAILED, `Cannot read the RAG index ${path}: ${(error as Error).message}.`, { cause: error });
    }
    const contents = decodeIndexFile(bytes, path);
    if (embedderId !== undefined && contents.embedderId !== undefined && contents.embedderId !== embedderId) {
      throw mismatch(path, contents.embedderId, embedderId, "embedder");
    }
    if (contents.dimension !== dimension) throw mismatch(path, `${contents.dimension}`, `${dimension}`, "dimension");
    matrix.reserve(contents.rows.length);
    contents.rows.forEach((meta, row) => {
      matrix.append(contents.vectors.subarray(row * dimension, (row + 1) * dimension));
      rows.push(meta);
      rowOf.set(meta.id, row);
    });
  }

  const assertOpen = () => {
    if (closed) throw closedError("embedded");
  };

  function snapshot(): Buffer {
    const vectors = new Float32Array(rows.length * dimension);
    for (let row = 0; row < rows.length; row++) vectors.set(matrix.read(row), row * dimension);
    return encodeIndexFile({ embedderId, dimension, rows, vectors });
  }

  async function flush(): Promise<void> {
    if (path === undefined || !dirty) return writing;
    // Encode now, synchronously, so later upserts cannot leak into (or tear) this write.
    const bytes = snapshot();
    dirty = false;
    writing = writing.then(() => writeIndexFile(path, bytes));
    return writing;
  }

  return {
    kind: "embedded",
    dimension,
    path,
    embedderId,
    async upsert(items) {
      assertOpen();
      // Validate the whole batch first so a bad item leaves the store unchanged.
      const units = items.map((item) => checkItem(item, dimension));
      items.forEach((item, i) => {
        const meta: RowMeta = {
          id: item.id,
          expert: item.expert,
          text: item.text,
          source: item.source,
          ...(item.path !== undefined ? { path: item.path } : {}),
          weight: item.weight ?? 1,
        };
        const existing = rowOf.get(item.id);
        if (existing === undefined) {
          rowOf.set(item.id, matrix.append(units[i]!));
          rows.push(meta);
        } else {
          matrix.write(existing, units[i]!);
          rows[existing] = meta;
        }
      });
      if (items.length > 0) dirty = true;
    },
    async query(vector, k) {
      assertOpen();
      checkK(k);
      checkDimension(vector, dimension, "The query vector");
      const unit = unitVector(vector);
      if (!unit || rows.length === 0) return [];
      const scores = matrix.dots(unit);
      return topK(scores, rows.length, k, (row) => rows[row]!.id).map((row): Neighbour => {
        const meta = rows[row]!;
        return { ...meta, score: Math.max(-1, Math.min(1, scores[row]!)) };
      });
    },
    async count() {
      assertOpen();
      return rows.length;
    },
    async delete(ids) {
      assertOpen();
      let removed = 0;
      for (const id of ids) {
        const row = rowOf.get(id);
        if (row === undefined) continue;
        // Swap the last row into the hole: O(dimension), and order does not matter (ties go by id).
        const last = rows.length - 1;
        if (row !== last) {
          matrix.move(last, row);
          rows[row] = rows[last]!;
          rowOf.set(rows[row].id, row);
        }
        rows.pop();
        matrix.pop();
        rowOf.delete(id);
        removed++;
      }
      if (removed > 0) dirty = true;
      return removed;
    },
    async ids(source) {
      assertOpen();
      return rows.filter((meta) => source === undefined || meta.source === source).map((meta) => meta.id);
    },
    flush() {
      assertOpen();
      return flush();
    },
    async close() {
      if (closed) return;
      await flush();
      closed = true;
    },
  };
}
