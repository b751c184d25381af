/**
 * Data preparation for training: the stratified validation split, class weights and the
 * replay sample. All seeded, so the same data and seed give the same partition.
 */
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { shuffleInPlace, type Random } from "./random.js";

/**
 * Splits example indices by class: round(share x n_c) of each class go to validation,
 * but a class keeps at least one training example (a class with one example stays
 * entirely in training, so the head still learns it).
 */
export function stratifiedSplit(labels: readonly number[], classes: number, share: number, random: Random): { train: number[]; validation: number[] } {
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  labels.forEach((label, index) => byClass[label]!.push(index));
  const train: number[] = [];
  const validation: number[] = [];
  for (const members of byClass) {
    shuffleInPlace(members, random);
    const held = Math.min(members.length - 1, Math.round(members.length * share));
    for (let i = 0; i < members.length; i++) (i < held ? validation : train).push(members[i]!);
  }
  // Sorting undoes the per-class grouping so batch order depends only on the shuffles below.
  train.sort((a, b) => a - b);
  validation.sort((a, b) => a - b);
  return { train, validation };
}

/**
 * Per-class weights. "balanced" gives class c the weight n / (classes x n_c) (as
 * scikit-learn does), so every class contributes the same total weight to the loss.
 */
export function classWeightsFor(setting: "balanced" | "none" | Readonly<Record<string, number>> | undefined, labels: readonly string[], counts: readonly number[]): Float64Array {
  const weights = new Float64Array(labels.length).fill(1);
  if (setting === undefined || setting === "none") return weights;
  if (setting === "balanced") {
    const total = counts.reduce((a, b) => a + b, 0);
    const present = counts.filter((c) => c > 0).length;
    counts.forEach((count, i) => {
      if (count > 0) weights[i] = total / (present * count);
    });
    return weights;
  }
  if (typeof setting !== "object" || setting === null) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `classWeights must be "balanced", "none" or an object of label -> weight; got ${JSON.stringify(setting)}.`);
  }
  for (const [label, weight] of Object.entries(setting)) {
    if (!(typeof weight === "number" && Number.isFinite(weight) && weight >= 0)) {
      throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `classWeights["${label}"] must be a number >= 0; got ${String(weight)}.`);
    }
    const index = labels.indexOf(label);
    if (index >= 0) weights[index] = weight;
  }
  return weights;
}

/** A seeded sample of at most `size` indices, spread over classes round-robin so rare classes are kept. */
export function replaySample(labels: readonly number[], candidates: readonly number[], classes: number, size: number, random: Random): number[] {
  if (size <= 0 || candidates.length === 0) return [];
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  for (const index of candidates) byClass[labels[index]!]!.push(index);
  for (const members of byClass) shuffleInPlace(members, random);
  const picked: number[] = [];
  for (let round = 0; picked.length < size; round++) {
    let added = false;
    for (const members of byClass) {
      if (round < members.length && picked.length < size) {
        picked.push(members[round]!);
        added = true;
      }
    }
    if (!added) break;
  }
  return picked.sort((a, b) => a - b);
}
