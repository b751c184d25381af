import { validateAlertRules, validateMonitorSettings } from "@moe-router/alerts/rules";
import { ErrorCode, MoeRouterError, isUnitInterval } from "@moe-router/core";
import { DEFAULT_DATA_DIR, DEFAULT_STORE, DEFAULT_THRESHOLDS_FILE } from "../defaults.js";
import type { RouterConfig } from "./types.js";

const TOP_KEYS = [
  "experts",
  "fallback",
  "embedder",
  "layers",
  "tracking",
  "thresholdsFile",
  "thresholdsStore",
  "dataDir",
  "shadowShare",
  "experiment",
  "maxDescriptionLength",
  "layerTimeoutMs",
  "startupTimeoutMs",
  "alerts",
  "alertMonitor",
  "otel",
];
const OTEL_KEYS = ["enabled", "recordDescription"];
const LAYER_KEYS = ["package", "options", "threshold", "timeoutMs", "enabled", "isolate"];
const PACKAGE_KEYS = ["package", "options"];
const FALLBACK_KEYS = ["expert", "ambiguityMargin"];
const TRACKING_KEYS = ["store", "enabled"];
const EXPERIMENT_KEYS = ["name", "share", "candidateThresholds"];

/** Values a layer entry's `isolate` accepts. */
export const ISOLATE_MODES = ["none", "worker"] as const;

/** Checks one config value at a time, with messages that name the field (`layers[1].threshold`). */
class Checker {
  constructor(private readonly file: string) {}

