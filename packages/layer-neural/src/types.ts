/**
 * Public option and result types of @moe-router/layer-neural.
 */
import type { Embedder, LabelledExample, SparseVector, TfidfFeaturizer, TfidfOptions } from "@moe-router/core";

/** Architecture of a classifier head. */
export type HeadKind = "softmax" | "mlp";

/**
 * What a head reads: "embedding" (the embedder's vector, the default), "tfidf" (a sparse
 * TF-IDF vector of word and character n-grams fitted on the training texts and saved with
 * the head; no embedder call), or "tfidf+embedding" (both side by side).
 */
export type FeatureKind = "embedding" | "tfidf" | "tfidf+embedding";

/** The input features a head was trained on, saved with it. */
export interface HeadFeatures {
  readonly kind: Exclude<FeatureKind, "embedding">;
  /** The fitted TF-IDF featuriser (its features come first in the input vector). */
  readonly tfidf: TfidfFeaturizer;
}

/** A head's input: a dense vector, or a sparse one (e.g. TF-IDF features). */
export type HeadInput = ArrayLike<number> | SparseVector;

/** One labelled training vector. */
export interface TrainingExample {
  /** The features of the text (length = the head's input dimension), dense or sparse. */
  readonly vector: HeadInput;
  /** The class (expert or intent) it belongs to. */
  readonly label: string;
  /** Relative weight of this example (default 1); multiplies the class weight. */
  readonly weight?: number;
  /** The text, when known: kept in the replay sample so `learn()` can re-embed it later. */
  readonly text?: string;
}

/** Metrics of one training epoch, passed to `onProgress`. */
export interface EpochMetrics {
  /** 1-based epoch number. */
  readonly epoch: number;
  /** Planned epochs (early stopping may end sooner). */
  readonly epochs: number;
  /** Mean weighted cross-entropy over this epoch's mini-batches. */
  readonly trainLoss: number;
  /** Share of training examples the head got right during the epoch (before each update). */
  readonly trainAccuracy: number;
  /** Mean cross-entropy on the validation split (absent without one). */
  readonly validationLoss?: number;
  /** Accuracy on the validation split (absent without one). */
  readonly validationAccuracy?: number;
  /** True when this epoch's validation loss is the best so far (its weights are kept). */
  readonly improved: boolean;
}

/** Temperature-scaling figures, measured on the validation split. */
export interface CalibrationMetrics {
  /** The fitted temperature T: probabilities are softmax(logits / T). */
  readonly temperature: number;
  /** Validation negative log-likelihood at T = 1 and at the fitted T. */
  readonly nllBefore: number;
  readonly nllAfter: number;
  /** Validation expected calibration error (10 bins) at T = 1 and at the fitted T. */
  readonly eceBefore: number;
  readonly eceAfter: number;
}

/** What training measured. */
export interface TrainingMetrics {
  readonly kind: HeadKind;
  readonly trainExamples: number;
  readonly validationExamples: number;
  /** Epochs actually run. */
  readonly epochsRun: number;
  /** Epoch whose weights were kept (best validation loss; the last one without validation). */
  readonly bestEpoch: number;
  /** True when training stopped because validation loss stopped improving. */
  readonly stoppedEarly: boolean;
  /** Accuracy of the kept weights on the training split. */
  readonly trainAccuracy: number;
  /** Accuracy of the kept weights on the validation split (absent without one). */
  readonly validationAccuracy?: number;
  /** Present when a validation split was used to fit the temperature. */
  readonly calibration?: CalibrationMetrics;
  /** Wall time of training (ms). */
  readonly durationMs: number;
  /** Per-epoch history. */
  readonly history: readonly EpochMetrics[];
}

