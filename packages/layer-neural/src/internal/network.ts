/**
 * The head's forward and backward passes: one dense layer (softmax regression) or two
 * with a ReLU between (MLP). A Network owns scratch buffers so training allocates nothing
 * per example; it is therefore not re-entrant (training is synchronous, so that is safe).
 */
import type { DenseLayer } from "../types.js";
import {
  accumulateDense,
  accumulateSparse,
  accumulateSparseColumns,
  affineDense,
  affineSparse,
  affineSparseColumns,
  argmax,
  backpropagate,
  crossEntropy,
  reluInPlace,
  softmaxInto,
  zeroLayer,
  type SparseInput,
} from "./dense.js";
import { gaussian, type Random } from "./random.js";

/** Gradient buffers shaped like the network's layers. */
export interface Gradients {
  readonly weights: Float32Array[];
  readonly biases: Float32Array[];
}

/** Result of one forward(+backward) step. */
export interface StepResult {
  readonly loss: number;
  readonly predicted: number;
}

/**
 * Builds fresh layers. Softmax regression starts at zero (its loss is convex, so the
 * start does not matter and zero is reproducible); the MLP's first layer uses He
 * initialisation (ReLU) and its output layer Glorot, both seeded.
 */
export function initialLayers(dimension: number, classes: number, hidden: number | undefined, random: Random): DenseLayer[] {
  if (hidden === undefined) return [zeroLayer(dimension, classes)];
  const first = zeroLayer(dimension, hidden);
  const heScale = Math.sqrt(2 / dimension);
  for (let i = 0; i < first.weights.length; i++) first.weights[i] = gaussian(random) * heScale;
  const second = zeroLayer(hidden, classes);
  const glorotScale = Math.sqrt(2 / (hidden + classes));
  for (let i = 0; i < second.weights.length; i++) second.weights[i] = gaussian(random) * glorotScale;
  return [first, second];
}

/** Forward/backward over a list of layers whose first input is sparse. */
export class Network {
  readonly layers: DenseLayer[];
  private readonly activations: Float32Array[];
  private readonly deltas: Float32Array[];
  private readonly probabilities: Float64Array;

  /**
   * @param columnMajorFirst the first layer's weights are stored column by column
   *   (transposeLayer): faster for wide sparse inputs; the caller transposes back.
   */
  constructor(
    layers: DenseLayer[],
    readonly columnMajorFirst = false,
  ) {
    if (layers.length < 1 || layers.length > 2) throw new TypeError("Network: expected 1 or 2 layers");
    this.layers = layers;
    this.activations = layers.map((layer) => new Float32Array(layer.outputs));
    this.deltas = layers.map((layer) => new Float32Array(layer.outputs));
    this.probabilities = new Float64Array(layers.at(-1)!.outputs);
  }

  /** Gradient buffers matching the layers, zeroed. */
  createGradients(): Gradients {
    return {
      weights: this.layers.map((layer) => new Float32Array(layer.weights.length)),
      biases: this.layers.map((layer) => new Float32Array(layer.bias.length)),
    };
  }

  /** Logits for one input (a view into scratch space: copy before the next call). */
  logits(input: SparseInput): Float32Array {
    if (this.columnMajorFirst) affineSparseColumns(this.layers[0]!, input, this.activations[0]!);
    else affineSparse(this.layers[0]!, input, this.activations[0]!);
    if (this.layers.length === 1) return this.activations[0]!;
    reluInPlace(this.activations[0]!);
    affineDense(this.layers[1]!, this.activations[0]!, this.activations[1]!);
    return this.activations[1]!;
  }

  /** Loss and prediction for one input, without gradients. */
  evaluate(input: SparseInput, label: number): StepResult {
    const logits = this.logits(input);
    softmaxInto(logits, this.probabilities);
    return { loss: crossEntropy(this.probabilities, label), predicted: argmax(this.probabilities) };
  }

  /**
   * Forward then backward for one example; adds `scale` x d(loss)/d(parameters) into
   * `gradients`. `scale` carries the example's weight divided by the batch's total weight.
   */
  accumulate(input: SparseInput, label: number, scale: number, gradients: Gradients): StepResult {
    const logits = this.logits(input);
    const probabilities = softmaxInto(logits, this.probabilities);
    const result = { loss: crossEntropy(probabilities, label), predicted: argmax(probabilities) };
    const last = this.layers.length - 1;
    // d(cross-entropy)/d(logits) = p - onehot(label).
    const outputDelta = this.deltas[last]!;
    for (let o = 0; o < outputDelta.length; o++) outputDelta[o] = scale * (probabilities[o]! - (o === label ? 1 : 0));
    if (last === 0) {
      this.accumulateFirst(gradients, outputDelta, input);
      return result;
    }
    const hidden = this.activations[0]!;
    accumulateDense(gradients.weights[1]!, gradients.biases[1]!, outputDelta, hidden);
    const hiddenDelta = this.deltas[0]!;
    backpropagate(this.layers[1]!, outputDelta, hiddenDelta);
    // ReLU passes gradient only where the unit was active.
    for (let h = 0; h < hiddenDelta.length; h++) if (hidden[h]! <= 0) hiddenDelta[h] = 0;
    this.accumulateFirst(gradients, hiddenDelta, input);
    return result;
  }

  private accumulateFirst(gradients: Gradients, delta: Float32Array, input: SparseInput): void {
    const first = this.layers[0]!;
    if (this.columnMajorFirst) accumulateSparseColumns(gradients.weights[0]!, gradients.biases[0]!, first.outputs, delta, input);
    else accumulateSparse(gradients.weights[0]!, gradients.biases[0]!, first.inputs, delta, input);
  }
}
