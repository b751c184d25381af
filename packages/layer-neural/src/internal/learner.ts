/**
 * What `learn()` and `fit()` do.
 *
 * `fit()` trains a fresh head on a whole training set: TF-IDF features (when asked for)
 * fitted on the training texts, early stopping and a temperature fit on held-out examples
 * (given, or 10% of each class carved off).
 *
 * `learn()`: corrected outcomes join the head's replay set (the sample of its original
 * training data plus everything learned since), and the head is fine-tuned from its current
 * weights over that set. Replaying old data alongside the new examples keeps the head from
 * forgetting the classes the new examples do not mention. From {@link MIN_CALIBRATION_SET}
 * examples on, a stratified 10% is held out so fine-tuning early-stops and refits the
 * temperature the same way `fit()` does.
 */
import { ErrorCode, MoeRouterError, fitTfidf, type Embedder, type LabelledExample, type TfidfOptions } from "@moe-router/core";
import { trainHead } from "../train.js";
import type { FeatureKind, HeadFeatures, HeadKind, NeuralFitReport, ReplayExample, TrainedHead } from "../types.js";
import { createTrainedHead } from "./head.js";
import { inputBuilder, inputsInBatches } from "./features.js";

/** Learner settings. */
export interface LearnerSettings {
  readonly kind: HeadKind;
  readonly epochs: number;
  /** Most labelled texts kept for replay. */
  readonly memory: number;
  /** Features of a head trained from scratch; undefined = the current head's, else "embedding". */
  readonly features?: FeatureKind;
  readonly tfidf?: TfidfOptions;
  /** Most epochs of fit(). */
  readonly fitEpochs: number;
  /** Early-stopping criterion of fit(). */
  readonly fitStopOn: "loss" | "accuracy";
}

/** Small sets get more epochs so every fine-tune makes at least this many optimiser steps. */
const MIN_STEPS = 60;
const BATCH_SIZE = 32;
const MAX_EPOCHS = 300;
/** From this many examples on, fine-tuning holds out 10% for early stopping and calibration. */
export const MIN_CALIBRATION_SET = 200;

function checkExamples(examples: readonly LabelledExample[], where: string): (ReplayExample & { weight: number })[] {
  if (!Array.isArray(examples)) throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `${where} takes an array of { text, expert } examples.`);
  return examples.map((example, index) => {
    if (!example || typeof example.text !== "string" || !example.text.trim() || typeof example.expert !== "string" || !example.expert) {
      throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `${where} example ${index} needs a non-empty "text" and "expert"; got ${JSON.stringify(example)}.`);
    }
    return { text: example.text, label: example.expert, weight: example.weight ?? 1 };
  });
}

/** Fine-tunes heads from labelled examples; keeps examples seen before a head exists. */
export class Learner {
  /** Examples learned while there was no head yet (fewer than two labels seen). */
  private pending: ReplayExample[] = [];

  /** Embeddings of the texts in memory, kept between calls (re-embedding the replay set each time costs most). */
  private readonly vectors = new Map<string, Float32Array>();
  private readonly embedder: Embedder;

  constructor(
    embedder: Embedder,
    private readonly settings: LearnerSettings,
  ) {
    const vectors = this.vectors;
    const embedMissing = async (texts: readonly string[]): Promise<Float32Array[]> => {
      const missing = [...new Set(texts.filter((text) => !vectors.has(text)))];
      if (missing.length) {
        const fresh = await embedder.embed(missing);
        missing.forEach((text, i) => vectors.set(text, fresh[i]!));
      }
      return texts.map((text) => vectors.get(text)!);
    };
    this.embedder = { id: embedder.id, dimension: embedder.dimension, embed: embedMissing };
  }

  /** Drops cached embeddings of texts no longer in memory. */
  private forget(keep: readonly string[]): void {
    const kept = new Set(keep);
    for (const text of this.vectors.keys()) if (!kept.has(text)) this.vectors.delete(text);
  }

  /** Features for a head trained from scratch on `texts`. */
  private freshFeatures(texts: readonly string[], current: TrainedHead | undefined): HeadFeatures | undefined {
    const kind = this.settings.features ?? current?.features?.kind ?? "embedding";
    if (kind === "embedding") return undefined;
    return { kind, tfidf: fitTfidf(texts, this.settings.tfidf) };
  }

