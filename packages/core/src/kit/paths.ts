import { isAbsolute, resolve } from "node:path";
import type { LayerEnvironment } from "../modules.js";

/**
 * Resolves a path a config file gives a layer: absolute paths stay, relative ones start at
 * the config file's directory (`base: "config"`; the working directory when the config is an
 * object with no file) or at the data directory (`base: "data"`).
 */
export function resolveLayerPath(path: string, environment: Pick<LayerEnvironment, "dataDir" | "configDir">, base: "config" | "data"): string {
  if (isAbsolute(path)) return path;
  return resolve(base === "data" ? environment.dataDir : (environment.configDir ?? process.cwd()), path);
}
