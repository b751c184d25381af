/**
 * The config-file entry point (core's EmbedderModule):
 * `{ "embedder": { "package": "@moe-router/embeddings", "options": { "kind": "hashed", "cache": 5000 } } }`.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import type { Embedder } from "@moe-router/core";
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { cachedEmbedder } from "./cached.js";
import { hashedEmbedder, hashedEmbedderFromState } from "./hashed.js";
import { checkKnownKeys } from "./internal/validate.js";
import type { EmbedderConfig, HashedEmbedder } from "./types.js";

const CONFIG_KEYS = ["kind", "dimension", "wordNgrams", "charNgrams", "idf", "seed", "cache", "stateFile", "idfCorpus"] as const;
const MODEL_KEYS = ["dimension", "wordNgrams", "charNgrams", "idf", "seed"] as const;
const where = "@moe-router/embeddings createEmbedder()";

function invalid(message: string, data?: Record<string, unknown>): MoeRouterError {
  return new MoeRouterError(ErrorCode.INVALID_CONFIG, `${where}: ${message}`, data ? { data } : {});
}

function loadStateFile(stateFile: string, dataDir: string): HashedEmbedder {
  const path = isAbsolute(stateFile) ? stateFile : resolve(dataDir, stateFile);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new MoeRouterError(ErrorCode.NOT_FOUND, `${where}: cannot read stateFile ${path} (${(error as Error).message}). Write it with JSON.stringify(embedder.exportState()), or drop "stateFile".`, {
      cause: error,
      data: { path },
    });
  }
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch (error) {
    throw new MoeRouterError(ErrorCode.CORRUPT_FILE, `${where}: stateFile ${path} is not valid JSON; re-export it with exportState().`, { cause: error, data: { path } });
  }
  return hashedEmbedderFromState(state);
}

/**
 * Builds the embedder a config file names. Options: {@link EmbedderConfig}
 * (`kind: "hashed"`, the hashed-embedder settings, `cache`, `stateFile`, `idfCorpus`).
 */
export function createEmbedder(options: unknown, environment: { readonly dataDir: string }): Embedder {
  const config = (options ?? {}) as EmbedderConfig;
  if (typeof config !== "object" || Array.isArray(config)) throw invalid('options must be an object, e.g. { "kind": "hashed" }.');
  checkKnownKeys(config, CONFIG_KEYS, where);
  if (config.kind !== undefined && config.kind !== "hashed") {
    throw invalid(
      `kind "${String(config.kind)}" is not in this package (it has "hashed"). For Universal Sentence Encoder use @moe-router/embeddings-use; for ONNX models, @moe-router/embeddings-transformers.`,
      { option: "kind", value: config.kind },
    );
  }
  let embedder: HashedEmbedder;
  if (config.stateFile !== undefined) {
    const clashing = MODEL_KEYS.filter((key) => config[key] !== undefined);
    if (clashing.length > 0) throw invalid(`"stateFile" already fixes the settings; remove ${clashing.join(", ")}.`);
    embedder = loadStateFile(config.stateFile, environment.dataDir);
  } else {
    const { kind: _kind, cache: _cache, stateFile: _stateFile, idfCorpus, ...model } = config;
    embedder = hashedEmbedder(model);
    if (idfCorpus !== undefined && model.idf === undefined) {
      if (!Array.isArray(idfCorpus) || !idfCorpus.every((t) => typeof t === "string")) {
        throw invalid('"idfCorpus" must be an array of strings.', { option: "idfCorpus" });
      }
      embedder.fitIdf(idfCorpus);
    }
  }
  if (config.cache === undefined || config.cache === 0) return embedder;
  if (!Number.isInteger(config.cache) || config.cache < 0) {
    throw invalid(`"cache" must be a whole number of entries (got ${String(config.cache)}); e.g. 5000, or 0 for none.`, { option: "cache" });
  }
  return cachedEmbedder(embedder, { maxEntries: config.cache });
}
