/**
 * Pooling of token states [batch, tokens, hidden] into one vector per text.
 * Mean pooling is what sentence-transformers models are trained with: the mean over
 * the tokens whose attention mask is 1, so padding added to fit a batch never counts.
 */

/** Token states of a batch, as ONNX Runtime returns them (row-major). */
export interface TokenStates {
  readonly data: Float32Array;
  readonly batch: number;
  readonly tokens: number;
  readonly hidden: number;
}

/** Pools `states` into `batch` vectors; `mask[b * tokens + t]` is 1 for a real token. */
export function pool(states: TokenStates, mask: ArrayLike<number | bigint>, pooling: "mean" | "cls", normalize: boolean): Float32Array[] {
  const { data, batch, tokens, hidden } = states;
  const out: Float32Array[] = [];
  for (let b = 0; b < batch; b++) {
    const sum = new Float64Array(hidden);
    let count = 0;
    for (let t = 0; t < (pooling === "cls" ? 1 : tokens); t++) {
      if (pooling === "mean" && Number(mask[b * tokens + t]) === 0) continue;
      count++;
      const offset = (b * tokens + t) * hidden;
      for (let h = 0; h < hidden; h++) sum[h]! += data[offset + h]!;
    }
    // sentence-transformers clamps the token count at 1e-9; a text always has [CLS]/[SEP], so count > 0.
    let scale = 1 / Math.max(count, 1e-9);
    if (normalize) {
      let squares = 0;
      for (let h = 0; h < hidden; h++) squares += (sum[h]! * scale) ** 2;
      scale = squares > 0 ? scale / Math.sqrt(squares) : 0;
    }
    out.push(Float32Array.from(sum, (x) => x * scale));
  }
  return out;
}
