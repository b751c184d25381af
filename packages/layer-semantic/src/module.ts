import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ErrorCode, MoeRouterError, type LayerEnvironment } from "@moe-router/core";
import { defineLayer } from "@moe-router/core/kit";
import { DEFAULT_EXPERT_EXEMPLARS } from "./default-exemplars.js";
import { invalidConfig, OPTIONS } from "./internal/options.js";
import { buildSemanticLayer } from "./layer.js";
import type { ExpertExemplars, SemanticLayer, SemanticLayerConfig, SemanticLayerOptions } from "./types.js";

const definition = defineLayer<SemanticLayerOptions, SemanticLayerConfig>()({
  name: "semantic",
  options: OPTIONS,
  needsEmbedder: true,
  config: {
    exemplarsFile: { type: "path", base: "config", description: "JSONL file of { text, label } rows" },
    exemplarsSplit: { type: "string", default: "train" },
    persist: { type: "boolean", default: true },
  },
  build: (options) => buildSemanticLayer(options),
  fromConfig(config, environment): SemanticLayerOptions {
    const { persist, exemplarsFile, exemplarsSplit, experts: configuredExperts, ...rest } = config;
    let experts: Record<string, ExpertExemplars> = configuredExperts ? { ...configuredExperts } : {};
    if (exemplarsFile !== undefined) experts = mergeExemplars(experts, readExemplarsFile(exemplarsFile, exemplarsSplit ?? "train"));
    if (configuredExperts === undefined && exemplarsFile === undefined) experts = defaultExperts(environment.experts);
    const name = config.name ?? "semantic";
    return {
      ...rest,
      embedder: environment.embedder!,
      experts,
      ...(persist === false ? {} : { persistPath: join(environment.dataDir, `semantic-${name.replace(/[^\w.-]+/g, "_")}.vectors`) }),
    };
  },
});

/**
 * Creates the semantic layer: the task is embedded and compared with each expert's exemplar
 * utterances; the best expert wins with a calibrated confidence (the probability of being
 * right, fitted on labelled data).
 *
 * Routing is synchronous when the embedder is (no promise on the hot path); with an async
 * embedder `route()` returns a promise. Exemplars are embedded lazily on first use (or on
 * `ready()`), and cached in `persistPath` when given.
 *
 * @throws MoeRouterError MOE_INVALID_CONFIG / MOE_UNKNOWN_OPTION for wrong options.
 * @example
 * const layer = semanticLayer({ embedder: hashedEmbedder(), experts: DEFAULT_EXPERT_EXEMPLARS });
 * const verdict = await layer.route({ description: "Rotate the leaked API keys" }, { eventId: "1" });
 */
export function semanticLayer(options: SemanticLayerOptions): SemanticLayer {
  return definition.factory(options);
}

/**
 * Builds the layer from a config file entry (core's `LayerModule`):
 * `{ "package": "@moe-router/layer-semantic", "threshold": 0.7, "options": { "exemplarsFile": "exemplars.jsonl" } }`.
 * The embedder comes from the environment; vectors persist under `environment.dataDir`;
 * a relative `exemplarsFile` starts at the config file's directory.
 * With neither `experts` nor `exemplarsFile`, {@link DEFAULT_EXPERT_EXEMPLARS} are used
 * (limited to the cascade's declared experts, when it declares them).
 */
export function createLayer(options: unknown, environment: LayerEnvironment): SemanticLayer {
  return definition.createLayer(options, environment);
}

function defaultExperts(declared: readonly string[] | undefined): Record<string, ExpertExemplars> {
  if (!declared?.length) return { ...DEFAULT_EXPERT_EXEMPLARS };
  const kept = Object.fromEntries(Object.entries(DEFAULT_EXPERT_EXEMPLARS).filter(([expert]) => declared.includes(expert)));
  if (Object.keys(kept).length === 0) {
    throw invalidConfig(
      `The semantic layer's default exemplars cover ${Object.keys(DEFAULT_EXPERT_EXEMPLARS).join(", ")}, none of which the cascade declares (${declared.join(", ")}). Give "experts" or "exemplarsFile" in the layer's options.`,
      "experts",
    );
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
  const absolute = path;
  let content: string;
  try {
    content = readFileSync(absolute, "utf8");
  } catch (error) {
    throw new MoeRouterError(
      ErrorCode.NOT_FOUND,
      `The exemplars file ${absolute} could not be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); check "exemplarsFile" (a relative path starts at the config file's directory).`,
      { cause: error, data: { path: absolute } },
    );
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
  if (rows.size === 0)
    throw invalidConfig(`The exemplars file ${absolute} has no rows${split ? ` in split "${split}"` : ""}; add lines like {"text": "Deploy the API", "label": "cicd-master"}.`, "exemplarsFile");
  return rows;
}
