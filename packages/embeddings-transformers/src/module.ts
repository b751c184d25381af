/**
 * The config-file entry point (core's EmbedderModule):
 * `{ "embedder": { "package": "@moe-router/embeddings-transformers", "options": { "modelDir": "models/all-MiniLM-L6-v2" } } }`.
 */
import { isAbsolute, resolve } from "node:path";
import type { Embedder } from "@moe-router/core";
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { transformersEmbedder } from "./transformers.js";
import type { TransformersEmbedderOptions } from "./types.js";

/**
 * Builds the embedder a config file names. Options are {@link TransformersEmbedderOptions}
 * plus an optional `kind: "transformers"`; relative `modelDir`, `localModelPath` and
 * `cacheDir` are resolved against the environment's `dataDir`.
 */
export async function createEmbedder(options: unknown, environment: { readonly dataDir: string }): Promise<Embedder> {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, '@moe-router/embeddings-transformers createEmbedder(): options must be an object, e.g. { "modelDir": "models/all-MiniLM-L6-v2" }.');
  }
  const { kind, ...rest } = options as TransformersEmbedderOptions & { kind?: unknown };
  if (kind !== undefined && kind !== "transformers") {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `@moe-router/embeddings-transformers createEmbedder(): kind "${String(kind)}" is not in this package (it has "transformers").`, {
      data: { option: "kind", value: kind },
    });
  }
  const fromDataDir = (path: string | undefined) => (path === undefined || isAbsolute(path) ? path : resolve(environment.dataDir, path));
  const resolved: TransformersEmbedderOptions = { ...rest };
  for (const key of ["modelDir", "localModelPath", "cacheDir"] as const) {
    if (typeof rest[key] === "string") Object.assign(resolved, { [key]: fromDataDir(rest[key]) });
  }
  return transformersEmbedder(resolved);
}
