/**
 * `createLayer(options, environment)`: the LayerModule entry a config file names, e.g.
 * `{ "package": "@moe-router/layer-rag", "threshold": 0.85, "options": { "k": 8 } }`.
 */
import { resolve } from "node:path";
import type { LayerEnvironment } from "@moe-router/core";
import { defineLayer } from "@moe-router/core/kit";
import { definition as layerDefinition, OPTIONS } from "./layer.js";
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

const definition = defineLayer<RagLayerOptions, RagModuleOptions>()({
  name: "rag",
  options: OPTIONS,
  needsEmbedder: true,
  config: {
    store: { type: "string", example: "embedded", description: 'store spec: "embedded", "memory", "embedded:<file>" or "postgres://..."' },
    table: { type: "string", example: "moe_rag_items" },
    // "none" or { kind: "hnsw" | "ivfflat", ... }: checked by the pgvector store.
    index: { type: "any" },
  },
  build: (options) => layerDefinition.factory(options),
  async fromConfig(config, environment): Promise<RagLayerOptions> {
    const { store: spec, table, index, calibrationFile, ...layerOptions } = config;
    const embedder = environment.embedder!;
    const store = await openStore(spec, {
      embedder,
      dataDir: environment.dataDir,
      ...(table !== undefined ? { table } : {}),
      ...(index !== undefined ? { index } : {}),
    });
    const name = layerOptions.name ?? "rag";
    const calibrationPath = calibrationFile === false ? undefined : (calibrationFile ?? resolve(environment.dataDir, `rag-${name.replace(/[^\w.-]+/g, "_")}.calibration.json`));
    return {
      ...layerOptions,
      embedder,
      store,
      ...(calibrationPath ? { calibrationFile: calibrationPath } : {}),
      ...(layerOptions.experts === undefined && environment.experts ? { experts: environment.experts } : {}),
    };
  },
  discard: async (options) => {
    await options.store?.close();
  },
});

/**
 * Builds the RAG layer from config options and the host's environment (its embedder, data
 * directory and declared experts). The layer owns the store it opens and closes it; a
 * relative `calibrationFile` starts at the data directory.
 */
export async function createLayer(options: unknown, environment: LayerEnvironment): Promise<RagLayer> {
  return definition.createLayer(options, environment);
}