  fail(field: string, expected: string, value: unknown): never {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `${this.file}: ${field} must be ${expected}; got ${describe(value)}.`, { data: { field } });
  }

  object(value: unknown, field: string, keys: readonly string[], shape: string): Record<string, unknown> {
    if (!value || typeof value !== "object" || Array.isArray(value)) this.fail(field, `an object ${shape}`, value);
    for (const key of Object.keys(value)) {
      if (!keys.includes(key))
        throw new MoeRouterError(ErrorCode.UNKNOWN_OPTION, `${this.file}: unknown key "${key}" in ${field}. Known keys: ${keys.join(", ")}.`, { data: { field: `${field}.${key}` } });
    }
    return value as Record<string, unknown>;
  }

  string(value: unknown, field: string, example: string): void {
    if (value !== undefined && (typeof value !== "string" || value.trim() === "")) this.fail(field, `a non-empty string, e.g. ${example}`, value);
  }

  boolean(value: unknown, field: string): void {
    if (value !== undefined && typeof value !== "boolean") this.fail(field, "true or false (a YAML/JSON boolean, not a string)", value);
  }

  unit(value: unknown, field: string, required = false): void {
    if ((value !== undefined || required) && !isUnitInterval(value)) this.fail(field, "a number in [0,1]", value);
  }

  positive(value: unknown, field: string, integer = false): void {
    if (value === undefined) return;
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) this.fail(field, integer ? "a positive integer" : "a positive number", value);
  }

  options(value: unknown, field: string): void {
    if (value !== undefined && (!value || typeof value !== "object" || Array.isArray(value))) this.fail(field, "an object of options", value);
  }

  packageRef(value: unknown, field: string, example: string): void {
    const ref = this.object(value, field, PACKAGE_KEYS, `{ package, options? }, e.g. { "package": "${example}" }`);
    if (typeof ref.package !== "string" || ref.package.trim() === "") this.fail(`${field}.package`, `a package name or module path, e.g. "${example}"`, ref.package);
    this.options(ref.options, `${field}.options`);
  }
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)}`;
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

/**
 * Checks the shape and type of every field of a parsed config; throws MOE_INVALID_CONFIG (wrong
 * type or range) or MOE_UNKNOWN_OPTION (unknown key) naming the field to fix and what it takes.
 */
export function validateRouterConfig(value: unknown, file = "config"): RouterConfig {
  const c: Checker = new Checker(file);
  const config = c.object(value, "config", TOP_KEYS, 'with a "layers" list');
  if (!Array.isArray(config.layers)) c.fail("layers", 'a list of { package, threshold, options? }, e.g. [{ "package": "@moe-router/layer-keyword", "threshold": 0.85 }]', config.layers);
  config.layers.forEach((entry: unknown, i: number) => {
    const field = `layers[${i}]`;
    const layer = c.object(entry, field, LAYER_KEYS, "{ package, threshold, options?, timeoutMs?, enabled?, isolate? }");
    if (typeof layer.package !== "string" || layer.package.trim() === "") c.fail(`${field}.package`, 'a layer package name or module path, e.g. "@moe-router/layer-keyword"', layer.package);
    c.unit(layer.threshold, `${field}.threshold`, true);
    c.options(layer.options, `${field}.options`);
    c.positive(layer.timeoutMs, `${field}.timeoutMs`);
    c.boolean(layer.enabled, `${field}.enabled`);
    if (layer.isolate !== undefined && !(ISOLATE_MODES as readonly unknown[]).includes(layer.isolate))
      c.fail(`${field}.isolate`, `one of ${ISOLATE_MODES.map((m) => `"${m}"`).join(", ")}`, layer.isolate);
  });
  if (config.experts !== undefined) {
    if (!Array.isArray(config.experts) || config.experts.length === 0) c.fail("experts", 'a non-empty list of expert names, e.g. ["security-master", "coordinator-master"]', config.experts);
    config.experts.forEach((expert: unknown, i: number) => c.string(expert, `experts[${i}]`, '"security-master"'));
    const seen = new Set<string>();
    for (const expert of config.experts as string[]) {
      if (seen.has(expert)) c.fail("experts", "a list without duplicates", `${JSON.stringify(expert)} twice` as unknown);
      seen.add(expert);
    }
  }
  if (config.fallback !== undefined) {
    const fallback = c.object(config.fallback, "fallback", FALLBACK_KEYS, "{ expert?, ambiguityMargin? }");
    c.string(fallback.expert, "fallback.expert", '"coordinator-master"');
    c.unit(fallback.ambiguityMargin, "fallback.ambiguityMargin");
  }
  if (config.embedder !== undefined) c.packageRef(config.embedder, "embedder", "@moe-router/embeddings");
  if (config.tracking !== undefined) {
    const tracking = c.object(config.tracking, "tracking", TRACKING_KEYS, `{ store?, enabled? }, e.g. { "store": "${DEFAULT_STORE}" }`);
    c.string(tracking.store, "tracking.store", `"${DEFAULT_STORE}", "jsonl:<path>?rotate=monthly" or "postgres://user@host/db"`);
    c.boolean(tracking.enabled, "tracking.enabled");
  }
  c.string(config.thresholdsFile, "thresholdsFile", `"${DEFAULT_THRESHOLDS_FILE}"`);
  if (config.thresholdsStore !== undefined) {
    c.string(config.thresholdsStore, "thresholdsStore", '"postgres://user@host/db[?tablePrefix=moe_router]" or a file path');
    if (config.thresholdsFile !== undefined) {
      throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `${file}: set "thresholdsStore" (shared by many instances) or "thresholdsFile" (one host), not both.`, { data: { field: "thresholdsStore" } });
    }
  }
  if (config.alerts !== undefined) validateAlertRules(config.alerts, file);
  if (config.alertMonitor !== undefined) validateMonitorSettings(config.alertMonitor, file);
  if (config.otel !== undefined) {
    // The server adds @moe-router/otel's observer when enabled.
    const otel = c.object(config.otel, "otel", OTEL_KEYS, "such as { enabled: true }");
    c.boolean(otel.enabled, "otel.enabled");
    c.boolean(otel.recordDescription, "otel.recordDescription");
  }
  c.string(config.dataDir, "dataDir", `"${DEFAULT_DATA_DIR}"`);
  c.unit(config.shadowShare, "shadowShare");
  if (config.experiment !== undefined) {
    const experiment = c.object(config.experiment, "experiment", EXPERIMENT_KEYS, "{ name, share, candidateThresholds }");
    if (typeof experiment.name !== "string" || experiment.name.trim() === "") c.fail("experiment.name", "a non-empty string", experiment.name);
    c.unit(experiment.share, "experiment.share", true);
    const candidate = c.object(experiment.candidateThresholds, "experiment.candidateThresholds", Object.keys((experiment.candidateThresholds as object) ?? {}), "of layer name -> threshold");
    for (const [layer, threshold] of Object.entries(candidate)) c.unit(threshold, `experiment.candidateThresholds.${layer}`, true);
  }
  c.positive(config.maxDescriptionLength, "maxDescriptionLength", true);
  c.positive(config.layerTimeoutMs, "layerTimeoutMs");
  c.positive(config.startupTimeoutMs, "startupTimeoutMs");
  return config as unknown as RouterConfig;
}
