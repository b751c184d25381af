/**
 * Public types of @moe-router/layer-rag: the vector store contract, the layer's options,
 * and the document indexer's options and report.
 */
import type { CalibrationReport, Embedder, LabelledExample, Layer, LayerContext, MoeRouterError, PlattScaler, RoutingTask, Verdict } from "@moe-router/core";

/** Where a stored item came from: a past task (with its right expert) or a document chunk. */
export type ItemSource = "task" | "document";

/** One labelled vector to store. */
export interface VectorItem {
  /** Unique key; upserting an existing id replaces the item. */
  readonly id: string;
  /** The embedding; its length must equal the store's dimension, and it must not be all zeros. */
  readonly vector: Float32Array | readonly number[];
  /** The expert this item votes for. */
  readonly expert: string;
  /** The text (or a snippet of it) shown as evidence in verdict details. */
  readonly text: string;
  readonly source: ItemSource;
  /** File path (relative to the indexed directory) for document chunks. */
  readonly path?: string;
  /** Relative vote weight (default 1), e.g. from `LabelledExample.weight`. */
  readonly weight?: number;
}

/** An item found by a query, with its cosine similarity to the query. */
export interface Neighbour {
  readonly id: string;
  readonly expert: string;
  /** Cosine similarity in [-1, 1]. */
  readonly score: number;
  readonly text: string;
  readonly source: ItemSource;
  readonly path?: string;
  readonly weight: number;
}

/**
 * A store of labelled vectors with exact or approximate cosine top-k search.
 * One shared test suite runs against every implementation (embedded, pgvector).
 */
export interface VectorStore {
  /** "embedded", "pgvector", or a third party's name. */
  readonly kind: string;
  /** Vector length the store holds. */
  readonly dimension: number;
  /** Inserts items, replacing items with the same id. */
  upsert(items: readonly VectorItem[]): Promise<void>;
  /** The `k` items most similar to `vector`, best first (ties by id). Empty for a zero vector. */
  query(vector: Float32Array | readonly number[], k: number): Promise<Neighbour[]>;
  /** Number of items stored. */
  count(): Promise<number>;
  /** Removes items by id; resolves to how many were removed. */
  delete?(ids: readonly string[]): Promise<number>;
  /** Ids stored, optionally of one source only (used to prune stale document chunks). */
  ids?(source?: ItemSource): Promise<string[]>;
  /** Makes pending changes durable (the embedded store writes its file). */
  flush?(): Promise<void>;
  /** Flushes and releases the store; later calls fail with MOE_CLOSED. */
  close(): Promise<void>;
}

/** How neighbours' similarities turn into votes. */
export type Weighting =
  /** exp(score / temperature): close neighbours dominate (default). */
  | "softmax"
  /** max(score, 0): votes proportional to similarity. */
  | "linear"
  /** one vote per neighbour (plain k-NN majority). */
  | "uniform";

/**
 * The scalar that Platt scaling maps to a confidence:
 * - "share": the winner's share of the vote;
 * - "margin": winner's share minus the runner-up's;
 * - "share-similarity": share times the winner's best similarity (default: it also drops
 *   when even the nearest neighbours are far away).
 */
export type ConfidenceFeature = "share" | "margin" | "share-similarity";