/** Options of `trainHead`. */
export interface TrainOptions {
  /** "softmax" (multinomial logistic regression, default) or "mlp" (one ReLU hidden layer). */
  readonly kind?: HeadKind;
  /** Hidden units of the MLP. Default 128. */
  readonly hidden?: number;
  /** Most epochs. Default 30. */
  readonly epochs?: number;
  /** Mini-batch size. Default 32. */
  readonly batchSize?: number;
  /** Adam step size. Default 0.01 (softmax) or 0.003 (mlp). */
  readonly learningRate?: number;
  /** L2 penalty on weights (not biases). Default 1e-5. */
  readonly l2?: number;
  /**
   * "balanced": weight class c by n / (classes x n_c), so rare classes count as much as
   * common ones; "none" (default); or explicit weights by label (missing labels weigh 1).
   */
  readonly classWeights?: "balanced" | "none" | Readonly<Record<string, number>>;
  /**
   * Share of each class held out (stratified, seeded) for early stopping and calibration.
   * Default 0.1; 0 = none. A split of fewer than 10 examples is not made (too noisy to use).
   */
  readonly validationShare?: number;
  /** Stop after this many epochs without a lower validation loss. Default 3. */
  readonly patience?: number;
  /**
   * What early stopping keeps: "loss" (the epoch with the lowest validation loss, default) or
   * "accuracy" (the best validation accuracy, ties broken by lower loss; the temperature fit
   * afterwards restores calibration, and the loss minimum often comes later than the accuracy
   * peak on TF-IDF features).
   */
  readonly stopOn?: "loss" | "accuracy";
  /** Seed of initialisation, split and shuffling: same data + seed = same head. Default 42. */
  readonly seed?: number;
  /** Id of the embedder that produced the vectors; saved with the head and checked on load. */
  readonly embedderId?: string;
  /** Examples (with text) kept in the head as a replay sample for later fine-tuning. Default 256. */
  readonly replaySize?: number;
  /** Continue from this head's weights (labels are kept, new ones appended). */
  readonly warmStart?: TrainedHead;
  /**
   * Held-out examples for early stopping and the temperature fit, used instead of carving
   * `validationShare` off the training examples (e.g. a dataset's validation split).
   */
  readonly validation?: readonly TrainingExample[];
  /** Input features the vectors were made with; saved with the head (default: the embedding). */
  readonly features?: HeadFeatures;
  /** Called after every epoch (e.g. to draw a progress bar). */
  readonly onProgress?: (epoch: number, metrics: EpochMetrics) => void;
}

/** One fully connected layer: out = weights x in + bias. */
export interface DenseLayer {
  readonly inputs: number;
  readonly outputs: number;
  /** Row-major [outputs][inputs], like PyTorch's `Linear.weight`. */
  readonly weights: Float32Array;
  readonly bias: Float32Array;
}

/** A labelled text kept for replay during fine-tuning. */
export interface ReplayExample {
  readonly text: string;
  readonly label: string;
}

/** A verdict of a head on one vector. */
export interface HeadPrediction {
  /** The most probable label. */
  readonly label: string;
  /** Its calibrated probability. */
  readonly confidence: number;
  /** The second most probable label (absent with one label). */
  readonly runnerUp?: string;
  /** Probability of the best minus that of the runner-up. */
  readonly margin: number;
  /** Calibrated probabilities, in `labels` order. */
  readonly probabilities: Float64Array;
}

/**
 * A trained classifier head over embeddings. Layers between `layers[i]` and
 * `layers[i+1]` use ReLU; the last layer's outputs are the logits (one per label).
 */
export interface TrainedHead {
  readonly kind: HeadKind;
  /** Class names, in logit order. */
  readonly labels: readonly string[];
  /** Input vector length. */
  readonly dimension: number;
  /** Softmax temperature fitted on the validation split (1 when none). */
  readonly temperature: number;
  /** Id of the embedder the head was trained with, when known. */
  readonly embedderId?: string;
  /** TF-IDF input features, when the head reads them (absent: the embedding alone). */
  readonly features?: HeadFeatures;
  /** Identifies this set of weights: `<kind>-<date>`, renewed by fine-tuning. */
  readonly version: string;
  readonly layers: readonly DenseLayer[];
  /** Training figures (absent for a head loaded from a file written without them). */
  readonly metrics?: TrainingMetrics;
  /** Labelled texts kept for replay when fine-tuning. */
  readonly replay: readonly ReplayExample[];
  /** Raw scores, one per label. */
  predictLogits(vector: HeadInput): Float32Array;
  /** softmax(logits / temperature), one per label. */
  predictProbabilities(vector: HeadInput): Float64Array;
  /** Best label, its probability, the runner-up and the margin between them. */
  predict(vector: HeadInput): HeadPrediction;
}

