/**
 * Builds the TrainedHead object from its parameters. Prediction allocates its own
 * buffers per call (no shared scratch), so concurrent routes cannot clobber each other.
 */
import type { DenseLayer, HeadFeatures, HeadInput, HeadKind, HeadPrediction, ReplayExample, TrainedHead, TrainingMetrics } from "../types.js";
import { affineDense, affineSparse, affineSparseColumns, inputLength, reluInPlace, softmaxInto, toSparse, transposeLayer } from "./dense.js";

/** Everything that defines a head. */
export interface HeadParameters {
  readonly kind: HeadKind;
  readonly labels: readonly string[];
  readonly layers: readonly DenseLayer[];
  readonly temperature: number;
  readonly embedderId?: string | undefined;
  readonly features?: HeadFeatures | undefined;
  readonly version: string;
  readonly metrics?: TrainingMetrics | undefined;
  readonly replay?: readonly ReplayExample[];
}

/** A version tag for freshly trained weights. */
export function newVersion(kind: HeadKind): string {
  return `${kind}-${new Date().toISOString()}`;
}

/** Creates a head; checks that the layer shapes chain and end in one logit per label. */
export function createTrainedHead(parameters: HeadParameters): TrainedHead {
  const { layers, labels, temperature } = parameters;
  if (layers.length === 0) throw new TypeError("createTrainedHead: a head needs at least one layer");
  for (let i = 1; i < layers.length; i++) {
    if (layers[i]!.inputs !== layers[i - 1]!.outputs) throw new TypeError(`createTrainedHead: layer ${i} takes ${layers[i]!.inputs} inputs but layer ${i - 1} gives ${layers[i - 1]!.outputs}`);
  }
  if (layers.at(-1)!.outputs !== labels.length) throw new TypeError(`createTrainedHead: ${layers.at(-1)!.outputs} logits for ${labels.length} labels`);
  const dimension = layers[0]!.inputs;

  if (parameters.features && parameters.features.tfidf.dimension > dimension) {
    throw new TypeError(`createTrainedHead: ${parameters.features.tfidf.dimension} TF-IDF features for a head of ${dimension} inputs`);
  }
  // Wide inputs (TF-IDF vocabularies): a column-major copy of the first layer makes a route
  // read nonZeros contiguous runs instead of scattered weights.
  const firstColumns = dimension >= 4096 ? transposeLayer(layers[0]!) : undefined;
  const predictLogits = (vector: HeadInput): Float32Array => {
    const length = inputLength(vector);
    if (length !== dimension) throw new TypeError(`predictLogits: expected a vector of length ${dimension}, got ${length}`);
    // Most embeddings we see are sparse (hashed n-grams); listing non-zeros first pays off
    // whenever fewer than about half the entries are set, and costs one pass otherwise.
    let current = new Float32Array(layers[0]!.outputs);
    if (firstColumns) affineSparseColumns(firstColumns, toSparse(vector), current);
    else affineSparse(layers[0]!, toSparse(vector), current);
    for (let i = 1; i < layers.length; i++) {
      reluInPlace(current);
      const next = new Float32Array(layers[i]!.outputs);
      affineDense(layers[i]!, current, next);
      current = next;
    }
    return current;
  };

  const predictProbabilities = (vector: HeadInput): Float64Array => softmaxInto(predictLogits(vector), new Float64Array(labels.length), temperature);

  return {
    kind: parameters.kind,
    labels: [...labels],
    dimension,
    temperature,
    ...(parameters.embedderId !== undefined ? { embedderId: parameters.embedderId } : {}),
    ...(parameters.features !== undefined ? { features: parameters.features } : {}),
    version: parameters.version,
    layers,
    ...(parameters.metrics !== undefined ? { metrics: parameters.metrics } : {}),
    replay: parameters.replay ?? [],
    predictLogits,
    predictProbabilities,
    predict(vector) {
      return rankProbabilities(labels, predictProbabilities(vector));
    },
  };
}

/** Best label, runner-up and margin from a probability vector. */
export function rankProbabilities(labels: readonly string[], probabilities: Float64Array): HeadPrediction {
  let best = 0;
  let second = -1;
  for (let i = 1; i < probabilities.length; i++) {
    if (probabilities[i]! > probabilities[best]!) {
      second = best;
      best = i;
    } else if (second < 0 || probabilities[i]! > probabilities[second]!) {
      second = i;
    }
  }
  const runnerUpProbability = second >= 0 ? probabilities[second]! : 0;
  return {
    label: labels[best]!,
    confidence: probabilities[best]!,
    ...(second >= 0 ? { runnerUp: labels[second]! } : {}),
    margin: probabilities[best]! - runnerUpProbability,
    probabilities,
  };
}
