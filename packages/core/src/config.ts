import { ErrorCode, MoeRouterError } from "./errors.js";
import type { ExperimentConfig } from "./experiment.js";
import type { CascadeObserver, Layer } from "./types.js";

/** One layer in a cascade, with the confidence it must reach to decide. */
export interface CascadeLayer {
  readonly layer: Layer;
  /** In [0,1]: the first layer whose confidence >= threshold decides. */
  readonly threshold: number;
  /** Time budget per route (ms). Default: the cascade's `layerTimeoutMs`. */
  readonly timeoutMs?: number;
}

/** The clarification fallback: answers when no layer is confident. */
export interface FallbackConfig {
  /** Expert that receives unclear tasks. Default "coordinator-master". */
  readonly expert?: string;
  /** Two best candidates closer than this (in confidence) are named as ambiguous. Default 0.1. */
  readonly ambiguityMargin?: number;
}

/** Options of {@link createCascade}. */
export interface CascadeOptions {
  /** Layers in order, cheapest first. */
  readonly layers: readonly CascadeLayer[];
  readonly fallback?: FallbackConfig;
  readonly observers?: readonly CascadeObserver[];
  /** Declared experts: a verdict naming another expert is malformed. */
  readonly experts?: readonly string[];
  /**
   * Labels that mean "no expert" (e.g. an "oos" class a layer was trained on from examples of
   * tasks no expert takes): an accepted verdict naming one ends the route in the clarification
   * fallback with reason "out_of_scope" instead of routing. With `experts` declared, list
   * them there too (they are valid verdicts).
   */
  readonly outOfScopeExperts?: readonly string[];
  /** A/B experiment on thresholds. */
  readonly experiment?: ExperimentConfig;
  /**
   * Share (0..1) of tasks for which every layer runs and is logged after the route is
   * decided, without changing it. Gives the tuner unbiased data for later layers.
   */
  readonly shadowShare?: number;
  /** Longest description accepted (characters). Default 10,000. */
  readonly maxDescriptionLength?: number;
  /** Default per-layer time budget (ms). Default 2,000. */
  readonly layerTimeoutMs?: number;
  /** Event id generator. Default: crypto.randomUUID. */
  readonly generateEventId?: () => string;
}

const KNOWN_OPTIONS = new Set(["layers", "fallback", "observers", "experts", "outOfScopeExperts", "experiment", "shadowShare", "maxDescriptionLength", "layerTimeoutMs", "generateEventId"]);
const KNOWN_LAYER_OPTIONS = new Set(["layer", "threshold", "timeoutMs"]);
const KNOWN_FALLBACK_OPTIONS = new Set(["expert", "ambiguityMargin"]);

function invalid(message: string, data?: Record<string, unknown>): MoeRouterError {
  return new MoeRouterError(ErrorCode.INVALID_CONFIG, message, data ? { data } : {});
}

/** True for a finite number in [0,1]. */
export function isUnitInterval(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 && value <= 1;
}

function checkKeys(object: object, known: Set<string>, where: string): void {
  for (const key of Object.keys(object)) {
    if (!known.has(key)) {
      throw new MoeRouterError(ErrorCode.UNKNOWN_OPTION, `Unknown option "${key}" in ${where}. Known options: ${[...known].join(", ")}.`, { data: { option: key, where } });
    }
  }
}

/**
 * Validates cascade options; throws a coded {@link MoeRouterError} that says what to fix.
 * Called by createCascade; exported so hosts can validate before building.
 */
