/**
 * Dense math on Float32Array for the classifier heads: affine maps, ReLU, softmax and
 * weighted cross-entropy. Inputs are kept as (index, value) lists of their non-zero
 * entries: hashed n-gram embeddings are mostly zeros, so the first layer then costs
 * outputs x non-zeros instead of outputs x dimension. Dense embeddings simply list
 * every entry and take the same path.
 */
import type { SparseVector } from "@moe-router/core";
import type { DenseLayer } from "../types.js";

/** The non-zero entries of an input vector. */
export interface SparseInput {
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

/** True for a sparse vector ({ dimension, indices, values }). */
export function isSparseVector(vector: unknown): vector is SparseVector {
  return typeof vector === "object" && vector !== null && (vector as SparseVector).indices instanceof Int32Array && typeof (vector as SparseVector).dimension === "number";
}

/** Length of a dense or sparse input. */
export function inputLength(vector: ArrayLike<number> | SparseVector): number {
  return isSparseVector(vector) ? vector.dimension : vector.length;
}

/** Lists the non-zero entries of `vector` (a sparse vector is used as it is). */
export function toSparse(vector: ArrayLike<number> | SparseVector): SparseInput {
  if (isSparseVector(vector)) return vector;
  let count = 0;
  for (let i = 0; i < vector.length; i++) if (vector[i] !== 0) count++;
  const indices = new Int32Array(count);
  const values = new Float32Array(count);
  let k = 0;
  for (let i = 0; i < vector.length; i++) {
    const value = vector[i]!;
    if (value !== 0) {
      indices[k] = i;
      values[k++] = value;
    }
  }
  return { indices, values };
}

/** A layer with zero weights and biases. */
export function zeroLayer(inputs: number, outputs: number): DenseLayer {
  return { inputs, outputs, weights: new Float32Array(inputs * outputs), bias: new Float32Array(outputs) };
}

/** out = layer.weights x input + layer.bias, for a sparse input. */
export function affineSparse(layer: DenseLayer, input: SparseInput, out: Float32Array): void {
  const { weights, bias, inputs, outputs } = layer;
  const { indices, values } = input;
  const nonZeros = indices.length;
  for (let o = 0; o < outputs; o++) {
    const row = o * inputs;
    let sum = bias[o]!;
    for (let k = 0; k < nonZeros; k++) sum += weights[row + indices[k]!]! * values[k]!;
    out[o] = sum;
  }
}

/** out = layer.weights x input + layer.bias, for a dense input. */
export function affineDense(layer: DenseLayer, input: ArrayLike<number>, out: Float32Array): void {
  const { weights, bias, inputs, outputs } = layer;
  for (let o = 0; o < outputs; o++) {
    const row = o * inputs;
    let sum = bias[o]!;
    for (let i = 0; i < inputs; i++) sum += weights[row + i]! * input[i]!;
    out[o] = sum;
  }
}

/** ReLU in place. */
export function reluInPlace(values: Float32Array): void {
  for (let i = 0; i < values.length; i++) if (values[i]! < 0) values[i] = 0;
}

/**
 * Writes softmax(logits / temperature) into `out` (Float64 so tiny probabilities keep
 * their precision for the log-loss) and returns it.
 */
export function softmaxInto(logits: ArrayLike<number>, out: Float64Array, temperature = 1): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]! / temperature);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    const e = Math.exp(logits[i]! / temperature - max);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < logits.length; i++) out[i]! /= sum;
  return out;
}

/** Cross-entropy of the true class under a probability vector (clamped away from log 0). */
export function crossEntropy(probabilities: ArrayLike<number>, label: number): number {
  return -Math.log(Math.max(probabilities[label]!, 1e-12));
}

