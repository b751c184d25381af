/**
 * Public option types of @moe-router/embeddings-use.
 */
import type { Embedder } from "@moe-router/core";

/** Options of {@link useEmbedder}. */
export interface UseEmbedderOptions {
  /** Most texts per model call; concurrent `embed()` calls are coalesced up to this. Default 32. */
  readonly maxBatchSize?: number;
  /**
   * How long a request waits for others before a partial batch runs (ms). Default 0: calls
   * made in the same turn, and calls arriving while a batch runs, are batched anyway.
   */
  readonly maxWaitMs?: number;
  /**
   * Longer texts are cut to this many characters before tokenising. The encoder was trained
   * on sentences, and its tokenizer costs O(length^2) on a very long text. Default 2,000.
   */
  readonly maxChars?: number;
}

/** The Universal Sentence Encoder lite embedder: 512-dimensional, async, L2-normalised. */
export interface UseEmbedder extends Embedder {
  /** "use-lite-v1". */
  readonly id: string;
  /** 512. */
  readonly dimension: number;
  /** Embeds a batch. Text with nothing but whitespace gives a zero vector. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  /** Frees the model's weights; later calls throw MOE_CLOSED. */
  close(): Promise<void>;
}