export function validateCascadeOptions(options: CascadeOptions): void {
  if (options === null || typeof options !== "object") {
    throw invalid("createCascade needs an options object: createCascade({ layers: [{ layer, threshold }] }).");
  }
  checkKeys(options, KNOWN_OPTIONS, "cascade options");
  if (!Array.isArray(options.layers)) {
    throw invalid('Option "layers" must be an array of { layer, threshold } (it may be empty).');
  }
  const names = new Set<string>();
  options.layers.forEach((entry, index) => {
    const where = `layers[${index}]`;
    if (entry === null || typeof entry !== "object") throw invalid(`${where} must be an object { layer, threshold }.`);
    checkKeys(entry, KNOWN_LAYER_OPTIONS, where);
    const layer = entry.layer;
    if (!layer || typeof layer !== "object" || typeof layer.route !== "function" || typeof layer.name !== "string" || !layer.name) {
      throw invalid(`${where}.layer must be a layer object { name, route } as returned by a layer factory (e.g. keywordLayer()).`);
    }
    if (names.has(layer.name)) {
      throw invalid(`Layer name "${layer.name}" appears twice; names must be unique in a cascade (pass a different "name" option).`, { layer: layer.name });
    }
    names.add(layer.name);
    if (!isUnitInterval(entry.threshold)) {
      throw invalid(`${where}.threshold for layer "${layer.name}" must be a number in [0,1]; got ${String(entry.threshold)}.`, { layer: layer.name });
    }
    if (entry.timeoutMs !== undefined && !(typeof entry.timeoutMs === "number" && entry.timeoutMs > 0)) {
      throw invalid(`${where}.timeoutMs must be a positive number of milliseconds; got ${String(entry.timeoutMs)}.`);
    }
  });
  if (options.fallback !== undefined) {
    checkKeys(options.fallback, KNOWN_FALLBACK_OPTIONS, "fallback");
    if (options.fallback.expert !== undefined && (typeof options.fallback.expert !== "string" || !options.fallback.expert)) {
      throw invalid('fallback.expert must be a non-empty string such as "coordinator-master".');
    }
    if (options.fallback.ambiguityMargin !== undefined && !isUnitInterval(options.fallback.ambiguityMargin)) {
      throw invalid(`fallback.ambiguityMargin must be a number in [0,1]; got ${String(options.fallback.ambiguityMargin)}.`);
    }
  }
  if (options.outOfScopeExperts !== undefined && (!Array.isArray(options.outOfScopeExperts) || options.outOfScopeExperts.some((e) => typeof e !== "string" || !e))) {
    throw invalid('Option "outOfScopeExperts" must be an array of non-empty labels, e.g. ["oos"].');
  }
  if (options.experts !== undefined && (!Array.isArray(options.experts) || options.experts.some((e) => typeof e !== "string" || !e))) {
    throw invalid('Option "experts" must be an array of non-empty expert names.');
  }
  if (options.shadowShare !== undefined && !isUnitInterval(options.shadowShare)) {
    throw invalid(`shadowShare must be a share in [0,1]; got ${String(options.shadowShare)}.`);
  }
  if (options.maxDescriptionLength !== undefined && !(Number.isInteger(options.maxDescriptionLength) && options.maxDescriptionLength > 0)) {
    throw invalid(`maxDescriptionLength must be a positive integer; got ${String(options.maxDescriptionLength)}.`);
  }
  if (options.layerTimeoutMs !== undefined && !(typeof options.layerTimeoutMs === "number" && options.layerTimeoutMs > 0)) {
    throw invalid(`layerTimeoutMs must be a positive number of milliseconds; got ${String(options.layerTimeoutMs)}.`);
  }
  if (options.observers !== undefined && !Array.isArray(options.observers)) {
    throw invalid('Option "observers" must be an array of observer objects ({ onDecision?, ... }).');
  }
  const experiment = options.experiment;
  if (experiment !== undefined) {
    if (!experiment || typeof experiment.name !== "string" || !experiment.name) throw invalid("experiment.name must be a non-empty string.");
    if (!isUnitInterval(experiment.share)) throw invalid(`experiment.share must be a share in [0,1]; got ${String(experiment.share)}.`);
    for (const [layer, threshold] of Object.entries(experiment.candidateThresholds ?? {})) {
      if (!names.has(layer)) throw invalid(`experiment.candidateThresholds names layer "${layer}", which is not in the cascade (layers: ${[...names].join(", ") || "none"}).`);
      if (!isUnitInterval(threshold)) throw invalid(`experiment.candidateThresholds.${layer} must be in [0,1]; got ${String(threshold)}.`);
    }
  }
}
