/**
 * The training loop: shuffled mini-batches, weighted cross-entropy, Adam, and early
 * stopping on validation loss with the best weights restored at the end.
 */
import type { EpochMetrics } from "../types.js";
import { Adam } from "./adam.js";
import type { SparseInput } from "./dense.js";
import type { Network } from "./network.js";
import { shuffleInPlace, type Random } from "./random.js";

/** Prepared examples: sparse inputs, class indices and per-example loss weights. */
export interface FitData {
  readonly inputs: readonly SparseInput[];
  readonly labels: readonly number[];
  /** Class weight x example weight. */
  readonly weights: Float64Array;
}

/** Loop settings. */
export interface FitSettings {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly l2: number;
  readonly patience: number;
  /** What early stopping keeps: the lowest validation loss, or the best validation accuracy (ties: lower loss). */
  readonly stopOn?: "loss" | "accuracy";
  readonly random: Random;
  readonly onEpoch?: (metrics: EpochMetrics) => void;
}

/** What the loop did. */
export interface FitResult {
  readonly epochsRun: number;
  readonly bestEpoch: number;
  readonly stoppedEarly: boolean;
  readonly history: EpochMetrics[];
}

/** A validation loss must drop by more than this to count as progress (ignores float noise). */
const MIN_IMPROVEMENT = 1e-4;

/** Mean (unweighted) loss and accuracy of the network over `indices`. */
export function evaluateOn(network: Network, data: FitData, indices: readonly number[]): { loss: number; accuracy: number } {
  let loss = 0;
  let right = 0;
  for (const index of indices) {
    const result = network.evaluate(data.inputs[index]!, data.labels[index]!);
    loss += result.loss;
    if (result.predicted === data.labels[index]) right++;
  }
  return { loss: indices.length ? loss / indices.length : 0, accuracy: indices.length ? right / indices.length : 0 };
}

/** True when a batch's inputs touch few of many input columns (TF-IDF): lazy updates and column-major weights pay off. */
export function wideSparse(data: FitData, train: readonly number[], inputs: number, batchSize: number): boolean {
  if (inputs < 4096 || train.length === 0) return false;
  let nonZeros = 0;
  for (const index of train) nonZeros += data.inputs[index]!.indices.length;
  return (nonZeros / train.length) * batchSize < inputs;
}

/** Trains `network` in place on `train`, early-stopping on `validation` when it is not empty. */
export function fit(network: Network, data: FitData, train: readonly number[], validation: readonly number[], settings: FitSettings): FitResult {
  const optimiser = new Adam(network.layers, { learningRate: settings.learningRate, l2: settings.l2 });
  const gradients = network.createGradients();
  const order = Int32Array.from(train);
  const history: EpochMetrics[] = [];
  let bestLoss = Infinity;
  let bestAccuracy = -1;
  let bestEpoch = 0;
  let bestWeights: Float32Array[] | undefined;
  let stale = 0;
  let epoch = 0;
  let stoppedEarly = false;
  // Wide, sparse inputs (TF-IDF): update only the columns a batch touched (see Adam.update).
  const inputs = network.layers[0]!.inputs;
  const lazy = network.columnMajorFirst || wideSparse(data, train, inputs, settings.batchSize);
  const touched = lazy ? new Uint8Array(inputs) : undefined;
  const columns = lazy ? new Int32Array(inputs) : undefined;

  while (epoch < settings.epochs) {
    epoch++;
    shuffleInPlace(order, settings.random);
    let lossSum = 0;
    let weightSum = 0;
    let right = 0;
    for (let start = 0; start < order.length; start += settings.batchSize) {
      const end = Math.min(order.length, start + settings.batchSize);
      let batchWeight = 0;
      for (let k = start; k < end; k++) batchWeight += data.weights[order[k]!]!;
      if (batchWeight <= 0) continue;
      // Dividing by the batch's total weight is PyTorch's weighted "mean" reduction.
      for (let k = start; k < end; k++) {
        const index = order[k]!;
        const weight = data.weights[index]!;
        const step = network.accumulate(data.inputs[index]!, data.labels[index]!, weight / batchWeight, gradients);
        lossSum += weight * step.loss;
        if (step.predicted === data.labels[index]) right++;
      }
      weightSum += batchWeight;
      if (touched && columns) {
        let count = 0;
        for (let k = start; k < end; k++) {
          for (const column of data.inputs[order[k]!]!.indices) {
            if (!touched[column]) {
              touched[column] = 1;
              columns[count++] = column;
            }
          }
        }
        const used = columns.subarray(0, count);
        optimiser.update(gradients, used, network.columnMajorFirst);
        for (const column of used) touched[column] = 0;
      } else {
        optimiser.update(gradients);
      }
    }

    const trainLoss = weightSum > 0 ? lossSum / weightSum : 0;
    const trainAccuracy = order.length ? right / order.length : 0;
    let improved = true;
    let metrics: EpochMetrics;
    if (validation.length > 0) {
      const held = evaluateOn(network, data, validation);
      improved =
        settings.stopOn === "accuracy"
          ? held.accuracy > bestAccuracy + 1e-12 || (held.accuracy >= bestAccuracy - 1e-12 && held.loss < bestLoss - MIN_IMPROVEMENT)
          : held.loss < bestLoss - MIN_IMPROVEMENT;
      if (improved) {
        bestLoss = held.loss;
        bestAccuracy = held.accuracy;
        bestEpoch = epoch;
        bestWeights = network.layers.flatMap((layer) => [layer.weights.slice(), layer.bias.slice()]);
        stale = 0;
      } else {
        stale++;
      }
      metrics = { epoch, epochs: settings.epochs, trainLoss, trainAccuracy, validationLoss: held.loss, validationAccuracy: held.accuracy, improved };
    } else {
      bestEpoch = epoch;
      metrics = { epoch, epochs: settings.epochs, trainLoss, trainAccuracy, improved };
    }
    history.push(metrics);
    settings.onEpoch?.(metrics);
    if (validation.length > 0 && stale >= settings.patience) {
      stoppedEarly = epoch < settings.epochs;
      break;
    }
  }

  if (bestWeights) {
    network.layers.forEach((layer, index) => {
      layer.weights.set(bestWeights[2 * index]!);
      layer.bias.set(bestWeights[2 * index + 1]!);
    });
  }
  return { epochsRun: epoch, bestEpoch, stoppedEarly, history };
}