/** Options of the ONNX head (`onnxHead` or the layer's `onnx` option). */
export interface OnnxHeadOptions {
  /** Path of the .onnx file: input an embedding [batch, dimension] (float32), output logits [batch, labels]. */
  readonly path: string;
  /** Class names in logit order. Default: read from the file's `moe_router_labels` metadata (written by `exportOnnx`). */
  readonly labels?: readonly string[];
  /** Softmax temperature. Default: the file's `moe_router_temperature` metadata, else 1. */
  readonly temperature?: number;
}

/** A head run by onnxruntime-node (e.g. exported from PyTorch). */
export interface OnnxHead {
  readonly kind: "onnx";
  readonly labels: readonly string[];
  readonly temperature: number;
  /** Input length from the model's metadata or input shape (undefined when the graph leaves it symbolic). */
  readonly dimension: number | undefined;
  /** Embedder id from the file's metadata, when written by `exportOnnx`. */
  readonly embedderId?: string;
  /** Raw scores, one per label. */
  predictLogits(vector: ArrayLike<number>): Promise<Float32Array>;
  /** Releases the ONNX Runtime session. */
  close(): Promise<void>;
}

/** Options of `neuralLayer`. */
export interface NeuralLayerOptions {
  /** Turns task descriptions into vectors; must be the embedder the head was trained with. */
  readonly embedder: Embedder;
  /** A trained head, or the path of a model file written by `saveHead` / `moe-router train`. */
  readonly model?: TrainedHead | string;
  /** Run a head exported to ONNX through onnxruntime-node instead (no `learn()`). */
  readonly onnx?: OnnxHeadOptions;
  /** Layer name. Default "neural". */
  readonly name?: string;
  /** Expert answered, with confidence 0, while there is no model. Default "coordinator-master". */
  readonly fallbackExpert?: string;
  /** Architecture of a head first trained by `learn()` or `fit()` (no model yet). Default "softmax". */
  readonly kind?: HeadKind;
  /** Input features of a head first trained by `learn()` or `fit()`. Default "embedding". A loaded head keeps its own. */
  readonly features?: FeatureKind;
  /** TF-IDF settings when `features` uses TF-IDF. Defaults: word 1-2-grams, char 2-5-grams, minDf 2, sublinear tf. */
  readonly tfidf?: TfidfOptions;
  /** Most epochs of `fit()` (early stopping on the validation rows usually ends sooner). Default 100. */
  readonly fitEpochs?: number;
  /** Early-stopping criterion of `fit()` (see `TrainOptions.stopOn`). Default "accuracy". */
  readonly fitStopOn?: "loss" | "accuracy";
  /** Epochs of fine-tuning per `learn()` call. Default 30. */
  readonly learnEpochs?: number;
  /** Most learned examples kept for later fine-tuning (oldest dropped first). Default 5,000. */
  readonly learnBufferSize?: number;
  /** Where `learn()` saves the updated head. Default: the `model` path, when `model` is a path. */
  readonly savePath?: string;
}

/** Options of the layer's `fit()`. */
export interface NeuralFitOptions {
  /** Held-out examples for early stopping and the temperature fit. Default: 10% of each class carved off. */
  readonly validation?: readonly LabelledExample[];
}

/** What the layer's `fit()` measured. */
export interface NeuralFitReport {
  readonly features: FeatureKind;
  /** Input dimension of the head (TF-IDF terms + embedding length). */
  readonly dimension: number;
  /** Accuracy of the kept weights on the validation examples (absent without them). */
  readonly accuracy?: number;
  readonly temperature: number;
  readonly eceBefore?: number;
  readonly eceAfter?: number;
  readonly epochsRun: number;
  readonly bestEpoch: number;
  readonly durationMs: number;
}
