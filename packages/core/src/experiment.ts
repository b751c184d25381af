import { unitHash } from "./internal/hash.js";

/** A threshold experiment: a share of traffic routes with candidate thresholds. */
export interface ExperimentConfig {
  /** Experiment name; part of the assignment hash, so a new name reshuffles. */
  readonly name: string;
  /** Share of tasks (0..1) assigned to the candidate variant. */
  readonly share: number;
  /** Thresholds (by layer name) for the candidate variant; others keep control's. */
  readonly candidateThresholds: Readonly<Record<string, number>>;
}

/** Variant of an A/B experiment. */
export type Variant = "control" | "candidate";

/**
 * Deterministic assignment: the same key and experiment always give the same variant,
 * and about `share` of keys land in "candidate".
 */
export function assignVariant(key: string, experimentName: string, share: number): Variant {
  if (share <= 0) return "control";
  if (share >= 1) return "candidate";
  return unitHash(`${experimentName}\u0000${key}`) < share ? "candidate" : "control";
}

/** Deterministic sampling: true for about `share` of keys (used for shadow logging). */
export function sampled(key: string, salt: string, share: number): boolean {
  if (share <= 0) return false;
  if (share >= 1) return true;
  return unitHash(`${salt}\u0000${key}`) < share;
}
