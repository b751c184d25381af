/** Embedders for the benchmark: optional ones are loaded when their package works here. */
import type { Embedder } from "@moe-router/core";

/** An embedder to measure, with the data limits its speed calls for. */
export interface BenchEmbedder {
  readonly name: string;
  readonly embedder: MemoisedEmbedder;
  /** Test rows routed (seeded sample); 0 = the whole test split. */
  readonly testLimit: number;
  /** Train rows kept per label (seeded); 0 = all. */
  readonly trainPerLabel: number;
}

/** Optional embedders that loaded, and notes on the ones that did not. */
export interface OptionalEmbedders {
  readonly embedders: BenchEmbedder[];
  readonly notes: string[];
}

/**
 * Universal Sentence Encoder lite, when @moe-router/embeddings-use loads offline. It embeds
 * ~30 texts/s on a shared 2-core machine (TF.js WebAssembly), so 20k texts would take over
 * ten minutes: its train split is capped per label and its test split subsampled (both
 * seeded; SEMANTIC_BENCH_USE_PER_LABEL / SEMANTIC_BENCH_USE_TEST change the caps).
 */
export async function loadOptionalEmbedders(): Promise<OptionalEmbedders> {
  const embedders: BenchEmbedder[] = [];
  const notes: string[] = [];
  try {
    // Imported lazily: its model runtime must not load (or fail) before the hashed runs.
    const { useEmbedder } = await import("@moe-router/embeddings-use");
    const embedder = await useEmbedder();
    await embedder.embed(["warm-up"]);
    embedders.push({
      name: "use-lite",
      embedder: memoised(embedder),
      testLimit: Number(process.env.SEMANTIC_BENCH_USE_TEST ?? 500),
      trainPerLabel: Number(process.env.SEMANTIC_BENCH_USE_PER_LABEL ?? 30),
    });
  } catch (error) {
    notes.push(`USE lite skipped: ${(error as Error).message.split("\n")[0]}`);
  }
  return { embedders, notes };
}

/** An embedder with a memo that can be switched off. */
export interface MemoisedEmbedder extends Embedder {
  /** When true, calls go straight to the embedder (so route latency includes embedding). */
  bypass: boolean;
}

/**
 * Wraps an embedder with an unbounded memo, so comparing layer variants embeds each
 * exemplar once. The id is kept: a cache must not change what the vectors mean. Set
 * `bypass` while routing test rows, or repeated variants would time memo hits.
 */
export function memoised(embedder: Embedder): MemoisedEmbedder {
  const memo = new Map<string, Float32Array>();
  const collect = (texts: readonly string[], fresh: readonly Float32Array[], missing: readonly string[]) => {
    missing.forEach((text, i) => memo.set(text, fresh[i]!));
    return texts.map((text) => memo.get(text)!);
  };
  const wrapper: MemoisedEmbedder = {
    bypass: false,
    get id() {
      return embedder.id;
    },
    dimension: embedder.dimension,
    embed(texts) {
      if (wrapper.bypass) return embedder.embed(texts);
      const missing = [...new Set(texts.filter((text) => !memo.has(text)))];
      if (missing.length === 0) return texts.map((text) => memo.get(text)!);
      const result = embedder.embed(missing);
      return result instanceof Promise ? result.then((fresh) => collect(texts, fresh, missing)) : collect(texts, result, missing);
    },
  };
  return wrapper;
}
