/**
 * Option checks with coded errors that say how to fix the mistake, shared by trainHead,
 * neuralLayer and createLayer so each mistake reads the same wherever it is made.
 */
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { checkKnownKeys } from "@moe-router/core/kit";
import type { HeadKind, TrainOptions } from "../types.js";

/** trainHead's options with defaults filled in. */
export interface TrainSettings {
  readonly kind: HeadKind;
  readonly hidden: number;
  readonly epochs: number;
  readonly batchSize: number;
  /** Undefined: the kind's default. */
  readonly learningRate: number | undefined;
  readonly l2: number;
  readonly validationShare: number;
  readonly patience: number;
  readonly seed: number;
  readonly replaySize: number;
}

const TRAIN_KEYS = [
  "kind",
  "hidden",
  "epochs",
  "batchSize",
  "learningRate",
  "l2",
  "classWeights",
  "validationShare",
  "validation",
  "features",
  "stopOn",
  "patience",
  "seed",
  "embedderId",
  "replaySize",
  "warmStart",
  "onProgress",
];

/** Returns `value` (or `fallback` when undefined) after checking it is a number in range. */
export function numberIn(value: unknown, name: string, fallback: number, range: { min: number; max?: number; integer?: boolean; exclusiveMin?: boolean }): number {
  if (value === undefined) return fallback;
  const tooLow = typeof value === "number" && (range.exclusiveMin ? value <= range.min : value < range.min);
  const bad = typeof value !== "number" || !Number.isFinite(value) || tooLow || (range.max !== undefined && value > range.max) || (range.integer && !Number.isInteger(value));
  if (bad) {
    const bounds = `${range.exclusiveMin ? ">" : ">="} ${range.min}${range.max !== undefined ? ` and <= ${range.max}` : ""}`;
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `"${name}" must be ${range.integer ? "an integer" : "a number"} ${bounds}; got ${JSON.stringify(value)}.`, { data: { option: name } });
  }
  return value;
}

/** Checks a head kind. */
export function checkKind(value: unknown, name = "kind"): HeadKind {
  if (value === undefined) return "softmax";
  if (value !== "softmax" && value !== "mlp") {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `"${name}" must be "softmax" or "mlp"; got ${JSON.stringify(value)}.`, { data: { option: name } });
  }
  return value;
}

/** Validates trainHead's options and fills defaults. */
export function checkTrainOptions(options: TrainOptions): TrainSettings {
  if (options === null || typeof options !== "object") throw new MoeRouterError(ErrorCode.INVALID_CONFIG, 'trainHead options must be an object, e.g. { kind: "softmax", epochs: 30 }.');
  checkKnownKeys(options, TRAIN_KEYS, "trainHead options");
  if (options.onProgress !== undefined && typeof options.onProgress !== "function") {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, '"onProgress" must be a function (epoch, metrics) => void.');
  }
  return {
    kind: checkKind(options.kind),
    hidden: numberIn(options.hidden, "hidden", 128, { min: 1, max: 65_536, integer: true }),
    epochs: numberIn(options.epochs, "epochs", 30, { min: 1, max: 100_000, integer: true }),
    batchSize: numberIn(options.batchSize, "batchSize", 32, { min: 1, integer: true }),
    learningRate: options.learningRate === undefined ? undefined : numberIn(options.learningRate, "learningRate", 0, { min: 0, exclusiveMin: true, max: 10 }),
    l2: numberIn(options.l2, "l2", 1e-5, { min: 0 }),
    validationShare: numberIn(options.validationShare, "validationShare", 0.1, { min: 0, max: 0.9 }),
    patience: numberIn(options.patience, "patience", 3, { min: 1, integer: true }),
    seed: numberIn(options.seed, "seed", 42, { min: 0, max: 2 ** 32 - 1, integer: true }),
    replaySize: numberIn(options.replaySize, "replaySize", 256, { min: 0, integer: true }),
  };
}