  /** Trains a fresh head on `examples`, early-stopping and calibrating on `validation` (or a carved 10%). */
  async fit(examples: readonly LabelledExample[], validation: readonly LabelledExample[] | undefined, current: TrainedHead | undefined): Promise<{ head: TrainedHead; report: NeuralFitReport }> {
    const started = performance.now();
    const train = checkExamples(examples, "fit()");
    const held = validation ? checkExamples(validation, "fit() validation") : [];
    if (new Set(train.map((e) => e.label)).size < 2) {
      throw new MoeRouterError(ErrorCode.INSUFFICIENT_DATA, "fit() needs training examples of at least two experts; add examples of other experts.");
    }
    const features = this.freshFeatures(
      train.map((e) => e.text),
      current,
    );
    const builder = inputBuilder(features?.kind ?? "embedding", features?.tfidf, this.embedder);
    const trainInputs = await inputsInBatches(
      builder,
      train.map((e) => e.text),
    );
    const heldInputs = await inputsInBatches(
      builder,
      held.map((e) => e.text),
    );
    const head = trainHead(
      train.map((e, i) => ({ vector: trainInputs[i]!, label: e.label, weight: e.weight, text: e.text })),
      {
        kind: this.settings.kind,
        epochs: this.settings.fitEpochs,
        stopOn: this.settings.fitStopOn,
        ...(held.length ? { validation: held.map((e, i) => ({ vector: heldInputs[i]!, label: e.label })) } : { validationShare: 0.1 }),
        replaySize: this.settings.memory,
        ...(builder.usesEmbedder ? { embedderId: this.embedder.id } : {}),
        ...(features ? { features } : {}),
      },
    );
    this.pending = [];
    this.forget(head.replay.map((e) => e.text));
    const metrics = head.metrics!;
    return {
      head,
      report: {
        features: builder.kind,
        dimension: head.dimension,
        ...(metrics.validationAccuracy !== undefined ? { accuracy: metrics.validationAccuracy } : {}),
        temperature: head.temperature,
        ...(metrics.calibration ? { eceBefore: metrics.calibration.eceBefore, eceAfter: metrics.calibration.eceAfter } : {}),
        epochsRun: metrics.epochsRun,
        bestEpoch: metrics.bestEpoch,
        durationMs: performance.now() - started,
      },
    };
  }

  /** Absorbs `examples`; returns the new head, or `current` when nothing changed, or undefined while untrainable. */
  async absorb(examples: readonly LabelledExample[], current: TrainedHead | undefined): Promise<TrainedHead | undefined> {
    const fresh = checkExamples(examples, "learn()");
    if (fresh.length === 0) return current;
    // Later examples win: a corrected label replaces the earlier one for the same text.
    const byText = new Map<string, ReplayExample & { weight: number }>();
    for (const example of [...(current?.replay ?? []), ...this.pending]) byText.set(example.text, { ...example, weight: 1 });
    for (const example of fresh) {
      byText.delete(example.text);
      byText.set(example.text, example);
    }
    const memory = [...byText.values()].slice(-this.settings.memory);
    const labels = new Set(memory.map((e) => e.label));
    if (!current && labels.size < 2) {
      this.pending = memory.map(({ text, label }) => ({ text, label }));
      return undefined;
    }
    // A head keeps its features (vocabulary included) while fine-tuning; a first head gets fresh ones.
    const features = current
      ? current.features
      : this.freshFeatures(
          memory.map((e) => e.text),
          undefined,
        );
    const builder = inputBuilder(features?.kind ?? "embedding", features?.tfidf, this.embedder);
    const inputs = await inputsInBatches(
      builder,
      memory.map((e) => e.text),
    );
    const calibrate = memory.length >= MIN_CALIBRATION_SET;
    const steps = Math.ceil((memory.length * (calibrate ? 0.9 : 1)) / BATCH_SIZE);
    const epochs = Math.min(MAX_EPOCHS, Math.max(this.settings.epochs, Math.ceil(MIN_STEPS / steps)));
    const tuned = trainHead(
      memory.map((e, i) => ({ vector: inputs[i]!, label: e.label, weight: e.weight })),
      {
        kind: this.settings.kind,
        epochs,
        batchSize: BATCH_SIZE,
        // Enough examples: hold out 10% to early-stop and refit the temperature; few: keep the fitted one.
        validationShare: calibrate ? 0.1 : 0,
        replaySize: 0,
        ...(builder.usesEmbedder ? { embedderId: this.embedder.id } : {}),
        ...(features ? { features } : {}),
        ...(current ? { warmStart: current } : {}),
      },
    );
    this.pending = [];
    this.forget(memory.map((e) => e.text));
    return createTrainedHead({
      kind: tuned.kind,
      labels: tuned.labels,
      layers: tuned.layers,
      temperature: tuned.temperature,
      embedderId: tuned.embedderId,
      features: tuned.features,
      version: tuned.version,
      metrics: tuned.metrics,
      replay: memory.map(({ text, label }) => ({ text, label })),
    });
  }
}
