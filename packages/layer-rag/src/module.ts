/**
 * `createLayer(options, environment)`: the LayerModule entry a config file names, e.g.
 * `{ "package": "@moe-router/layer-rag", "threshold": 0.85, "options": { "k": 8 } }`.
 */
import { resolve } from "node:path";
import { ErrorCode, MoeRouterError, type LayerEnvironment } from "@moe-router/core";
import { ragLayer } from "./layer.js";
import { checkKnownKeys } from "./internal/options.js";
import { openStore } from "./open-store.js";
import type { PgvectorIndex } from "./stores/pgvector.js";
import type { RagLayer, RagLayerOptions } from "./types.js";

/** Options of the RAG layer as written in a config file (JSON/YAML). */
export interface RagModuleOptions extends Omit<RagLayerOptions, "embedder" | "store"> {
  /** Store spec (see openStore): "embedded" (default), "memory", "embedded:<file>", "postgres://...". */
  readonly store?: string;
  /** pgvector table. Default "moe_rag_items". */
  readonly table?: string;
  /** pgvector ANN index. Default "none". */
  readonly index?: PgvectorIndex;
}

const OPTION_NAMES = [
  "store", "table", "index", "k", "weighting", "temperature", "minSimilarity", "confidenceFeature",
  "calibration", "calibrationFile", "name", "defaultExpert", "experts", "snippetLength", "onWarning",
] as const;

/**
 * Builds the RAG layer from config options and the host's environment (its embedder, data
 * directory and declared experts). The layer owns the store it opens and closes it.
 */
export async function createLayer(options: unknown, environment: LayerEnvironment): Promise<RagLayer> {
  const where = "the @moe-router/layer-rag options";
  if (options !== undefined && (options === null || typeof options !== "object" || Array.isArray(options))) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `${where} must be an object, e.g. { "k": 8 }.`);
  }
  const { store: spec, table, index, calibrationFile, ...layerOptions } = (options ?? {}) as RagModuleOptions;
  if (calibrationFile !== undefined && calibrationFile !== false && (typeof calibrationFile !== "string" || !calibrationFile)) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `${where}: "calibrationFile" must be a path (relative to the data directory) or false.`, { data: { option: "calibrationFile" } });
  }
  checkKnownKeys(options ?? {}, OPTION_NAMES, where);
  const embedder = environment.embedder;
  if (!embedder) {
    throw new MoeRouterError(
      ErrorCode.INVALID_CONFIG,
      'The RAG layer needs an embedder: add "embedder": { "package": "@moe-router/embeddings" } to the config (the same one used by `moe-router index`).',
    );
  }
  const store = await openStore(spec, {
    embedder, dataDir: environment.dataDir,
    ...(table !== undefined ? { table } : {}), ...(index !== undefined ? { index } : {}),
  });
  try {
    const name = layerOptions.name ?? "rag";
    const calibrationPath = calibrationFile === false ? undefined : resolve(environment.dataDir, calibrationFile ?? `rag-${name.replace(/[^\w.-]+/g, "_")}.calibration.json`);
    return ragLayer({
      ...layerOptions, embedder, store,
      ...(calibrationPath ? { calibrationFile: calibrationPath } : {}),
      ...(layerOptions.experts === undefined && environment.experts ? { experts: environment.experts } : {}),
    });
  } catch (error) {
    await store.close();
    throw error;
  }
}
