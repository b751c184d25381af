import { resolve } from "node:path";
import { createCascade, type Cascade, type CascadeObserver, type Embedder, type Layer } from "@moe-router/core";
import { importEmbedderModule, importLayerModule, resolveModule, workerTarget, type ModuleBase } from "./config/modules.js";
import { DEFAULT_DATA_DIR } from "./defaults.js";
import { DEFAULT_ISOLATED_TIMEOUT_MS, isolatedLayer } from "./isolate.js";
import type { LayerEntry, RouterConfig } from "./config/types.js";
import { silentLogger, type RouterLogger } from "./logger.js";
import { DEFAULT_STARTUP_TIMEOUT_MS, startWithin } from "./startup.js";

/** A cascade built from a config, with what it needs closed afterwards. */
export interface BuiltRouter {
  readonly cascade: Cascade;
  readonly layers: readonly Layer[];
  /** The enabled config entries, in cascade order (same index as `layers`). */
  readonly entries: readonly LayerEntry[];
  readonly embedder: Embedder | undefined;
  readonly config: RouterConfig;
  readonly dataDir: string;
  /** Closes the cascade (every layer) and the embedder. */
  close(): Promise<void>;
}

/** Options of {@link buildRouter}. */
export interface BuildRouterOptions {
  /** Directory relative data paths (dataDir) resolve against. */
  readonly cwd: string;
  /** Directory of the config file: local module paths resolve against it. Default: `cwd`. */
  readonly configDir?: string;
  readonly observers?: readonly CascadeObserver[];
  /** Thresholds that override the config's (e.g. from the tuned thresholds file). */
  readonly thresholds?: Readonly<Record<string, number>>;
  /** Force shadow sampling share (eval runs every layer with 1). */
  readonly shadowShare?: number;
  /** Lists the modules loaded (logger.info). */
  readonly logger?: RouterLogger;
}

/** Options of {@link createCascadeFor}: reuse started layers with other thresholds or experiment. */
export interface CascadeParts {
  readonly config: RouterConfig;
  readonly layers: readonly Layer[];
  readonly entries: readonly LayerEntry[];
  readonly observers?: readonly CascadeObserver[];
  readonly thresholds?: Readonly<Record<string, number>>;
  readonly shadowShare?: number;
}

/** Creates the cascade over layers already started (start-up and reloads share it). */
export function createCascadeFor(parts: CascadeParts): Cascade {
  const { config, layers, entries } = parts;
  const shadowShare = parts.shadowShare ?? config.shadowShare;
  return createCascade({
    layers: entries.map((entry, i) => ({
      layer: layers[i]!,
      threshold: parts.thresholds?.[layers[i]!.name] ?? entry.threshold,
      ...(entry.timeoutMs !== undefined ? { timeoutMs: entry.timeoutMs } : {}),
    })),
    ...(config.fallback ? { fallback: config.fallback } : {}),
    ...(config.experts ? { experts: config.experts } : {}),
    ...(config.experiment ? { experiment: config.experiment } : {}),
    ...(shadowShare ? { shadowShare } : {}),
    ...(config.maxDescriptionLength ? { maxDescriptionLength: config.maxDescriptionLength } : {}),
    ...(config.layerTimeoutMs ? { layerTimeoutMs: config.layerTimeoutMs } : {}),
    observers: parts.observers ?? [],
  });
}

async function closeQuietly(target: { close?: () => unknown } | undefined): Promise<void> {
  try {
    await target?.close?.();
  } catch {
    // Start-up already failed; the first error is the one to report.
  }
}

/**
 * Builds the embedder (if any), every enabled layer, and the cascade from a config.
 * Each factory runs within `config.startupTimeoutMs` (default 30 s); a factory that throws or
 * never settles is a coded MOE_LAYER_START_FAILED naming the package, and what was already
 * started is closed.
 */
export async function buildRouter(config: RouterConfig, options: BuildRouterOptions): Promise<BuiltRouter> {
  const logger = options.logger ?? silentLogger;
  const dataDir = resolve(options.cwd, config.dataDir ?? DEFAULT_DATA_DIR);
  const base: ModuleBase = { configDir: options.configDir ?? options.cwd, cwd: options.cwd };
  const budget = config.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS;
  const loaded = (kind: string, specifier: string) => logger.info?.(`info: loaded ${kind} module "${specifier}" from ${resolveModule(specifier, base).target}`);
  let embedder: Embedder | undefined;
  const layers: Layer[] = [];
  try {
    if (config.embedder) {
      const ref = config.embedder;
      const module = await importEmbedderModule(ref.package, base);
      loaded("embedder", ref.package);
      embedder = await startWithin(
        "Embedder",
        ref.package,
        budget,
        () => module.createEmbedder(ref.options ?? {}, { dataDir }),
        (late) => void closeQuietly(late),
      );
    }
    const entries = config.layers.filter((entry) => entry.enabled !== false);
    for (const entry of entries) {
      if (entry.isolate === "worker") {
        // Not imported here: the module's code runs only in its worker thread.
        const target = workerTarget(entry.package, base);
        logger.info?.(`info: loading layer module "${entry.package}" from ${target} in a worker thread (isolate: worker)`);
        const isolated = isolatedLayer({
          specifier: entry.package,
          target,
          options: entry.options ?? {},
          dataDir,
          configDir: base.configDir,
          ...(config.experts ? { experts: config.experts } : {}),
          ...(config.embedder ? { embedder: { target: workerTarget(config.embedder.package, base), options: config.embedder.options ?? {} } } : {}),
          timeoutMs: entry.timeoutMs ?? config.layerTimeoutMs ?? DEFAULT_ISOLATED_TIMEOUT_MS,
          startupTimeoutMs: budget,
          logger,
        });
        layers.push(
          await startWithin(
            "Layer",
            entry.package,
            budget + 1_000,
            () => isolated,
            (late) => void closeQuietly(late),
          ),
        );
        continue;
      }
      const module = await importLayerModule(entry.package, base);
      loaded("layer", entry.package);
      const environment = { dataDir, configDir: base.configDir, ...(embedder ? { embedder } : {}), ...(config.experts ? { experts: config.experts } : {}) };
      layers.push(
        await startWithin(
          "Layer",
          entry.package,
          budget,
          () => module.createLayer(entry.options ?? {}, environment),
          (late) => void closeQuietly(late),
        ),
      );
    }
    const cascade = createCascadeFor({
      config,
      layers,
      entries,
      ...(options.observers ? { observers: options.observers } : {}),
      ...(options.thresholds ? { thresholds: options.thresholds } : {}),
      ...(options.shadowShare !== undefined ? { shadowShare: options.shadowShare } : {}),
    });
    return {
      cascade,
      layers,
      entries,
      embedder,
      config,
      dataDir,
      async close() {
        try {
          await cascade.close();
        } finally {
          await embedder?.close?.();
        }
      },
    };
  } catch (error) {
    for (const layer of layers) await closeQuietly(layer);
    await closeQuietly(embedder);
    throw error;
  }
}
