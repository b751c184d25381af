import { ErrorCode, isUnitInterval, MoeRouterError } from "@moe-router/core";
import { checkKnownKeys, fallbackExpertOption, type LayerOptionSchema } from "@moe-router/core/kit";
import type { SemanticCalibration, SemanticLayerOptions } from "../types.js";

const KNOWN_EXPERT_OPTIONS = ["exemplars", "description", "threshold"];
const SCORING = ["max", "centroid", "knn"];
const FEATURES = ["margin", "top", "probability", "margin+top"];

/** A MOE_INVALID_CONFIG error naming the option. */
export function invalidConfig(message: string, option?: string): MoeRouterError {
  return new MoeRouterError(ErrorCode.INVALID_CONFIG, message, option ? { data: { option } } : {});
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

/** The semantic layer's options: known keys, types, ranges and defaults (the layer kit checks them). */
export const OPTIONS = {
  experts: { type: "object", validate: (value) => validateExperts(value as SemanticLayerOptions["experts"]) },
  name: { type: "string", default: "semantic", example: "semantic" },
  scoring: { type: "string", oneOf: SCORING, default: "knn" },
  k: { type: "number", integer: true, min: 1, default: 5 },
  calibration: {
    type: "any",
    validate: (value) => {
      if (value !== "exemplars") validateCalibration(value);
    },
  },
  calibrationKind: { type: "string", oneOf: ["platt", "temperature"] },
  calibrationSample: { type: "number", integer: true, min: 1 },
  calibrationPriorWeight: { type: "number", min: 0, description: "pseudo-examples of the prior" },
  persistPath: { type: "path", base: "data", factoryOnly: true },
  fallbackExpert: fallbackExpertOption,
  seed: { type: "number", integer: true, default: 42 },
  onWarning: { type: "function" },
} as const satisfies LayerOptionSchema<SemanticLayerOptions>;

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
