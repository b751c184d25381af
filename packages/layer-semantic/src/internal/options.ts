import { ErrorCode, isUnitInterval, MoeRouterError } from "@moe-router/core";
import type { SemanticCalibration, SemanticLayerOptions } from "../types.js";

const KNOWN_OPTIONS = [
  "embedder", "experts", "name", "scoring", "k", "calibration", "calibrationKind", "calibrationSample",
  "calibrationPriorWeight", "persistPath", "fallbackExpert", "seed", "onWarning",
];
const KNOWN_EXPERT_OPTIONS = ["exemplars", "description", "threshold"];
const SCORING = ["max", "centroid", "knn"];
const FEATURES = ["margin", "top", "probability", "margin+top"];

/** A MOE_INVALID_CONFIG error naming the option. */
export function invalidConfig(message: string, option?: string): MoeRouterError {
  return new MoeRouterError(ErrorCode.INVALID_CONFIG, message, option ? { data: { option } } : {});
}

/** Throws MOE_UNKNOWN_OPTION for a key outside `known` (usually a typo). */
export function checkKnownKeys(object: object, known: readonly string[], where: string): void {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) {
      throw new MoeRouterError(ErrorCode.UNKNOWN_OPTION, `Unknown option "${key}" in ${where}. Known options: ${known.join(", ")}.`, { data: { option: key, where } });
    }
  }
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value > 0;
}

/** Validates fitted calibration parameters (e.g. copied into a config file). */
export function validateCalibration(calibration: unknown, where = "calibration"): asserts calibration is SemanticCalibration {
  const c = calibration as Partial<Record<string, unknown>> | null;
  const positive = (v: unknown) => typeof v === "number" && Number.isFinite(v) && v > 0;
  if (!c || typeof c !== "object") throw invalidConfig(`${where} must be "exemplars" or fitted parameters such as { "kind": "temperature", "temperature": 0.05 }.`, where);
  if (c.kind === "temperature") {
    checkKnownKeys(c, ["kind", "temperature"], where);
    if (!positive(c.temperature)) throw invalidConfig(`${where}.temperature must be a positive number; got ${String(c.temperature)}.`, where);
    return;
  }
  if (c.kind === "platt") {
    checkKnownKeys(c, ["kind", "feature", "a", "b", "c", "temperature"], where);
    if (!FEATURES.includes(c.feature as string)) throw invalidConfig(`${where}.feature must be one of ${FEATURES.join(", ")}; got ${String(c.feature)}.`, where);
    if (typeof c.a !== "number" || !Number.isFinite(c.a) || typeof c.b !== "number" || !Number.isFinite(c.b)) {
      throw invalidConfig(`${where}.a and ${where}.b must be finite numbers (as returned by getCalibration()).`, where);
    }
    if (c.feature === "margin+top" && (typeof c.c !== "number" || !Number.isFinite(c.c))) {
      throw invalidConfig(`${where}.c (the weight of the top score) must be a finite number for the "margin+top" feature.`, where);
    }
    if (!positive(c.temperature)) throw invalidConfig(`${where}.temperature must be a positive number; got ${String(c.temperature)}.`, where);
    return;
  }
  throw invalidConfig(`${where}.kind must be "platt" or "temperature"; got ${String(c.kind)}.`, where);
}

