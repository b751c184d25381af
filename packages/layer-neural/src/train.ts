import { ErrorCode, MoeRouterError, expectedCalibrationError, fitTemperature, softmax } from "@moe-router/core";
import type { CalibrationMetrics, DenseLayer, HeadKind, TrainOptions, TrainedHead, TrainingExample, TrainingMetrics } from "./types.js";
import { copyLayer, crossEntropy, inputLength, toSparse, transposeLayer, untransposeLayer } from "./internal/dense.js";
import { evaluateOn, fit, wideSparse, type FitData } from "./internal/fit.js";
import { createTrainedHead, newVersion } from "./internal/head.js";
import { Network, initialLayers } from "./internal/network.js";
import { checkTrainOptions } from "./internal/options.js";
import { createRandom } from "./internal/random.js";
import { classWeightsFor, replaySample, stratifiedSplit } from "./internal/split.js";

/**
 * A validation split smaller than this is dropped (its examples go back to training):
 * early stopping and a temperature fitted on a handful of examples follow noise.
 */
const MIN_VALIDATION_EXAMPLES = 10;

/** Temperatures searched; a perfectly separated validation split would otherwise drive T to ~0. */
const TEMPERATURE_RANGE: [number, number] = [0.05, 20];

/**
 * Trains a classifier head on labelled vectors: softmax regression or a one-hidden-layer
 * MLP, mini-batch Adam with optional class weights, early stopping on a stratified
 * validation split, then temperature scaling fitted on that split so confidences mean
 * "probability of being right". Deterministic for a given `seed`.
 *
 * @throws MoeRouterError INSUFFICIENT_DATA with fewer than two labels (and no warm start),
 *   INVALID_CONFIG for a bad option or vectors of mixed lengths.
 * @example
 * const head = trainHead(rows.map((r, i) => ({ vector: vectors[i], label: r.label, text: r.text })), { kind: "softmax" });
 * head.predict(embedder.embed(["reset my password"])[0]).label;
 */
