import { ErrorCode, MoeRouterError, softmax, type LabelledExample, type Layer, type LayerContext, type RoutingTask, type Verdict } from "@moe-router/core";
import type { FeatureKind, HeadInput, NeuralFitOptions, NeuralFitReport, NeuralLayerOptions, OnnxHead, TrainedHead } from "./types.js";
import { inputBuilder, type InputBuilder } from "./internal/features.js";
import { Learner } from "./internal/learner.js";
import { defineLayer, fallbackExpertOption, isThenable, type FilledOptions, type LayerOptionSchema } from "@moe-router/core/kit";
import { buildVerdict, untrainedVerdict } from "./internal/verdict.js";
import { onnxHead } from "./onnx.js";
import { loadHeadSync, saveHead } from "./persist.js";

const FEATURE_KINDS: readonly FeatureKind[] = ["embedding", "tfidf", "tfidf+embedding"];

/** The neural layer's options: known keys, types, ranges and defaults (the layer kit checks them). */
export const OPTIONS = {
  // A trained head, or the path of a model file (checked when loaded).
  model: { type: "any", factoryOnly: true },
  onnx: { type: "object", check: (value: { path?: unknown }) => (typeof value.path === "string" && value.path ? undefined : 'must be { "path": "head.onnx", "labels"?: [...] }.') },
  name: { type: "string", default: "neural", example: "neural" },
  fallbackExpert: fallbackExpertOption,
  kind: { type: "string", oneOf: ["softmax", "mlp"], default: "softmax" },
  features: { type: "string", oneOf: FEATURE_KINDS },
  tfidf: { type: "object" },
  fitEpochs: { type: "number", integer: true, min: 1, max: 10_000, default: 100 },
  fitStopOn: { type: "string", oneOf: ["loss", "accuracy"], default: "accuracy" },
  learnEpochs: { type: "number", integer: true, min: 1, max: 10_000, default: 30 },
  learnBufferSize: { type: "number", integer: true, min: 1, default: 5_000 },
  savePath: { type: "path", base: "data", factoryOnly: true },
} as const satisfies LayerOptionSchema<NeuralLayerOptions>;

/** The layer's definition: `neuralLayer` is its factory, module.ts adds the config entry. */
export const definition = defineLayer<NeuralLayerOptions>()({ name: "neural", options: OPTIONS, needsEmbedder: true, build: buildNeuralLayer });

/** The neural layer: a core Layer with `fit()` (train a fresh, calibrated head on a training set). */
export interface NeuralLayer extends Layer {
  /**
   * Trains a fresh head on `examples` (TF-IDF features fitted on their texts when `features`
   * asks for them), early-stopping and fitting the temperature on `options.validation`
   * (or on 10% of each class carved off), replaces the current head and saves it.
   */
  fit?(examples: readonly LabelledExample[], options?: NeuralFitOptions): Promise<NeuralFitReport>;
}

/** Refuses a head whose vectors are not this embedder's. */
function checkHeadFits(head: TrainedHead | OnnxHead, embedder: NeuralLayerOptions["embedder"], where: string): void {
  const features = head.kind === "onnx" ? undefined : head.features;
  if (features) {
    const expected = features.tfidf.dimension + (features.kind === "tfidf+embedding" ? embedder.dimension : 0);
    if (features.kind === "tfidf+embedding" && head.embedderId !== undefined && head.embedderId !== embedder.id) {
      throw new MoeRouterError(
        ErrorCode.INVALID_CONFIG,
        `${where} was trained with embedder "${head.embedderId}" but the layer uses "${embedder.id}". Configure the same embedder, or retrain with \`moe-router train\`.`,
      );
    }
    if (head.dimension !== expected) {
      throw new MoeRouterError(
        ErrorCode.INVALID_CONFIG,
        `${where} takes inputs of length ${head.dimension} but its ${features.kind} features give ${expected}${features.kind === "tfidf+embedding" ? ` with embedder "${embedder.id}"` : ""}. Retrain the head (\`moe-router train\`).`,
      );
    }
    return;
  }
  if (head.embedderId !== undefined && head.embedderId !== embedder.id) {
    throw new MoeRouterError(
      ErrorCode.INVALID_CONFIG,
      `${where} was trained with embedder "${head.embedderId}" but the layer uses "${embedder.id}". Configure the same embedder, or retrain with \`moe-router train\`.`,
    );
  }
  if (head.dimension !== undefined && head.dimension !== embedder.dimension) {
    throw new MoeRouterError(
      ErrorCode.INVALID_CONFIG,
      `${where} takes vectors of length ${head.dimension} but embedder "${embedder.id}" gives ${embedder.dimension}. Retrain the head with this embedder (\`moe-router train\`).`,
    );
  }
}

/**
 * The neural layer: embeds the task, runs a classifier head and answers with
 * argmax softmax(logits / T), its probability as the confidence, the probabilities over
 * all labels, and details { model_kind, model_version, top2_margin, runner_up }.
 *
 * Without a model it answers `fallbackExpert` with confidence 0 (so a cascade passes it
 * by) until `learn()` has seen examples of two experts. With `onnx` it runs an exported
 * head through onnxruntime-node (async, no `learn()`).
 *
 * @throws MoeRouterError INVALID_CONFIG for bad options or a head made for another
 *   embedder; CORRUPT_FILE / NOT_FOUND for an unreadable model file.
 * @example
 * const layer = neuralLayer({ embedder: hashedEmbedder(), model: ".moe-router/neural/model.json" });
 */
