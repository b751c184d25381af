import { createRequire } from "node:module";
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ErrorCode, MoeRouterError, type EmbedderModule, type LayerModule } from "@moe-router/core";

/**
 * Imports a package named in a config: our own packages resolve from the CLI,
 * others from the working directory (so a platform can plug its own layers in).
 */
export async function importModule(specifier: string, cwd: string): Promise<Record<string, unknown>> {
  let target = specifier;
  if (specifier.startsWith(".") || isAbsolute(specifier)) {
    target = pathToFileURL(resolve(cwd, specifier)).href;
  } else if (!specifier.startsWith("@moe-router/")) {
    try {
      target = pathToFileURL(createRequire(resolve(cwd, "package.json")).resolve(specifier)).href;
    } catch {
      // fall through to a plain import, which gives the clearest error
    }
  }
  try {
    return (await import(target)) as Record<string, unknown>;
  } catch (error) {
    throw new MoeRouterError(ErrorCode.NOT_FOUND, `Cannot load package "${specifier}": ${(error as Error).message}. Install it next to your config (npm i ${specifier}) or fix the name.`, { cause: error });
  }
}

/** Loads a layer package and checks it exports createLayer(). */
export async function importLayerModule(specifier: string, cwd: string): Promise<LayerModule> {
  const module = await importModule(specifier, cwd);
  if (typeof module.createLayer !== "function") {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `Package "${specifier}" does not export createLayer(options, environment), so it cannot be named as a layer in a config.`);
  }
  return module as unknown as LayerModule;
}

/** Loads an embedder package and checks it exports createEmbedder(). */
export async function importEmbedderModule(specifier: string, cwd: string): Promise<EmbedderModule> {
  const module = await importModule(specifier, cwd);
  if (typeof module.createEmbedder !== "function") {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `Package "${specifier}" does not export createEmbedder(options, environment), so it cannot be named as an embedder in a config.`);
  }
  return module as unknown as EmbedderModule;
}