/** Options of {@link ragLayer}. */
export interface RagLayerOptions {
  /** Turns task texts into vectors. Its `dimension` must match the store's. */
  readonly embedder: Embedder;
  /** Where labelled vectors live. Default: an in-memory embedded store (nothing persisted). */
  readonly store?: VectorStore;
  /** Neighbours retrieved per task. Default 8. */
  readonly k?: number;
  /** How neighbours vote. Default "softmax". */
  readonly weighting?: Weighting;
  /** Temperature of the "softmax" weighting. Default 0.1. */
  readonly temperature?: number;
  /** Neighbours less similar than this are ignored. Default 0. */
  readonly minSimilarity?: number;
  /** Which scalar the calibration maps to a confidence. Default "share-similarity". */
  readonly confidenceFeature?: ConfidenceFeature;
  /** A fitted Platt scaler (from `calibrate()`); without one the raw feature is the confidence. */
  readonly calibration?: PlattScaler;
  /**
   * JSON file the scaler is kept in: read at creation (unless `calibration` is given; a file
   * fitted for another `confidenceFeature` is ignored) and written atomically by every
   * `calibrate()`, so a calibration survives restarts. Absent or `false`: nothing is read or
   * written. In a config (`createLayer`) it is relative to the data directory and defaults to
   * `rag-<name>.calibration.json`.
   */
  readonly calibrationFile?: string | false;
  /** Receives non-fatal problems (an unreadable calibration file: MOE_CORRUPT_FILE). Default `process.emitWarning`. */
  readonly onWarning?: (warning: MoeRouterError) => void;
  /** Layer name. Default "rag". */
  readonly name?: string;
  /** Expert reported (with confidence 0) when no neighbour qualifies. Default "coordinator-master". */
  readonly fallbackExpert?: string;
  /** @deprecated Renamed `fallbackExpert` (accepted with a MOE_DEPRECATED_OPTION warning). */
  readonly defaultExpert?: string;
  /** Only these experts may be answered; neighbours of others are ignored. Default: any. */
  readonly experts?: readonly string[];
  /** Characters of each neighbour's text kept in verdict details. Default 160. */
  readonly snippetLength?: number;
}

/** The RAG layer: a {@link Layer} with calibration and access to its store. */
export interface RagLayer extends Layer {
  /** The store the layer reads and learns into. */
  readonly store: VectorStore;
  route(task: RoutingTask, context: LayerContext): Promise<Verdict>;
  /** Embeds the examples and upserts them as "task" items (same text = same item), then flushes. */
  learn(examples: readonly LabelledExample[]): Promise<void>;
  /** Closes the store (the layer owns it); the embedder is left to its owner. */
  close(): Promise<void>;
  /**
   * Fits Platt scaling of the confidence feature on held-out labelled examples (not in the
   * store) and uses it from now on (and saves it to `calibrationFile`, when set). Throws
   * MOE_INSUFFICIENT_DATA when the layer gets all (or none) of them right.
   */
  calibrate(validation: readonly LabelledExample[]): Promise<CalibrationReport<PlattScaler>>;
  /** The Platt scaler in force, if any (persist it as the `calibration` option). */
  readonly calibration: PlattScaler | undefined;
}

/** One CODEOWNERS-style rule: files matching `pattern` belong to `expert` (undefined = unowned). */
export interface OwnerRule {
  readonly pattern: string;
  readonly expert: string | undefined;
  /** 1-based line in the owners file, for messages. */
  readonly line: number;
}

/** Progress callback: `done` of `total` files processed. */
export type ProgressCallback = (done: number, total: number, path: string) => void;

/** Options of {@link indexDirectory}. */
export interface IndexDirectoryOptions {
  readonly embedder: Embedder;
  readonly store: VectorStore;
  /** CODEOWNERS-style text, or parsed rules: pattern -> expert; the last matching rule wins. */
  readonly owners: string | readonly OwnerRule[];
  /** Only files matching one of these globs are indexed. Default: all files. */
  readonly include?: readonly string[];
  /** Files matching these globs are skipped. Default: `.git/`, `node_modules/`. */
  readonly exclude?: readonly string[];
  /** Lines per chunk. Default 40. */
  readonly chunkLines?: number;
  /** Files larger than this (bytes) are skipped. Default 1 MiB. */
  readonly maxFileBytes?: number;
  /** Texts embedded per batch. Default 32. */
  readonly batchSize?: number;
  /** Prefix of document ids; previous chunks under it that no longer exist are deleted. Default "doc:". */
  readonly idPrefix?: string;
  /** Delete chunks of files no longer present or shorter than before. Default true. */
  readonly prune?: boolean;
  readonly onProgress?: ProgressCallback;
}

/** What {@link indexDirectory} did. */
export interface IndexReport {
  /** Files seen in the directory tree (after include/exclude). */
  readonly files: number;
  /** Files indexed. */
  readonly indexed: number;
  /** Chunks written to the store. */
  readonly chunks: number;
  /** Files skipped, by reason. */
  readonly skipped: { readonly noOwner: number; readonly binary: number; readonly tooLarge: number; readonly empty: number };
  /** Stale chunks deleted from earlier runs. */
  readonly pruned: number;
  /** Chunks per expert. */
  readonly byExpert: Readonly<Record<string, number>>;
}