export function neuralLayer(options: NeuralLayerOptions): NeuralLayer {
  return definition.factory(options);
}

function buildNeuralLayer(options: FilledOptions<NeuralLayerOptions, typeof OPTIONS>): NeuralLayer {
  const { embedder, name, fallbackExpert, kind, fitEpochs, fitStopOn, learnEpochs, learnBufferSize: memory } = options;
  if (options.model !== undefined && options.onnx !== undefined) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, 'Give neuralLayer either "model" (a TypeScript head) or "onnx" (an exported head), not both.');
  }
  if (options.features !== undefined && options.features !== "embedding" && options.onnx !== undefined) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, 'An ONNX head reads embeddings only; drop "features" or the "onnx" option.');
  }

  let head: TrainedHead | undefined;
  if (typeof options.model === "string") head = loadHeadSync(options.model, { embedderId: embedder.id });
  else if (options.model !== undefined) {
    if (typeof options.model.predictProbabilities !== "function")
      throw new MoeRouterError(ErrorCode.INVALID_CONFIG, '"model" must be a trained head (from trainHead or loadHead) or the path of a model file.');
    head = options.model;
  }
  if (head) checkHeadFits(head, embedder, "The model");
  const savePath = options.savePath ?? (typeof options.model === "string" ? options.model : undefined);

  let onnx: Promise<OnnxHead> | undefined;
  const onnxOptions = options.onnx;
  const loadOnnx = (): Promise<OnnxHead> => {
    onnx ??= onnxHead(onnxOptions!).then((loaded) => {
      checkHeadFits(loaded, embedder, onnxOptions!.path);
      return loaded;
    });
    // A failed load is retried on the next route (the file may appear later).
    onnx.catch(() => {
      onnx = undefined;
    });
    return onnx;
  };

  const learner = onnxOptions
    ? undefined
    : new Learner(embedder, {
        kind,
        epochs: learnEpochs,
        memory,
        fitEpochs,
        fitStopOn,
        ...(options.features !== undefined ? { features: options.features } : {}),
        ...(options.tfidf !== undefined ? { tfidf: options.tfidf } : {}),
      });
  // The input builder of the current head, rebuilt when the head changes.
  let built: { head: TrainedHead; builder: InputBuilder } | undefined;
  const builderFor = (current: TrainedHead): InputBuilder => {
    if (built?.head !== current) built = { head: current, builder: inputBuilder(current.features?.kind ?? "embedding", current.features?.tfidf, embedder) };
    return built.builder;
  };
  let learning: Promise<void> = Promise.resolve();
  let closed = false;

  const verdictFor = (vector: Float32Array | HeadInput, context: LayerContext): Verdict | Promise<Verdict> => {
    if (onnxOptions) {
      return loadOnnx().then(async (loaded) => {
        const probabilities = softmax(await loaded.predictLogits(vector as Float32Array), loaded.temperature);
        return buildVerdict(loaded.labels, probabilities, { kind: "onnx", version: onnxOptions.path, temperature: loaded.temperature }, context, fallbackExpert);
      });
    }
    const current = head!;
    return buildVerdict(current.labels, current.predictProbabilities(vector), current, context, fallbackExpert);
  };

  const layer: NeuralLayer = {
    name,
    capabilities: {
      learn: learner !== undefined,
      fit: learner !== undefined,
      deterministic: true,
      // Sync embedders (and TF-IDF features alone) keep route() promise-free; an async embedder or ONNX Runtime cannot.
      async: onnxOptions !== undefined || (embedder.embed.constructor.name === "AsyncFunction" && (head?.features?.kind ?? options.features ?? "embedding") !== "tfidf"),
      persistence: savePath !== undefined,
    },
    route(task: RoutingTask, context: LayerContext) {
      if (closed) throw new MoeRouterError(ErrorCode.CLOSED, `Layer "${name}" was closed; create a new one to route.`);
      // No head: answer at once, without paying for an embedding.
      if (!head && !onnxOptions) return untrainedVerdict(fallbackExpert);
      const vectors = onnxOptions ? embedder.embed([task.description]) : builderFor(head!).inputs([task.description]);
      return isThenable<HeadInput[]>(vectors) ? Promise.resolve(vectors).then((v) => verdictFor(v[0]!, context)) : verdictFor(vectors[0]!, context);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await learning.catch(() => undefined);
      if (onnx) await (await onnx.catch(() => undefined))?.close();
    },
  };
  if (learner) {
    layer.learn = (examples: readonly LabelledExample[]) => {
      if (closed) return Promise.reject(new MoeRouterError(ErrorCode.CLOSED, `Layer "${name}" was closed; create a new one to learn.`));
      // learn() calls run one after another, each fine-tuning the head the previous one left.
      const run = learning.then(async () => {
        const next = await learner.absorb(examples, head);
        if (next && next !== head) {
          head = next;
          if (savePath) await saveHead(next, savePath);
        }
      });
      learning = run.catch(() => undefined);
      return run;
    };
    layer.fit = (examples: readonly LabelledExample[], fitOptions: NeuralFitOptions = {}) => {
      if (closed) return Promise.reject(new MoeRouterError(ErrorCode.CLOSED, `Layer "${name}" was closed; create a new one to fit.`));
      const run = learning.then(async () => {
        const { head: next, report } = await learner.fit(examples, fitOptions.validation, head);
        head = next;
        if (savePath) await saveHead(next, savePath);
        return report;
      });
      learning = run.then(
        () => undefined,
        () => undefined,
      );
      return run;
    };
  }
  return layer;
}
