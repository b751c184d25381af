import { ErrorCode, MoeRouterError, type Layer, type LayerEnvironment, type RoutingTask, type Verdict } from "@moe-router/core";
import type { KeywordLayerOptions } from "./types.js";
import { invalidConfig } from "./internal/errors.js";
import { Matcher } from "./internal/matcher.js";
import { resolveOptions } from "./internal/options.js";

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
  const { name, compiled, settings } = resolveOptions(options);
  const matcher = new Matcher(compiled, settings);
  const experts = Object.freeze([...new Set([...compiled.rules.map((rule) => rule.expert), settings.fallbackExpert])]);
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
}

/**
 * The `LayerModule` entry point, so a config file can name this package:
 * `{ "package": "@moe-router/layer-keyword", "options": { ... }, "threshold": 0.85 }`.
 * Options are validated like {@link keywordLayer}'s; when the environment declares its
 * experts, every rule's expert and the fallback expert must be among them.
 */
export function createLayer(options: unknown, environment?: LayerEnvironment): Layer {
  const layer = keywordLayer(options as KeywordLayerOptions | undefined);
  const declared = environment?.experts;
  if (declared !== undefined && declared.length > 0) {
    for (const expert of layer.capabilities?.experts ?? []) {
      if (!declared.includes(expert)) {
        throw invalidConfig(
          `expert "${expert}" is used by the keyword rules or as fallbackExpert but is not among the declared experts (${declared.join(", ")}). ` +
            "Declare it, change the rule's expert, or set fallbackExpert.",
          { expert },
        );
      }
    }
  }
  return layer;
}
