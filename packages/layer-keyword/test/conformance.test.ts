import { describe, it } from "vitest";
import { layerConformance } from "@moe-router/core/testing";
import { keywordLayer, DEFAULT_RULES } from "../src/index.js";

layerConformance({ describe, it }, () => keywordLayer());

describe("with phrases, patterns and a custom fallback", () => {
  layerConformance({ describe, it }, () =>
    keywordLayer({
      name: "keyword-custom",
      fallbackExpert: "coordinator-master",
      noMatchConfidence: 0.1,
      rules: [...DEFAULT_RULES, { name: "payments", expert: "development-master", confidence: 0.8, phrases: ["payment service"], patterns: ["\\bPAY-\\d+\\b"] }],
    }),
  );
});
