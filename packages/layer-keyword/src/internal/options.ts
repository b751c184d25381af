import { fallbackExpertOption, type LayerOptionSchema } from "@moe-router/core/kit";
import type { KeywordLayerOptions } from "../types.js";

/** The keyword layer's options: known keys, types, ranges and defaults, in one place. */
export const OPTIONS = {
  name: { type: "string", default: "keyword", example: "keyword" },
  // Checked and compiled by compileRules (nested keys, regex safety); the default rules when left out.
  rules: { type: "any" },
  fallbackExpert: fallbackExpertOption,
  noMatchConfidence: { type: "number", min: 0, max: 1, default: 0, description: "the confidence reported when no rule matches; 0 lets the cascade move on" },
  matchBoost: { type: "number", min: 0, max: 1, default: 0.02, description: "confidence added per extra matched term" },
  maxBoost: { type: "number", min: 0, max: 1, default: 0.06, description: "the cap on the total boost" },
  maxPatternInputLength: { type: "number", integer: true, min: 1, default: 500, description: "characters of the description a pattern sees" },
} as const satisfies LayerOptionSchema<KeywordLayerOptions>;
