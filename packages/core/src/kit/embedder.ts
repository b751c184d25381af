import { ErrorCode, MoeRouterError } from "../errors.js";
import type { Embedder } from "../types.js";

/** True for an object with the embedder contract's members: `{ id, dimension, embed() }`. */
export function isEmbedder(value: unknown): value is Embedder {
  const e = value as Partial<Embedder> | null;
  return e !== null && typeof e === "object" && typeof e.embed === "function" && typeof e.id === "string" && typeof e.dimension === "number" && Number.isInteger(e.dimension) && e.dimension > 0;
}

/**
 * The embedder a config-built layer needs: `environment.embedder`, or MOE_INVALID_CONFIG
 * saying how to name one in the config file.
 */
export function requireEmbedder(embedder: unknown, layer: string): Embedder {
  if (embedder === undefined || embedder === null) {
    throw new MoeRouterError(
      ErrorCode.INVALID_CONFIG,
      `The ${layer} layer needs an embedder: add "embedder": { "package": "@moe-router/embeddings" } to the config (the one its vectors or model were made with).`,
      { data: { option: "embedder", layer } },
    );
  }
  if (!isEmbedder(embedder)) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `The ${layer} layer was given an embedder without { id, dimension, embed() }; check the embedder package's createEmbedder().`, {
      data: { option: "embedder", layer },
    });
  }
  return embedder;
}
