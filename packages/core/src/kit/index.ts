/**
 * The layer kit for layer authors: `@moe-router/core/kit`. `defineLayer` turns one
 * description of a layer (name, option schema, needs an embedder, build) into its factory and
 * its config entry point; the helpers below are what layers used to copy.
 *
 * @example
 * import { defineLayer, fallbackExpertOption } from "@moe-router/core/kit";
 * const definition = defineLayer<EchoOptions>()({
 *   name: "echo",
 *   options: { name: { type: "string", default: "echo" }, fallbackExpert: fallbackExpertOption },
 *   build: (options) => ({ name: options.name, route: () => ({ expert: options.fallbackExpert, confidence: 0 }) }),
 * });
 */
export { defineLayer, type ConfigEnvironment, type DefinedLayer, type FilledOptions, type LayerDefinition, type LayerOptionSchema } from "./define-layer.js";
export {
  FALLBACK_EXPERT_RENAMES,
  checkKnownKeys,
  checkOptions,
  fallbackExpertOption,
  invalidOption,
  isPlainObject,
  type BooleanSpec,
  type CheckOptionsContext,
  type EmbedderSpec,
  type FunctionSpec,
  type NumberSpec,
  type OptionSchema,
  type OptionSpec,
  type PathSpec,
  type RenamedOptions,
  type StringSpec,
  type ValueSpec,
} from "./options.js";
export { isEmbedder, requireEmbedder } from "./embedder.js";
export { resolveLayerPath } from "./paths.js";
export { chain, isThenable, type MaybePromise } from "./thenable.js";
export { checkVerdict } from "./verdict.js";
