import { readFile } from "node:fs/promises";
import { dirname, extname, resolve } from "node:path";
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { createRequire } from "node:module";
import { DEFAULT_CONFIG } from "./default.js";
import type { RouterConfig } from "./types.js";
import { validateRouterConfig } from "./validate.js";

export { validateRouterConfig };

/**
 * The YAML parser, loaded on the first YAML config only: most configs are JSON, and yaml is
 * the router's largest dependency to load (`require`, since parseConfigText is synchronous).
 */
function parseYaml(text: string): unknown {
  const yaml = createRequire(import.meta.url)("yaml") as typeof import("yaml");
  return yaml.parse(text);
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
  if (file === undefined) return { config: DEFAULT_CONFIG, configDir: cwd, source: "embedded default" };
  const path = resolve(cwd, file);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new MoeRouterError(ErrorCode.NOT_FOUND, `Cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Check the --config path.`, { cause: error });
  }
  const config = validateRouterConfig(parseConfigText(text, path), path);
  return { config, configDir: dirname(path), source: path };
}
