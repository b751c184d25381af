/**
 * `defineLayer`: one description of a layer (name, option schema, whether it needs an
 * embedder, build function) yields both entry points a layer package exports, the factory
 * (`keywordLayer(options)`) and the config entry (`createLayer(options, environment)`), so
 * options are checked, defaulted and resolved the same way in every layer.
 */
import { ErrorCode, MoeRouterError } from "../errors.js";
import type { LayerEnvironment } from "../modules.js";
import type { Embedder, Layer } from "../types.js";
import { requireEmbedder } from "./embedder.js";
import { checkOptions, FALLBACK_EXPERT_RENAMES, type OptionSchema, type OptionSpec, type RenamedOptions } from "./options.js";
import { resolveLayerPath } from "./paths.js";
import { chain, type MaybePromise } from "./thenable.js";

/**
 * A schema for `Options`: every key has a spec but `embedder` (which `needsEmbedder` adds)
 * and the deprecated `defaultExpert` (renamed `fallbackExpert` before the schema is read).
 */
export type LayerOptionSchema<Options extends object> = { readonly [K in Exclude<keyof Required<Options>, "embedder" | "defaultExpert">]: OptionSpec } & { readonly embedder?: OptionSpec };

/** Options as `build` receives them: keys with a default or marked required are filled. */
export type FilledOptions<Options extends object, S> = Options & {
  readonly [K in keyof S & keyof Options as S[K] extends { readonly default: unknown } | { readonly required: true } ? K : never]-?: Exclude<Options[K], undefined>;
};

/** The environment `fromConfig` receives: the host's, with the embedder checked when needed. */
export type ConfigEnvironment = LayerEnvironment & { readonly embedder?: Embedder };

/** What a layer author writes once. */
export interface LayerDefinition<Options extends object, S extends LayerOptionSchema<Options>, L extends Layer, Config extends object, Built extends MaybePromise<Options>> {
  /** The layer's default name and the word used in messages: "keyword" -> "keyword layer options". */
  readonly name: string;
  /** The factory's options: known keys, types, ranges and defaults. */
  readonly options: S;
  /**
   * Keys a config file may give besides the factory's non-factory-only ones (or instead of
   * them, same name), e.g. `exemplarsFile`, or `store` as a spec string. `path` keys are
   * resolved against the environment before `fromConfig` sees them.
   */
  readonly config?: Readonly<Record<string, OptionSpec>>;
  /** Old option names still accepted (with a MOE_DEPRECATED_OPTION warning). `defaultExpert` always is. */
  readonly renamed?: RenamedOptions;
  /** The layer embeds texts: the factory requires `embedder`, `createLayer` takes the environment's. */
  readonly needsEmbedder?: boolean;
  /** `createLayer` refuses an expert the layer claims (capabilities.experts) that the cascade does not declare. */
  readonly checkDeclaredExperts?: boolean;
  /** Builds the layer from checked options (defaults filled). */
  build(options: FilledOptions<Options, S>): L;
  /**
   * Turns checked config options (defaults filled, paths resolved) into factory options.
   * Default: the config options as they are, plus the environment's embedder when needed.
   */
  fromConfig?(config: Config, environment: ConfigEnvironment): Built;
  /** Releases what `fromConfig` opened (a store) when the factory then refuses the options. */
  discard?(options: Options): MaybePromise<void>;
}

/** What {@link defineLayer} yields. */
export interface DefinedLayer<Options extends object, L extends Layer, Created> {
  /** The layer's default name. */
  readonly name: string;
  /** The checked schema of the factory's options (with `embedder` when needed). */
  readonly schema: OptionSchema;
  /** The schema `createLayer` checks a config entry against. */
  readonly configSchema: OptionSchema;
  /** The factory: checks `options`, fills defaults, builds. */
  factory(options?: Options): L;
  /** The config entry point (core's `LayerModule.createLayer`). */
  createLayer(options: unknown, environment: LayerEnvironment): Created;
}

const EMBEDDER_SPEC: OptionSpec = Object.freeze({ type: "embedder", required: true, description: "turns texts into vectors" });

function isFactoryOnly(spec: OptionSpec): boolean {
  return spec.factoryOnly === true || spec.type === "function" || spec.type === "embedder";
}

