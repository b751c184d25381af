/**
 * Public option and state types of @moe-router/embeddings.
 */
import type { Embedder } from "@moe-router/core";

/** An inclusive range of n-gram lengths, e.g. `[1, 2]` for unigrams and bigrams. */
export type NgramRange = readonly [min: number, max: number];

/**
 * Document frequencies of words, as counted over a corpus. IDF weights derive from it
 * (`ln((documents + 1) / (frequency + 1)) + 1`), so words found in most texts weigh less.
 */
export interface IdfTable {
  /** Number of documents counted. */
  readonly documents: number;
  /** Word (lower-cased, NFKC) -> number of documents that contain it. */
  readonly frequencies: Readonly<Record<string, number>>;
}

/** Options of {@link hashedEmbedder}. */
export interface HashedEmbedderOptions {
  /** Number of hash buckets = vector length. Default 1024. */
  readonly dimension?: number;
  /** Word n-gram lengths, or `false` for none. Default `[1, 2]`. */
  readonly wordNgrams?: NgramRange | false;
  /**
   * Character n-gram lengths, taken inside each word padded as `<word>`, or `false` for
   * none. They make typos and inflections ("deploy"/"deployed") land near each other.
   * Default `[3, 5]`.
   */
  readonly charNgrams?: NgramRange | false;
  /** A document-frequency table (e.g. from `exportState()`); or call `fitIdf()` later. */
  readonly idf?: IdfTable;
  /** Hash seed: a different seed gives a different, equally good, bucket layout. Default 0. */
  readonly seed?: number;
}

/** What {@link HashedEmbedder.exportState} writes: enough to rebuild the same embedder. */
export interface HashedEmbedderState {
  readonly format: "moe-router/hashed-embedder";
  readonly version: 1;
  readonly dimension: number;
  readonly wordNgrams: NgramRange | false;
  readonly charNgrams: NgramRange | false;
  readonly seed: number;
  /** Absent when no IDF was fitted (every word weighs 1). */
  readonly idf?: IdfTable;
}

/**
 * The model-free embedder: hashed word and character n-grams, sublinear tf, IDF weights,
 * L2-normalised. Synchronous and deterministic.
 */
export interface HashedEmbedder extends Embedder {
  /** `hashed-v1:d<dim>:w<a>-<b>:c<a>-<b>[:s<seed>]:idf<tag|none>`; changes when IDF is (re)fitted. */
  readonly id: string;
  readonly dimension: number;
  /** Embeds a batch synchronously. A text with no letters or digits gives a zero vector. */
  embed(texts: readonly string[]): Float32Array[];
  /** Counts document frequencies over `corpus` and uses them from now on (replaces any previous table). */
  fitIdf(corpus: Iterable<string>): void;
  /** The IDF table in force, if any. */
  readonly idf: IdfTable | undefined;
  /** Serialisable settings + IDF table; rebuild with `hashedEmbedderFromState`. */
  exportState(): HashedEmbedderState;
}

/** Counters of a {@link CachedEmbedder}. */
export interface CacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly evictions: number;
  /** Entries held now. */
  readonly size: number;
}

/** Options of {@link cachedEmbedder}. */
export interface CachedEmbedderOptions {
  /** Most vectors kept; the least recently used is dropped first. Default 10,000. */
  readonly maxEntries?: number;
}

/** An embedder wrapped with an LRU cache keyed by text. */
export interface CachedEmbedder<Inner extends Embedder = Embedder> extends Embedder {
  /** The wrapped embedder. */
  readonly inner: Inner;
  /** Hit/miss/eviction counters since creation or the last `clear()`. */
  stats(): CacheStats;
  /** Drops every entry and resets the counters. */
  clear(): void;
}

/** Options of {@link batchingEmbedder}. */
export interface BatchingEmbedderOptions {
  /** Most texts sent to the inner embedder in one call. Default 32. */
  readonly maxBatchSize?: number;
  /**
   * How long a request waits for company before a partial batch is sent (ms). Default 0:
   * the batch goes out on the next microtask, which still gathers every call made in the
   * same synchronous turn (e.g. `Promise.all(texts.map(...))`) and adds no timer latency.
   */
  readonly maxWaitMs?: number;
  /**
   * Most batches running at once. Default 1: a model already uses the CPU fully, and texts
   * that arrive while a batch runs gather into the next one (dynamic batching).
   */
  readonly maxConcurrentBatches?: number;
}

/** Counters of a {@link BatchingEmbedder}. */
export interface BatchingStats {
  /** Calls made to the inner embedder. */
  readonly batches: number;
  /** Texts sent in those calls. */
  readonly texts: number;
  /** Calls received. */
  readonly requests: number;
}

/** An embedder whose concurrent `embed()` calls are coalesced into batches. */
export interface BatchingEmbedder<Inner extends Embedder = Embedder> extends Embedder {
  readonly inner: Inner;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  /** Sends whatever is queued now (as batch slots allow), without waiting for `maxWaitMs`. */
  flush(): void;
  stats(): BatchingStats;
  /** Waits for queued and running batches, then closes the inner embedder. */
  close(): Promise<void>;
}

/** Options of `createEmbedder` (the config-file entry point). */
export interface EmbedderConfig extends HashedEmbedderOptions {
  /** Only "hashed" lives in this package. Default "hashed". */
  readonly kind?: "hashed";
  /** Keep an LRU cache of this many vectors (0 or absent: no cache). */
  readonly cache?: number;
  /**
   * A JSON file written from `exportState()`, relative to the environment's `dataDir`
   * unless absolute. Its settings and IDF table are used; other settings must not be given.
   */
  readonly stateFile?: string;
  /** Texts to fit IDF on at start (ignored when `stateFile` or `idf` is given). */
  readonly idfCorpus?: readonly string[];
}

/** Options of {@link combinedEmbedder}. */
export interface CombinedEmbedderOptions {
  /** Relative weight of each part's cosine (one positive number per embedder). Default: equal. */
  readonly weights?: readonly number[];
}
