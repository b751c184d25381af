import { ErrorCode, MoeRouterError, type Embedder } from "@moe-router/core";
import { isThenable } from "@moe-router/core/kit";
import type { CombinedEmbedderOptions } from "./types.js";

/**
 * Combines embedders by concatenating their L2-normalised vectors, part i scaled by
 * sqrt(weight_i / sum of weights): the cosine of two combined vectors is the weighted mean of
 * the parts' cosines (score fusion), so words (hashed n-grams) and meaning (a sentence model)
 * both count. Measured best for few exemplars per expert (see @moe-router/layer-semantic's
 * README: hashed + Universal Sentence Encoder lite, equal weights).
 *
 * Synchronous when every part is. The id names the parts and weights and follows their ids
 * (the hashed embedder's changes when IDF is fitted). `close()` closes the parts.
 *
 * @example
 * const embedder = combinedEmbedder([hashedEmbedder(), await useEmbedder()]);
 */
export function combinedEmbedder(parts: readonly Embedder[], options: CombinedEmbedderOptions = {}): Embedder {
  if (!Array.isArray(parts) || parts.length === 0 || parts.some((part) => !part || typeof part.embed !== "function" || !(part.dimension > 0))) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, "combinedEmbedder needs a non-empty array of embedders ({ id, dimension, embed }), e.g. [hashedEmbedder(), await useEmbedder()].");
  }
  const weights = options.weights ?? parts.map(() => 1);
  if (weights.length !== parts.length || weights.some((weight) => !(typeof weight === "number" && Number.isFinite(weight) && weight > 0))) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `combinedEmbedder: "weights" must hold one positive number per embedder (${parts.length}); got ${JSON.stringify(options.weights)}.`, {
      data: { option: "weights" },
    });
  }
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const scales = weights.map((weight) => Math.sqrt(weight / total));
  const dimension = parts.reduce((sum, part) => sum + part.dimension, 0);

  function join(outputs: readonly (readonly Float32Array[])[], count: number): Float32Array[] {
    const vectors: Float32Array[] = [];
    for (let t = 0; t < count; t++) {
      const out = new Float32Array(dimension);
      let offset = 0;
      outputs.forEach((part, p) => {
        const vector = part[t]!;
        let squared = 0;
        for (let i = 0; i < vector.length; i++) squared += vector[i]! * vector[i]!;
        // A part with no signal for this text (a zero vector) adds nothing; the others still count.
        const scale = squared > 0 ? scales[p]! / Math.sqrt(squared) : 0;
        for (let i = 0; i < vector.length; i++) out[offset + i] = vector[i]! * scale;
        offset += parts[p]!.dimension;
      });
      vectors.push(out);
    }
    return vectors;
  }

  return {
    get id() {
      return `combined(${parts.map((part, i) => `${part.id}*${weights[i]}`).join("+")})`;
    },
    dimension,
    embed(texts) {
      const outputs = parts.map((part) => part.embed(texts));
      if (outputs.some(isThenable)) return Promise.all(outputs).then((resolved) => join(resolved, texts.length));
      return join(outputs as Float32Array[][], texts.length);
    },
    async close() {
      for (const part of parts) await part.close?.();
    },
  };
}
