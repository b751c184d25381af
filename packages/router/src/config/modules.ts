import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ErrorCode, MoeRouterError, type EmbedderModule, type LayerModule } from "@moe-router/core";

/** Where a config's module names resolve. */
export interface ModuleBase {
  /** Directory of the config file: local paths ("./my-layer.js") resolve against it. */
  readonly configDir: string;
  /** The working directory: tried after the config's directory for package names. */
  readonly cwd: string;
}

/** A module named in a config, resolved to what will be imported. */
export interface ResolvedModule {
  readonly specifier: string;
  /** The URL or package name handed to import(). */
  readonly target: string;
}

function resolveFrom(dir: string, specifier: string): string | undefined {
  try {
    return pathToFileURL(createRequire(resolve(dir, "package.json")).resolve(specifier)).href;
  } catch {
    return undefined;
  }
}

/**
 * Resolves a module named in a config. Local paths (starting with "." or absolute) resolve
 * against the config file's directory; our own packages (`@moe-router/...`) resolve from this
 * package; other package names from the config's directory, then the working directory.
 *
 * Trust boundary: a config is code. Every module it names runs with the process's rights
 * when it is loaded; load configs only from people you would let run code on the host.
 */
export function resolveModule(specifier: string, base: ModuleBase): ResolvedModule {
  if (specifier.startsWith(".") || isAbsolute(specifier)) return { specifier, target: pathToFileURL(resolve(base.configDir, specifier)).href };
  if (specifier.startsWith("@moe-router/")) return { specifier, target: specifier };
  return { specifier, target: resolveFrom(base.configDir, specifier) ?? resolveFrom(base.cwd, specifier) ?? specifier };
}

/**
 * The URL a worker thread imports for a module named in a config: like {@link resolveModule},
 * but package names are resolved here to a file URL (a worker has no importing module to
 * resolve them from).
 */
export function workerTarget(specifier: string, base: ModuleBase): string {
  const { target } = resolveModule(specifier, base);
  if (target.startsWith("file:")) return target;
  const own = specifier.startsWith("@moe-router/") ? resolveFromHere(specifier) : undefined;
  if (own) return own;
  throw new MoeRouterError(ErrorCode.NOT_FOUND, `Cannot find package "${specifier}" for an isolated layer. Install it next to your config (npm i ${specifier}) or give a path to the module.`);
}

/** One of our packages, resolved to its published entry (`exports["."].default`, i.e. dist). */
function resolveFromHere(specifier: string): string | undefined {
  try {
    const manifestPath = createRequire(import.meta.url).resolve(`${specifier}/package.json`);
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { exports?: Record<string, { default?: string } | string>; main?: string };
    const root = manifest.exports?.["."];
    const entry = typeof root === "string" ? root : (root?.default ?? manifest.main);
    return entry ? pathToFileURL(resolve(dirname(manifestPath), entry)).href : undefined;
  } catch {
    return undefined;
  }
}

/** Imports a module named in a config (see {@link resolveModule}); coded NOT_FOUND when it cannot. */
export async function importModule(specifier: string, base: ModuleBase | string): Promise<Record<string, unknown>> {
  const where = typeof base === "string" ? { configDir: base, cwd: base } : base;
  const { target } = resolveModule(specifier, where);
  try {
    return (await import(target)) as Record<string, unknown>;
  } catch (error) {
    throw new MoeRouterError(ErrorCode.NOT_FOUND, `Cannot load package "${specifier}": ${(error as Error).message}. Install it next to your config (npm i ${specifier}) or fix the name.`, {
      cause: error,
    });
  }
}

/** Loads a layer package and checks it exports createLayer(). */
export async function importLayerModule(specifier: string, base: ModuleBase | string): Promise<LayerModule> {
  const module = await importModule(specifier, base);
  if (typeof module.createLayer !== "function") {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `Package "${specifier}" does not export createLayer(options, environment), so it cannot be named as a layer in a config.`);
  }
  return module as unknown as LayerModule;
}

/** Loads an embedder package and checks it exports createEmbedder(). */
export async function importEmbedderModule(specifier: string, base: ModuleBase | string): Promise<EmbedderModule> {
  const module = await importModule(specifier, base);
  if (typeof module.createEmbedder !== "function") {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `Package "${specifier}" does not export createEmbedder(options, environment), so it cannot be named as an embedder in a config.`);
  }
  return module as unknown as EmbedderModule;
}