/** Index of the largest value (first on ties). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** Gradient accumulation for a sparse input: gradWeights += delta (x) input, gradBias += delta. */
export function accumulateSparse(gradWeights: Float32Array, gradBias: Float32Array, inputs: number, delta: Float32Array, input: SparseInput): void {
  const { indices, values } = input;
  const nonZeros = indices.length;
  for (let o = 0; o < delta.length; o++) {
    const d = delta[o]!;
    if (d === 0) continue;
    gradBias[o]! += d;
    const row = o * inputs;
    for (let k = 0; k < nonZeros; k++) gradWeights[row + indices[k]!]! += d * values[k]!;
  }
}

/** Gradient accumulation for a dense input (hidden activations). */
export function accumulateDense(gradWeights: Float32Array, gradBias: Float32Array, delta: Float32Array, input: Float32Array): void {
  const inputs = input.length;
  for (let o = 0; o < delta.length; o++) {
    const d = delta[o]!;
    if (d === 0) continue;
    gradBias[o]! += d;
    const row = o * inputs;
    for (let i = 0; i < inputs; i++) gradWeights[row + i]! += d * input[i]!;
  }
}

/** out = weights^T x delta: the gradient flowing back into a layer's (dense) input. */
export function backpropagate(layer: DenseLayer, delta: Float32Array, out: Float32Array): void {
  const { weights, inputs } = layer;
  out.fill(0);
  for (let o = 0; o < delta.length; o++) {
    const d = delta[o]!;
    if (d === 0) continue;
    const row = o * inputs;
    for (let i = 0; i < inputs; i++) out[i]! += weights[row + i]! * d;
  }
}

/** Deep copy of a layer's parameters. */
export function copyLayer(layer: DenseLayer): DenseLayer {
  return { inputs: layer.inputs, outputs: layer.outputs, weights: layer.weights.slice(), bias: layer.bias.slice() };
}

/**
 * The same layer with its weights stored column by column ([inputs][outputs]): for a wide
 * sparse input, the weights of one input entry are then contiguous, so an affine map walks
 * nonZeros short runs instead of making outputs x nonZeros scattered reads (cache misses
 * dominated training over TF-IDF vocabularies).
 */
export function transposeLayer(layer: DenseLayer): DenseLayer {
  const { inputs, outputs, weights } = layer;
  const out = new Float32Array(weights.length);
  for (let o = 0; o < outputs; o++) for (let i = 0; i < inputs; i++) out[i * outputs + o] = weights[o * inputs + i]!;
  return { inputs, outputs, weights: out, bias: layer.bias.slice() };
}

/** Inverse of {@link transposeLayer}. */
export function untransposeLayer(layer: DenseLayer): DenseLayer {
  const { inputs, outputs, weights } = layer;
  const out = new Float32Array(weights.length);
  for (let i = 0; i < inputs; i++) for (let o = 0; o < outputs; o++) out[o * inputs + i] = weights[i * outputs + o]!;
  return { inputs, outputs, weights: out, bias: layer.bias.slice() };
}

/** out = W x input + bias for a sparse input and column-major weights (see {@link transposeLayer}). */
export function affineSparseColumns(layer: DenseLayer, input: SparseInput, out: Float32Array): void {
  const { weights, bias, outputs } = layer;
  const { indices, values } = input;
  out.set(bias);
  for (let k = 0; k < indices.length; k++) {
    const base = indices[k]! * outputs;
    const value = values[k]!;
    for (let o = 0; o < outputs; o++) out[o]! += weights[base + o]! * value;
  }
}

/** Gradient accumulation for a sparse input into column-major weight gradients. */
export function accumulateSparseColumns(gradWeights: Float32Array, gradBias: Float32Array, outputs: number, delta: Float32Array, input: SparseInput): void {
  const { indices, values } = input;
  for (let o = 0; o < outputs; o++) gradBias[o]! += delta[o]!;
  for (let k = 0; k < indices.length; k++) {
    const base = indices[k]! * outputs;
    const value = values[k]!;
    for (let o = 0; o < outputs; o++) gradWeights[base + o]! += delta[o]! * value;
  }
}
