import { readFile } from "node:fs/promises";
import { dirname, extname, resolve } from "node:path";
import { ErrorCode, MoeRouterError, isUnitInterval } from "@moe-router/core";
import { validateAlertRules, validateMonitorSettings } from "@moe-router/alerts";
import { parse as parseYaml } from "yaml";
import { DEFAULT_CONFIG } from "./default.js";
import type { RouterConfig } from "./types.js";

const TOP_KEYS = new Set(["experts", "fallback", "embedder", "layers", "tracking", "thresholdsFile", "thresholdsStore", "dataDir", "shadowShare", "experiment", "maxDescriptionLength", "layerTimeoutMs", "startupTimeoutMs", "alerts", "alertMonitor", "otel"]);
const LAYER_KEYS = new Set(["package", "options", "threshold", "timeoutMs", "enabled"]);

function invalid(file: string, message: string): MoeRouterError {
  return new MoeRouterError(ErrorCode.INVALID_CONFIG, `${file}: ${message}`);
}

/** Checks `otel: { enabled?, recordDescription? }` (the server adds @moe-router/otel's observer when enabled). */
function validateOtel(value: unknown, file: string): void {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw invalid(file, '"otel" must be an object such as { enabled: true }.');
  for (const [key, flag] of Object.entries(value)) {
    if (key !== "enabled" && key !== "recordDescription") throw new MoeRouterError(ErrorCode.UNKNOWN_OPTION, `${file}: unknown key "${key}" in otel. Known keys: enabled, recordDescription.`);
    if (typeof flag !== "boolean") throw invalid(file, `otel.${key} must be true or false; got ${JSON.stringify(flag)}.`);
  }
}

/** Checks the shape of a parsed config; throws coded errors naming the field to fix. */
export function validateRouterConfig(value: unknown, file = "config"): RouterConfig {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw invalid(file, "the config must be an object with a \"layers\" list.");
  const config = value as Record<string, unknown>;
  for (const key of Object.keys(config)) {
    if (!TOP_KEYS.has(key)) throw new MoeRouterError(ErrorCode.UNKNOWN_OPTION, `${file}: unknown key "${key}". Known keys: ${[...TOP_KEYS].join(", ")}.`);
  }
  if (!Array.isArray(config.layers)) throw invalid(file, '"layers" must be a list of { package, threshold, options? }.');
  config.layers.forEach((entry: unknown, i: number) => {
    if (!entry || typeof entry !== "object") throw invalid(file, `layers[${i}] must be an object { package, threshold }.`);
    const layer = entry as Record<string, unknown>;
    for (const key of Object.keys(layer)) {
      if (!LAYER_KEYS.has(key)) throw new MoeRouterError(ErrorCode.UNKNOWN_OPTION, `${file}: unknown key "${key}" in layers[${i}]. Known keys: ${[...LAYER_KEYS].join(", ")}.`);
    }
    if (typeof layer.package !== "string" || !layer.package) throw invalid(file, `layers[${i}].package must name a layer package, e.g. "@moe-router/layer-keyword".`);
    if (!isUnitInterval(layer.threshold)) throw invalid(file, `layers[${i}].threshold must be a number in [0,1]; got ${JSON.stringify(layer.threshold)}.`);
    if (layer.options !== undefined && (typeof layer.options !== "object" || layer.options === null)) throw invalid(file, `layers[${i}].options must be an object.`);
  });
  if (config.embedder !== undefined) {
    const e = config.embedder as Record<string, unknown>;
    if (!e || typeof e.package !== "string") throw invalid(file, '"embedder" must be { package, options? }, e.g. { "package": "@moe-router/embeddings" }.');
  }
  if (config.thresholdsStore !== undefined) {
    if (typeof config.thresholdsStore !== "string" || config.thresholdsStore.trim() === "") {
      throw invalid(file, '"thresholdsStore" must be a "postgres://user@host/db[?tablePrefix=moe_router]" URL or a file path.');
    }
    if (config.thresholdsFile !== undefined) throw invalid(file, 'set "thresholdsStore" (shared by many instances) or "thresholdsFile" (one host), not both.');
  }
  if (config.alerts !== undefined) validateAlertRules(config.alerts, file);
  if (config.alertMonitor !== undefined) validateMonitorSettings(config.alertMonitor, file);
  if (config.otel !== undefined) validateOtel(config.otel, file);
  if (config.shadowShare !== undefined && !isUnitInterval(config.shadowShare)) throw invalid(file, `"shadowShare" must be in [0,1]; got ${JSON.stringify(config.shadowShare)}.`);
  return config as unknown as RouterConfig;
}

/** Parses JSON or YAML text (by extension; JSON first when unknown). */
export function parseConfigText(text: string, file: string): unknown {
  const ext = extname(file).toLowerCase();
  try {
    if (ext === ".yaml" || ext === ".yml") return parseYaml(text);
    if (ext === ".json") return JSON.parse(text);
    try {
      return JSON.parse(text);
    } catch {
      return parseYaml(text);
    }
  } catch (error) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `${file} is not valid ${ext === ".json" ? "JSON" : "JSON or YAML"}: ${(error as Error).message}`, { cause: error });
  }
}

/** A config as loaded, with where it came from. */
export interface LoadedConfig {
  readonly config: RouterConfig;
  /** Directory relative data paths (stores, data dir, thresholds file) resolve against: the working directory. */
  readonly baseDir: string;
  /** Directory local module paths resolve against: the config file's (the working directory for the default). */
  readonly configDir: string;
  /** The config file's absolute path, or "embedded default". */
  readonly source: string;
}

/**
 * Loads a config file, or the embedded default when `file` is undefined.
 * Relative paths inside the config (stores, data dir, thresholds file) resolve against `cwd`;
 * local module paths (`package: ./my-layer.js`) against the config file's directory.
 */
export async function loadRouterConfig(file: string | undefined, cwd: string): Promise<LoadedConfig> {
  if (file === undefined) return { config: DEFAULT_CONFIG, baseDir: cwd, configDir: cwd, source: "embedded default" };
  const path = resolve(cwd, file);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new MoeRouterError(ErrorCode.NOT_FOUND, `Cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Check the --config path.`, { cause: error });
  }
  const config = validateRouterConfig(parseConfigText(text, path), path);
  return { config, baseDir: cwd, configDir: dirname(path), source: path };
}
