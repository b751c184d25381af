import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ErrorCode, MoeRouterError, type LayerEnvironment } from "@moe-router/core";
import { DEFAULT_EXPERT_EXEMPLARS } from "./default-exemplars.js";
import { checkKnownKeys, invalidConfig } from "./internal/options.js";
import { semanticLayer } from "./layer.js";
import type { ExpertExemplars, SemanticLayer, SemanticLayerConfig } from "./types.js";

const KNOWN_CONFIG = [
  "experts", "exemplarsFile", "exemplarsSplit", "name", "scoring", "k", "calibration", "calibrationKind",
  "calibrationSample", "calibrationPriorWeight", "fallbackExpert", "seed", "persist",
];

/**
 * Builds the layer from a config file entry (core's `LayerModule`):
 * `{ "package": "@moe-router/layer-semantic", "threshold": 0.7, "options": { "exemplarsFile": "exemplars.jsonl" } }`.
 * The embedder comes from the environment; vectors persist under `environment.dataDir`.
 * With neither `experts` nor `exemplarsFile`, {@link DEFAULT_EXPERT_EXEMPLARS} are used
 * (limited to the cascade's declared experts, when it declares them).
 */
export function createLayer(options: unknown, environment: LayerEnvironment): SemanticLayer {
  const config = (options ?? {}) as SemanticLayerConfig;
  if (typeof config !== "object" || Array.isArray(config)) throw invalidConfig("The semantic layer's options must be an object (or be left out).");
  checkKnownKeys(config, KNOWN_CONFIG, "semantic layer options");
  if (!environment?.embedder) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, 'the semantic layer needs an embedder; add "embedder": {"package": "@moe-router/embeddings"} to the config', { data: { option: "embedder" } });
  }
  if (config.persist !== undefined && typeof config.persist !== "boolean") throw invalidConfig('Option "persist" must be true or false.', "persist");
  const { persist, exemplarsFile, exemplarsSplit, experts: configuredExperts, ...rest } = config;
  let experts: Record<string, ExpertExemplars> = configuredExperts ? { ...configuredExperts } : {};
  if (exemplarsFile !== undefined) experts = mergeExemplars(experts, readExemplarsFile(exemplarsFile, exemplarsSplit ?? "train"));
  if (configuredExperts === undefined && exemplarsFile === undefined) experts = defaultExperts(environment.experts);
  const name = config.name ?? "semantic";
  return semanticLayer({
    ...rest,
    embedder: environment.embedder,
    experts,
    ...(persist === false ? {} : { persistPath: join(environment.dataDir, `semantic-${name.replace(/[^\w.-]+/g, "_")}.vectors`) }),
  });
}

function defaultExperts(declared: readonly string[] | undefined): Record<string, ExpertExemplars> {
  if (!declared?.length) return { ...DEFAULT_EXPERT_EXEMPLARS };
  const kept = Object.fromEntries(Object.entries(DEFAULT_EXPERT_EXEMPLARS).filter(([expert]) => declared.includes(expert)));
  if (Object.keys(kept).length === 0) {
    throw invalidConfig(`The semantic layer's default exemplars cover ${Object.keys(DEFAULT_EXPERT_EXEMPLARS).join(", ")}, none of which the cascade declares (${declared.join(", ")}). Give "experts" or "exemplarsFile" in the layer's options.`, "experts");
  }
  return kept;
}

function mergeExemplars(experts: Record<string, ExpertExemplars>, rows: Map<string, string[]>): Record<string, ExpertExemplars> {
  const merged = { ...experts };
  for (const [expert, texts] of rows) {
    const current = merged[expert];
    merged[expert] = current ? { ...current, exemplars: [...current.exemplars, ...texts] } : { exemplars: texts };
  }
  return merged;
}

/**
 * Reads a JSONL exemplars file: one `{ "text": ..., "label": ... }` (or `"expert"`) per line.
 * Rows with a `split` field other than `split` are skipped, so a dataset file with a test
 * split can be named without leaking test rows into the exemplars.
 */
function readExemplarsFile(path: string, split: string): Map<string, string[]> {
  if (typeof path !== "string" || !path) throw invalidConfig('Option "exemplarsFile" must be a path to a JSONL file of { "text", "label" } rows.', "exemplarsFile");
  const absolute = resolve(path);
  let content: string;
  try {
    content = readFileSync(absolute, "utf8");
  } catch (error) {
    throw new MoeRouterError(ErrorCode.NOT_FOUND, `The exemplars file ${absolute} could not be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); check "exemplarsFile" (relative paths start at the working directory).`, { cause: error, data: { path: absolute } });
  }
  const rows = new Map<string, string[]>();
  content.split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    let row: { text?: unknown; label?: unknown; expert?: unknown; split?: unknown };
    try {
      row = JSON.parse(line) as typeof row;
    } catch (error) {
      throw invalidConfig(`Line ${i + 1} of the exemplars file ${absolute} is not valid JSON; each line must be an object like {"text": "Deploy the API", "label": "cicd-master"}.`, "exemplarsFile");
    }
    const expert = row?.label ?? row?.expert;
    if (typeof row?.text !== "string" || !row.text.trim() || typeof expert !== "string" || !expert) {
      throw invalidConfig(`Line ${i + 1} of the exemplars file ${absolute} needs a non-empty "text" and a "label" (the expert).`, "exemplarsFile");
    }
    if (row.split !== undefined && row.split !== split) return;
    const texts = rows.get(expert);
    if (texts) texts.push(row.text);
    else rows.set(expert, [row.text]);
  });
  if (rows.size === 0) throw invalidConfig(`The exemplars file ${absolute} has no rows${split ? ` in split "${split}"` : ""}; add lines like {"text": "Deploy the API", "label": "cicd-master"}.`, "exemplarsFile");
  return rows;
}
