/**
 * The Adam optimiser (Kingma & Ba 2015) with L2 regularisation folded into the gradient.
 * Adam suits these heads: hashed features differ wildly in frequency, and per-parameter
 * step sizes let rare n-grams learn as fast as common ones.
 */
import type { DenseLayer } from "../types.js";
import type { Gradients } from "./network.js";

/** Adam settings. */
export interface AdamSettings {
  readonly learningRate: number;
  /** L2 penalty on weights; biases are not penalised (shrinking them only adds bias). */
  readonly l2: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
}

/** Optimiser state for a fixed list of layers. */
export class Adam {
  private readonly firstMoments: Float32Array[];
  private readonly secondMoments: Float32Array[];
  private step = 0;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;

  constructor(
    private readonly layers: readonly DenseLayer[],
    private readonly settings: AdamSettings,
  ) {
    this.beta1 = settings.beta1 ?? 0.9;
    this.beta2 = settings.beta2 ?? 0.999;
    this.epsilon = settings.epsilon ?? 1e-8;
    // Weights then bias of each layer, in one flat list of tensors.
    this.firstMoments = layers.flatMap((layer) => [new Float32Array(layer.weights.length), new Float32Array(layer.bias.length)]);
    this.secondMoments = layers.flatMap((layer) => [new Float32Array(layer.weights.length), new Float32Array(layer.bias.length)]);
  }

  /**
   * Applies one update from `gradients`, then zeroes them for the next batch. With
   * `touchedInputs` (the input columns the batch's sparse inputs used), the first layer's
   * weights are updated "lazily" (as TensorFlow's LazyAdam): only those columns, whose
   * gradients are the only non-zero ones, so a batch costs outputs x touched columns
   * instead of outputs x inputs. Made for wide sparse inputs such as TF-IDF vocabularies.
   */
  update(gradients: Gradients, touchedInputs?: Int32Array, columnMajorFirst = false): void {
    this.step++;
    const correction1 = 1 - this.beta1 ** this.step;
    const correction2 = 1 - this.beta2 ** this.step;
    const stepSize = (this.settings.learningRate * Math.sqrt(correction2)) / correction1;
    this.layers.forEach((layer, index) => {
      if (index === 0 && touchedInputs) this.applyColumns(layer, gradients.weights[0]!, touchedInputs, stepSize, columnMajorFirst);
      else this.apply(layer.weights, gradients.weights[index]!, 2 * index, this.settings.l2, stepSize);
      this.apply(layer.bias, gradients.biases[index]!, 2 * index + 1, 0, stepSize);
    });
  }

  private applyColumns(layer: DenseLayer, gradient: Float32Array, columns: Int32Array, stepSize: number, columnMajor: boolean): void {
    const m = this.firstMoments[0]!;
    const v = this.secondMoments[0]!;
    const parameters = layer.weights;
    const { beta1, beta2, epsilon } = this;
    const l2 = this.settings.l2;
    // Row-major: entry (o, column) is at o x inputs + column; column-major: column x outputs + o.
    const outerStride = columnMajor ? 1 : layer.inputs;
    const columnStride = columnMajor ? layer.outputs : 1;
    for (let o = 0; o < layer.outputs; o++) {
      const row = o * outerStride;
      for (let k = 0; k < columns.length; k++) {
        const i = row + columns[k]! * columnStride;
        const g = gradient[i]! + l2 * parameters[i]!;
        const mi = beta1 * m[i]! + (1 - beta1) * g;
        const vi = beta2 * v[i]! + (1 - beta2) * g * g;
        m[i] = mi;
        v[i] = vi;
        parameters[i]! -= (stepSize * mi) / (Math.sqrt(vi) + epsilon);
        gradient[i] = 0;
      }
    }
  }

  private apply(parameters: Float32Array, gradient: Float32Array, tensor: number, l2: number, stepSize: number): void {
    const m = this.firstMoments[tensor]!;
    const v = this.secondMoments[tensor]!;
    const { beta1, beta2, epsilon } = this;
    for (let i = 0; i < parameters.length; i++) {
      const g = gradient[i]! + l2 * parameters[i]!;
      const mi = beta1 * m[i]! + (1 - beta1) * g;
      const vi = beta2 * v[i]! + (1 - beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      parameters[i]! -= (stepSize * mi) / (Math.sqrt(vi) + epsilon);
      gradient[i] = 0;
    }
  }
}
