/**
 * An LRU cache in front of any embedder. Routing sees the same texts again and again
 * (retries, replays, exemplars re-embedded at start), so most lookups skip the model.
 */
import type { Embedder } from "@moe-router/core";
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { LruMap } from "./internal/lru.js";
import type { CachedEmbedder, CachedEmbedderOptions, CacheStats } from "./types.js";

class CachedEmbedderImpl<Inner extends Embedder> implements CachedEmbedder<Inner> {
  private readonly lru: LruMap<string, Float32Array>;
  /** Texts whose vectors an async inner embedder is computing now: concurrent callers share them. */
  private readonly pending = new Map<string, Promise<Float32Array>>();
  private hits = 0;
  private misses = 0;
  private evictions = 0;
  /** The inner id the cached vectors belong to; a change (e.g. IDF refit) empties the cache. */
  private cachedFor: string;

  constructor(
    readonly inner: Inner,
    maxEntries: number,
  ) {
    this.lru = new LruMap(maxEntries);
    this.cachedFor = inner.id;
  }

  get id(): string {
    return this.inner.id;
  }

  get dimension(): number {
    return this.inner.dimension;
  }

  embed(texts: readonly string[]): Float32Array[] | Promise<Float32Array[]> {
    if (this.inner.id !== this.cachedFor) {
      this.lru.clear();
      this.pending.clear();
      this.cachedFor = this.inner.id;
    }
    const out: (Float32Array | undefined)[] = new Array(texts.length);
    const waiting: Promise<void>[] = [];
    const missing: string[] = [];
    const missingIndex = new Map<string, number[]>();
    for (let i = 0; i < texts.length; i++) {
      const text = texts[i]!;
      const cached = this.lru.get(text);
      if (cached) {
        this.hits++;
        out[i] = cached.slice(); // copies, so a caller that edits a vector cannot corrupt the cache
        continue;
      }
      const inFlight = this.pending.get(text);
      if (inFlight) {
        this.hits++;
        waiting.push(inFlight.then((vector) => void (out[i] = vector.slice())));
        continue;
      }
      const slots = missingIndex.get(text);
      if (slots) {
        this.hits++;
        slots.push(i);
      } else {
        this.misses++;
        missingIndex.set(text, [i]);
        missing.push(text);
      }
    }
    if (missing.length === 0 && waiting.length === 0) return out as Float32Array[];
    const computed = missing.length === 0 ? [] : this.inner.embed(missing);
    if (!(computed instanceof Promise) && waiting.length === 0) {
      this.store(missing, computed, missingIndex, out);
      return out as Float32Array[];
    }
    return this.finishAsync(missing, computed, missingIndex, out, waiting);
  }

  private async finishAsync(
    missing: string[],
    computed: Float32Array[] | Promise<Float32Array[]>,
    missingIndex: Map<string, number[]>,
    out: (Float32Array | undefined)[],
    waiting: Promise<void>[],
  ): Promise<Float32Array[]> {
    const batch = Promise.resolve(computed);
    const generation = this.cachedFor;
    missing.forEach((text, k) => {
      const one = batch.then((vectors) => vectors[k]!);
      one.catch(() => undefined); // the caller sees the error through `batch`; avoid unhandled rejections
      this.pending.set(text, one);
    });
    try {
      const vectors = await batch;
      if (generation === this.cachedFor) this.store(missing, vectors, missingIndex, out);
      else this.fill(missing, vectors, missingIndex, out);
    } finally {
      for (const text of missing) this.pending.delete(text);
    }
    await Promise.all(waiting);
    return out as Float32Array[];
  }

  private store(missing: string[], vectors: Float32Array[], missingIndex: Map<string, number[]>, out: (Float32Array | undefined)[]): void {
    if (vectors.length !== missing.length) {
      throw new MoeRouterError(ErrorCode.LAYER_FAILED, `Embedder "${this.inner.id}" returned ${vectors.length} vectors for ${missing.length} texts; it must return one per text.`);
    }
    missing.forEach((text, k) => {
      this.evictions += this.lru.set(text, vectors[k]!);
    });
    this.fill(missing, vectors, missingIndex, out);
  }

  private fill(missing: string[], vectors: Float32Array[], missingIndex: Map<string, number[]>, out: (Float32Array | undefined)[]): void {
    missing.forEach((text, k) => {
      for (const i of missingIndex.get(text)!) out[i] = vectors[k]!.slice();
    });
  }

  stats(): CacheStats {
    return { hits: this.hits, misses: this.misses, evictions: this.evictions, size: this.lru.size };
  }

  clear(): void {
    this.lru.clear();
    this.hits = 0;
    this.misses = 0;
    this.evictions = 0;
  }

  close(): void | Promise<void> {
    this.lru.clear();
    return this.inner.close?.();
  }
}

/**
 * Wraps `inner` with an LRU cache of vectors keyed by text. The id and dimension are the
 * inner embedder's; a sync inner embedder stays sync. Returned vectors are copies.
 *
 * @example
 * const embedder = cachedEmbedder(hashedEmbedder(), { maxEntries: 5000 });
 */
export function cachedEmbedder<Inner extends Embedder>(inner: Inner, options: CachedEmbedderOptions = {}): CachedEmbedder<Inner> {
  const maxEntries = options.maxEntries ?? 10_000;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `cachedEmbedder(): "maxEntries" must be a positive integer (got ${String(maxEntries)}); e.g. 10000.`, {
      data: { option: "maxEntries", value: maxEntries },
    });
  }
  return new CachedEmbedderImpl(inner, maxEntries);
}
