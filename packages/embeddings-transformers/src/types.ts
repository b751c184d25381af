/**
 * Public option types of @moe-router/embeddings-transformers.
 */
import type { Embedder } from "@moe-router/core";

/** Options of {@link transformersEmbedder}. Give `modelDir`, or `model` (with `localModelPath` and/or `cacheDir`). */
export interface TransformersEmbedderOptions {
  /**
   * A directory holding a sentence-transformers model exported to ONNX, as
   * `optimum-cli export onnx` or the Xenova/* repos lay it out: config.json, tokenizer.json,
   * tokenizer_config.json and onnx/model.onnx (onnx/model_quantized.onnx with `quantized`).
   */
  readonly modelDir?: string;
  /** A Hugging Face model id (e.g. "Xenova/all-MiniLM-L6-v2"), looked up locally: never downloaded. */
  readonly model?: string;
  /** Directory that holds `<model>/...` (what transformers.js calls `env.localModelPath`); looked in first. */
  readonly localModelPath?: string;
  /** A transformers.js file cache directory (`env.cacheDir`) that holds `<model>/...` from an earlier download; looked in second. */
  readonly cacheDir?: string;
  /** How token states become one vector: "mean" over real tokens (attention mask) or the first ("cls") token. Default "mean". */
  readonly pooling?: "mean" | "cls";
  /** L2-normalise the pooled vector. Default true (core's Embedder contract expects unit vectors). */
  readonly normalize?: boolean;
  /** Load onnx/model_quantized.onnx (int8 weights: ~4x smaller, usually faster on CPU). Default false. */
  readonly quantized?: boolean;
  /** Longest input in tokens; longer texts are truncated. Default: the tokenizer's model_max_length, at most 512. */
  readonly maxTokens?: number;
  /** Most texts per model call; concurrent `embed()` calls are coalesced up to this. Default 32. */
  readonly maxBatchSize?: number;
  /**
   * How long a request waits for others before a partial batch runs (ms). Default 0: calls
   * made in the same turn, and calls arriving while a batch runs, are batched anyway.
   */
  readonly maxWaitMs?: number;
}

/** A transformers.js sentence embedder. */
export interface TransformersEmbedder extends Embedder {
  /** `transformers-v1:<name>:<content hash>:<pooling>[:norm][:q8]`: changes when the model files change. */
  readonly id: string;
  /** The model's hidden size. */
  readonly dimension: number;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  /** Releases the ONNX Runtime session; later calls throw MOE_CLOSED. */
  close(): Promise<void>;
}
