/**
 * What `learn()` does: corrected outcomes join the head's replay set (the sample of its
 * original training data plus everything learned since), and the head is fine-tuned
 * from its current weights over that set. Replaying old data alongside the new examples
 * keeps the head from forgetting the classes the new examples do not mention.
 */
import { ErrorCode, MoeRouterError, type Embedder, type LabelledExample } from "@moe-router/core";
import { trainHead } from "../train.js";
import type { HeadKind, ReplayExample, TrainedHead } from "../types.js";
import { createTrainedHead } from "./head.js";

/** Learner settings. */
export interface LearnerSettings {
  readonly kind: HeadKind;
  readonly epochs: number;
  /** Most labelled texts kept for replay. */
  readonly memory: number;
}

/** Small sets get more epochs so every fine-tune makes at least this many optimiser steps. */
const MIN_STEPS = 60;
const BATCH_SIZE = 32;
const MAX_EPOCHS = 300;

/** Fine-tunes heads from labelled examples; keeps examples seen before a head exists. */
export class Learner {
  /** Examples learned while there was no head yet (fewer than two labels seen). */
  private pending: ReplayExample[] = [];
  private readonly vectors = new Map<string, Float32Array>();

  constructor(private readonly embedder: Embedder, private readonly settings: LearnerSettings) {}

  /** Absorbs `examples`; returns the new head, or `current` when nothing changed, or undefined while untrainable. */
  async absorb(examples: readonly LabelledExample[], current: TrainedHead | undefined): Promise<TrainedHead | undefined> {
    if (!Array.isArray(examples)) throw new MoeRouterError(ErrorCode.INVALID_CONFIG, "learn() takes an array of { text, expert } examples.");
    const fresh: (ReplayExample & { weight: number })[] = examples.map((example, index) => {
      if (!example || typeof example.text !== "string" || !example.text.trim() || typeof example.expert !== "string" || !example.expert) {
        throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `learn() example ${index} needs a non-empty "text" and "expert"; got ${JSON.stringify(example)}.`);
      }
      return { text: example.text, label: example.expert, weight: example.weight ?? 1 };
    });
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

    await this.embedMissing(memory.map((e) => e.text));
    const steps = Math.ceil(memory.length / BATCH_SIZE);
    const epochs = Math.min(MAX_EPOCHS, Math.max(this.settings.epochs, Math.ceil(MIN_STEPS / steps)));
    const tuned = trainHead(
      memory.map((e) => ({ vector: this.vectors.get(e.text)!, label: e.label, weight: e.weight })),
      {
        kind: this.settings.kind,
        epochs,
        batchSize: BATCH_SIZE,
        // Few, fresh examples: no validation split to hold out, so the fitted temperature is kept.
        validationShare: 0,
        replaySize: 0,
        embedderId: this.embedder.id,
        ...(current ? { warmStart: current } : {}),
      },
    );
    this.pending = [];
    const keep = new Set(memory.map((e) => e.text));
    for (const text of this.vectors.keys()) if (!keep.has(text)) this.vectors.delete(text);
    return createTrainedHead({
      kind: tuned.kind,
      labels: tuned.labels,
      layers: tuned.layers,
      temperature: tuned.temperature,
      embedderId: tuned.embedderId,
      version: tuned.version,
      metrics: tuned.metrics,
      replay: memory.map(({ text, label }) => ({ text, label })),
    });
  }

  private async embedMissing(texts: readonly string[]): Promise<void> {
    const missing = texts.filter((text) => !this.vectors.has(text));
    for (let start = 0; start < missing.length; start += 256) {
      const batch = missing.slice(start, start + 256);
      const vectors = await this.embedder.embed(batch);
      batch.forEach((text, i) => this.vectors.set(text, vectors[i]!));
    }
  }
}