/**
 * Describes a layer once; returns its factory and config entry point. Curried, like
 * typescript-eslint's `RuleCreator`, so `Options` is given and the schema's literal type is
 * inferred (which keys have defaults):
 *
 * @example
 * const definition = defineLayer<EchoOptions>()({
 *   name: "echo",
 *   options: { name: { type: "string", default: "echo" }, fallbackExpert: fallbackExpertOption },
 *   build: (options) => ({ name: options.name, route: () => ({ expert: options.fallbackExpert, confidence: 0 }) }),
 * });
 * export const echoLayer = definition.factory;
 * export const createLayer = definition.createLayer;
 */
export function defineLayer<Options extends object, Config extends object = Options>() {
  return <const S extends LayerOptionSchema<Options>, L extends Layer, Built extends MaybePromise<Options> = Options>(
    definition: LayerDefinition<Options, S, L, Config, Built>,
  ): DefinedLayer<Options, L, Built extends Promise<unknown> ? Promise<L> : L> => {
    const where = `${definition.name} layer options`;
    const renamed = { ...FALLBACK_EXPERT_RENAMES, ...definition.renamed };
    const schema: Record<string, OptionSpec> = { ...(definition.options as OptionSchema) };
    if (definition.needsEmbedder && !schema.embedder) schema.embedder = EMBEDDER_SPEC;
    const configSchema: Record<string, OptionSpec> = {};
    for (const [key, spec] of Object.entries(schema)) if (!isFactoryOnly(spec)) configSchema[key] = spec;
    Object.assign(configSchema, definition.config ?? {});

    const factory = (options?: Options): L => {
      const onWarning = (options as { onWarning?: unknown } | undefined)?.onWarning;
      const checked = checkOptions(schema, options, { where, renamed, ...(typeof onWarning === "function" ? { onWarning: onWarning as (w: MoeRouterError) => void } : {}) });
      return definition.build(checked as FilledOptions<Options, S>);
    };

    const createLayer = (options: unknown, environment: LayerEnvironment) => {
      if (!environment || typeof environment.dataDir !== "string") {
        throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `createLayer of the ${definition.name} layer needs an environment { dataDir, embedder?, experts?, configDir? } (the router passes one).`, {
          data: { where },
        });
      }
      const checked = checkOptions(configSchema, options, { where, renamed, config: true, ...(environment.onWarning ? { onWarning: environment.onWarning } : {}) });
      for (const [key, spec] of Object.entries(configSchema)) {
        const value = checked[key];
        if (spec.type === "path" && typeof value === "string") checked[key] = resolveLayerPath(value, environment, spec.base);
      }
      const embedder = definition.needsEmbedder ? requireEmbedder(environment.embedder, definition.name) : undefined;
      const env: ConfigEnvironment = embedder ? { ...environment, embedder } : environment;
      const built: MaybePromise<Options> = definition.fromConfig ? definition.fromConfig(checked as Config, env) : (checked as Options);
      return chain(built, (factoryOptions) => {
        const withEmbedder = embedder && !(factoryOptions as { embedder?: unknown }).embedder ? { ...factoryOptions, embedder } : factoryOptions;
        let layer: L;
        try {
          layer = factory(withEmbedder);
        } catch (error) {
          if (!definition.discard) throw error;
          return chain(definition.discard(withEmbedder), () => Promise.reject(error));
        }
        if (definition.checkDeclaredExperts) checkDeclared(layer, environment.experts, definition.name);
        return layer;
      });
    };

    return Object.freeze({
      name: definition.name,
      schema: Object.freeze(schema),
      configSchema: Object.freeze(configSchema),
      factory,
      createLayer: createLayer as (options: unknown, environment: LayerEnvironment) => Built extends Promise<unknown> ? Promise<L> : L,
    });
  };
}

function checkDeclared(layer: Layer, declared: readonly string[] | undefined, name: string): void {
  if (!declared?.length) return;
  for (const expert of layer.capabilities?.experts ?? []) {
    if (!declared.includes(expert)) {
      throw new MoeRouterError(
        ErrorCode.INVALID_CONFIG,
        `${name} layer: expert "${expert}" is used by the layer (its rules or fallbackExpert) but is not among the declared experts (${declared.join(", ")}). Declare it, or change the layer's options.`,
        { data: { expert, layer: layer.name } },
      );
    }
  }
}