export function trainHead(examples: readonly TrainingExample[], options: TrainOptions = {}): TrainedHead {
  const started = performance.now();
  const settings = checkTrainOptions(options);
  if (options.stopOn !== undefined && options.stopOn !== "loss" && options.stopOn !== "accuracy") {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `"stopOn" must be "loss" or "accuracy"; got ${JSON.stringify(options.stopOn)}.`);
  }
  const warm = options.warmStart;
  if (!Array.isArray(examples) || examples.length === 0) {
    throw new MoeRouterError(ErrorCode.INSUFFICIENT_DATA, "trainHead needs labelled examples ({ vector, label }); got none. Provide a dataset (moe-router train --data FILE) or corrected outcomes.");
  }
  const dimension = warm?.dimension ?? inputLength(examples[0]!.vector);
  const given = options.validation ?? [];
  if (!Array.isArray(given)) throw new MoeRouterError(ErrorCode.INVALID_CONFIG, '"validation" must be an array of { vector, label } examples.');
  const checkExample = (example: TrainingExample, index: number, where: string) => {
    if (typeof example.label !== "string" || !example.label) throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `${where} ${index} has no label; every example needs a non-empty "label".`);
    const length = example.vector ? inputLength(example.vector) : undefined;
    if (length !== dimension) {
      throw new MoeRouterError(
        ErrorCode.INVALID_CONFIG,
        `${where} ${index} has a vector of length ${length}, expected ${dimension}${warm ? " (the warm-start head's dimension)" : ""}. Embed every text with the same embedder.`,
      );
    }
  };
  examples.forEach((example, index) => checkExample(example, index, "Training example"));
  given.forEach((example, index) => checkExample(example, index, "Validation example"));
  const labels = [...(warm?.labels ?? [])];
  const known = new Set(labels);
  for (const label of [...new Set(examples.map((e) => e.label))].sort()) if (!known.has(label)) labels.push(label);
  if (!warm && labels.length < 2) {
    throw new MoeRouterError(ErrorCode.INSUFFICIENT_DATA, `Training needs examples of at least two labels; got only "${labels[0]}". Add examples of other experts.`);
  }
  const kind: HeadKind = warm?.kind ?? settings.kind;
  const random = createRandom(settings.seed);
  const layers = warm ? expandOutputs(warm.layers, labels.length) : initialLayers(dimension, labels.length, kind === "mlp" ? settings.hidden : undefined, random);

  const labelIndex = new Map(labels.map((label, i) => [label, i]));
  // Validation rows of a label the training rows lack tell nothing about the head: left out.
  const held = given.filter((e) => labelIndex.has(e.label));
  const all = [...examples, ...held];
  const classOf = all.map((e) => labelIndex.get(e.label)!);
  let train: number[];
  let validation: number[];
  if (held.length > 0) {
    train = examples.map((_, i) => i);
    validation = held.map((_, i) => examples.length + i);
  } else {
    ({ train, validation } =
      settings.validationShare > 0 ? stratifiedSplit(classOf, labels.length, settings.validationShare, random) : { train: examples.map((_, i) => i), validation: [] as number[] });
  }
  if (validation.length < MIN_VALIDATION_EXAMPLES) {
    train = examples.map((_, i) => i);
    validation = [];
  }
  const counts = new Array<number>(labels.length).fill(0);
  for (const index of train) counts[classOf[index]!]!++;
  const classWeights = classWeightsFor(options.classWeights, labels, counts);
  const data: FitData = {
    inputs: all.map((e) => toSparse(e.vector)),
    labels: classOf,
    weights: Float64Array.from(all, (e, i) => classWeights[classOf[i]!]! * (e.weight ?? 1)),
  };

  // Wide sparse inputs train with the first layer stored column by column (contiguous per input entry).
  const columnMajor = wideSparse(data, train, dimension, settings.batchSize);
  const network = new Network(columnMajor ? [transposeLayer(layers[0]!), ...layers.slice(1)] : layers, columnMajor);
  const result = fit(network, data, train, validation, {
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    learningRate: settings.learningRate ?? (kind === "mlp" ? 0.003 : 0.01),
    l2: settings.l2,
    patience: settings.patience,
    ...(options.stopOn !== undefined ? { stopOn: options.stopOn } : {}),
    random,
    ...(options.onProgress ? { onEpoch: (metrics) => options.onProgress!(metrics.epoch, metrics) } : {}),
  });

  const calibration = validation.length > 0 ? calibrate(network, data, validation) : undefined;
  const temperature = calibration?.temperature ?? warm?.temperature ?? 1;
  const heldOut = validation.length > 0 ? evaluateOn(network, data, validation) : undefined;
  const metrics: TrainingMetrics = {
    kind,
    trainExamples: train.length,
    validationExamples: validation.length,
    epochsRun: result.epochsRun,
    bestEpoch: result.bestEpoch,
    stoppedEarly: result.stoppedEarly,
    trainAccuracy: evaluateOn(network, data, train).accuracy,
    ...(heldOut ? { validationAccuracy: heldOut.accuracy } : {}),
    ...(calibration ? { calibration } : {}),
    durationMs: performance.now() - started,
    history: result.history,
  };
  const withText = train.filter((i) => typeof all[i]!.text === "string" && all[i]!.text!.length > 0);
  const replay = replaySample(classOf, withText, labels.length, settings.replaySize, random).map((i) => ({ text: all[i]!.text!, label: all[i]!.label }));
  return createTrainedHead({
    kind,
    labels,
    layers: columnMajor ? [untransposeLayer(network.layers[0]!), ...network.layers.slice(1)] : network.layers,
    temperature,
    embedderId: options.embedderId ?? warm?.embedderId,
    features: options.features ?? warm?.features,
    version: newVersion(kind),
    metrics,
    replay,
  });
}

/** Copies a head's layers, appending zero-initialised output rows for new labels. */
function expandOutputs(layers: readonly DenseLayer[], outputs: number): DenseLayer[] {
  const copies = layers.map(copyLayer);
  const last = copies.at(-1)!;
  if (last.outputs === outputs) return copies;
  const weights = new Float32Array(outputs * last.inputs);
  weights.set(last.weights);
  const bias = new Float32Array(outputs);
  bias.set(last.bias);
  // A new class starts just below the weakest existing bias so it is not predicted
  // everywhere before its first update.
  let minBias = 0;
  for (const b of last.bias) minBias = Math.min(minBias, b);
  bias.fill(minBias, last.outputs);
  copies[copies.length - 1] = { inputs: last.inputs, outputs, weights, bias };
  return copies;
}

/** Fits the temperature on the validation split and measures NLL and ECE before and after. */
function calibrate(network: Network, data: FitData, validation: readonly number[]): CalibrationMetrics {
  const logits = validation.map((i) => network.logits(data.inputs[i]!).slice());
  const truth = validation.map((i) => data.labels[i]!);
  const temperature = fitTemperature(logits, truth, TEMPERATURE_RANGE);
  const measure = (t: number) => {
    let nll = 0;
    const confidences: number[] = [];
    const correct: boolean[] = [];
    logits.forEach((row, k) => {
      const p = softmax(row, t);
      nll += crossEntropy(p, truth[k]!);
      let best = 0;
      for (let c = 1; c < p.length; c++) if (p[c]! > p[best]!) best = c;
      confidences.push(p[best]!);
      correct.push(best === truth[k]);
    });
    return { nll: nll / logits.length, ece: expectedCalibrationError(confidences, correct) };
  };
  const before = measure(1);
  const after = measure(temperature);
  return { temperature, nllBefore: before.nll, nllAfter: after.nll, eceBefore: before.ece, eceAfter: after.ece };
}
