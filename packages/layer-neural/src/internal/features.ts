/**
 * Turns texts into head inputs for each feature kind: the embedder's vector, a sparse
 * TF-IDF vector, or both side by side (TF-IDF terms first, then the embedding's entries).
 */
import type { Embedder, SparseVector, TfidfFeaturizer } from "@moe-router/core";
import { isThenable } from "@moe-router/core/kit";
import type { FeatureKind, HeadInput } from "../types.js";

/** Makes the inputs of one head. */
export interface InputBuilder {
  readonly kind: FeatureKind;
  /** Input length: TF-IDF terms + embedding length. */
  readonly dimension: number;
  readonly usesEmbedder: boolean;
  /** Inputs of `texts`; synchronous unless the embedder is asynchronous. */
  inputs(texts: readonly string[]): HeadInput[] | Promise<HeadInput[]>;
}

/** TF-IDF entries, then the non-zero entries of the embedding shifted past them. */
function concatenate(sparse: SparseVector, dense: ArrayLike<number>): SparseVector {
  let nonZeros = 0;
  for (let i = 0; i < dense.length; i++) if (dense[i] !== 0) nonZeros++;
  const indices = new Int32Array(sparse.indices.length + nonZeros);
  const values = new Float32Array(indices.length);
  indices.set(sparse.indices);
  values.set(sparse.values);
  let k = sparse.indices.length;
  for (let i = 0; i < dense.length; i++) {
    if (dense[i] === 0) continue;
    indices[k] = sparse.dimension + i;
    values[k++] = dense[i]!;
  }
  return { dimension: sparse.dimension + dense.length, indices, values };
}

/** The input builder for `kind` (a TF-IDF kind needs `tfidf`). */
export function inputBuilder(kind: FeatureKind, tfidf: TfidfFeaturizer | undefined, embedder: Embedder): InputBuilder {
  if (kind === "embedding" || !tfidf) {
    return { kind: "embedding", dimension: embedder.dimension, usesEmbedder: true, inputs: (texts) => embedder.embed(texts) };
  }
  if (kind === "tfidf") {
    return { kind, dimension: tfidf.dimension, usesEmbedder: false, inputs: (texts) => texts.map((text) => tfidf.transform(text)) };
  }
  return {
    kind,
    dimension: tfidf.dimension + embedder.dimension,
    usesEmbedder: true,
    inputs(texts) {
      const sparse = texts.map((text) => tfidf.transform(text));
      const dense = embedder.embed(texts);
      return isThenable<Float32Array[]>(dense) ? Promise.resolve(dense).then((vectors) => sparse.map((s, i) => concatenate(s, vectors[i]!))) : sparse.map((s, i) => concatenate(s, dense[i]!));
    },
  };
}

/** Inputs of many texts in batches of 256 (embedders batch internally, but bound memory). */
export async function inputsInBatches(builder: InputBuilder, texts: readonly string[]): Promise<HeadInput[]> {
  const out: HeadInput[] = [];
  for (let start = 0; start < texts.length; start += 256) out.push(...(await builder.inputs(texts.slice(start, start + 256))));
  return out;
}