/** Validates {@link SemanticLayerOptions}; throws a coded error that says what to fix. */
export function validateOptions(options: SemanticLayerOptions): void {
  if (!options || typeof options !== "object") {
    throw invalidConfig("semanticLayer needs an options object: semanticLayer({ embedder, experts: { name: { exemplars: [...] } } }).");
  }
  checkKnownKeys(options, KNOWN_OPTIONS, "semantic layer options");
  const embedder = options.embedder as Partial<SemanticLayerOptions["embedder"]> | undefined;
  if (!embedder || typeof embedder.embed !== "function" || typeof embedder.id !== "string" || !isPositiveInteger(embedder.dimension)) {
    throw invalidConfig('The semantic layer needs an embedder { id, dimension, embed() }, e.g. hashedEmbedder() from @moe-router/embeddings; in a config file add "embedder": {"package": "@moe-router/embeddings"}.', "embedder");
  }
  if (options.name !== undefined && (typeof options.name !== "string" || !options.name)) throw invalidConfig('Option "name" must be a non-empty string.', "name");
  if (options.scoring !== undefined && !SCORING.includes(options.scoring)) {
    throw invalidConfig(`Option "scoring" must be one of ${SCORING.join(", ")}; got ${String(options.scoring)}.`, "scoring");
  }
  if (options.k !== undefined && !isPositiveInteger(options.k)) throw invalidConfig(`Option "k" must be a positive integer; got ${String(options.k)}.`, "k");
  if (options.calibration !== undefined && options.calibration !== "exemplars") validateCalibration(options.calibration);
  if (options.calibrationKind !== undefined && options.calibrationKind !== "platt" && options.calibrationKind !== "temperature") {
    throw invalidConfig(`Option "calibrationKind" must be "platt" or "temperature"; got ${String(options.calibrationKind)}.`, "calibrationKind");
  }
  if (options.calibrationSample !== undefined && !isPositiveInteger(options.calibrationSample)) {
    throw invalidConfig(`Option "calibrationSample" must be a positive integer; got ${String(options.calibrationSample)}.`, "calibrationSample");
  }
  if (options.calibrationPriorWeight !== undefined && !(typeof options.calibrationPriorWeight === "number" && Number.isFinite(options.calibrationPriorWeight) && options.calibrationPriorWeight >= 0)) {
    throw invalidConfig(`Option "calibrationPriorWeight" must be a number >= 0 (pseudo-examples of the prior); got ${String(options.calibrationPriorWeight)}.`, "calibrationPriorWeight");
  }
  if (options.persistPath !== undefined && (typeof options.persistPath !== "string" || !options.persistPath)) {
    throw invalidConfig('Option "persistPath" must be a file path.', "persistPath");
  }
  if (options.fallbackExpert !== undefined && (typeof options.fallbackExpert !== "string" || !options.fallbackExpert)) {
    throw invalidConfig('Option "fallbackExpert" must be a non-empty expert name such as "coordinator-master".', "fallbackExpert");
  }
  if (options.seed !== undefined && !Number.isInteger(options.seed)) throw invalidConfig(`Option "seed" must be an integer; got ${String(options.seed)}.`, "seed");
  if (options.onWarning !== undefined && typeof options.onWarning !== "function") throw invalidConfig('Option "onWarning" must be a function.', "onWarning");
  validateExperts(options.experts);
}

function validateExperts(experts: SemanticLayerOptions["experts"]): void {
  if (experts === undefined) return;
  if (experts === null || typeof experts !== "object" || Array.isArray(experts)) {
    throw invalidConfig('Option "experts" must be an object: { "security-master": { "exemplars": ["Fix the login bug", ...] } }.', "experts");
  }
  for (const [expert, spec] of Object.entries(experts)) {
    const where = `experts["${expert}"]`;
    if (!expert) throw invalidConfig("Expert names must be non-empty.", "experts");
    if (!spec || typeof spec !== "object") throw invalidConfig(`${where} must be an object { exemplars: [...], description?, threshold? }.`, "experts");
    checkKnownKeys(spec, KNOWN_EXPERT_OPTIONS, where);
    if (!Array.isArray(spec.exemplars) || spec.exemplars.some((text) => typeof text !== "string" || !text.trim())) {
      throw invalidConfig(`${where}.exemplars must be an array of non-empty task texts.`, "experts");
    }
    if (spec.description !== undefined && (typeof spec.description !== "string" || !spec.description.trim())) {
      throw invalidConfig(`${where}.description must be a non-empty string when given.`, "experts");
    }
    if (spec.exemplars.length === 0 && spec.description === undefined) {
      throw invalidConfig(`${where} has no exemplars and no description, so nothing can match it; add a few example task texts.`, "experts");
    }
    if (spec.threshold !== undefined && !isUnitInterval(spec.threshold)) {
      throw invalidConfig(`${where}.threshold must be a number in [0,1]; got ${String(spec.threshold)}.`, "experts");
    }
  }
}
