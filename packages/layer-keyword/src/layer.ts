import { ErrorCode, MoeRouterError, type Layer, type LayerEnvironment, type RoutingTask, type Verdict } from "@moe-router/core";
import { defineLayer } from "@moe-router/core/kit";
import { DEFAULT_RULES } from "./default-rules.js";
import type { KeywordLayerOptions } from "./types.js";
import { Matcher } from "./internal/matcher.js";
import { OPTIONS } from "./internal/options.js";
import { compileRules } from "./internal/rules.js";

const definition = defineLayer<KeywordLayerOptions>()({
  name: "keyword",
  options: OPTIONS,
  checkDeclaredExperts: true,
  build(options): Layer {
    const { name, fallbackExpert, noMatchConfidence, matchBoost, maxBoost, maxPatternInputLength } = options;
    const compiled = compileRules(options.rules ?? DEFAULT_RULES, maxPatternInputLength);
    const matcher = new Matcher(compiled, { fallbackExpert, noMatchConfidence, matchBoost, maxBoost, patternInputCap: maxPatternInputLength });
    const experts = Object.freeze([...new Set([...compiled.rules.map((rule) => rule.expert), fallbackExpert])]);
    return {
      name,
      capabilities: Object.freeze({ deterministic: true, experts }),
      route(task: RoutingTask): Verdict {
        const description = task?.description;
        if (typeof description !== "string") {
          throw new MoeRouterError(ErrorCode.INVALID_TASK, `Layer "${name}" needs a task with a string description, e.g. { description: "Fix login bug" }.`);
        }
        return matcher.match(description);
      },
    };
  },
});

/**
 * Builds the keyword layer: rules of keywords, phrases and patterns, matched on word
 * boundaries after light normalisation (case, punctuation, simple inflections) through
 * a token index built here, once. Synchronous and deterministic; it does not learn.
 *
 * Throws a `MoeRouterError` with code MOE_INVALID_CONFIG (bad value, unsafe pattern) or
 * MOE_UNKNOWN_OPTION (misspelt key) when the options are wrong.
 *
 * @example
 * const cascade = createCascade({ layers: [{ layer: keywordLayer(), threshold: 0.85 }] });
 * cascade.routeSync({ description: "Deploy API to production" });
 * // -> expert "cicd-master", confidence 0.86, layer "keyword"
 */
export function keywordLayer(options?: KeywordLayerOptions): Layer {
  return definition.factory(options);
}

/**
 * The `LayerModule` entry point, so a config file can name this package:
 * `{ "package": "@moe-router/layer-keyword", "options": { ... }, "threshold": 0.85 }`.
 * Options are validated like {@link keywordLayer}'s; when the environment declares its
 * experts, every rule's expert and the fallback expert must be among them.
 */
export function createLayer(options: unknown, environment: LayerEnvironment): Layer {
  return definition.createLayer(options, environment);
}
