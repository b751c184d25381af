import { resolve } from "node:path";
import { createCascade, type Cascade, type CascadeObserver, type Embedder, type Layer } from "@moe-router/core";
import { importEmbedderModule, importLayerModule } from "./config/modules.js";
import type { RouterConfig } from "./config/types.js";

/** A cascade built from a config, with what it needs closed afterwards. */
export interface Router {
  readonly cascade: Cascade;
  readonly layers: readonly Layer[];
  readonly embedder: Embedder | undefined;
  readonly config: RouterConfig;
  readonly dataDir: string;
  close(): Promise<void>;
}

/** Options of {@link buildRouter}. */
export interface BuildRouterOptions {
  readonly cwd: string;
  readonly observers?: readonly CascadeObserver[];
  /** Thresholds that override the config's (e.g. from the tuned thresholds file). */
  readonly thresholds?: Readonly<Record<string, number>>;
  /** Force shadow sampling share (eval runs every layer with 1). */
  readonly shadowShare?: number;
}

/** Builds the embedder (if any), every enabled layer, and the cascade from a config. */
export async function buildRouter(config: RouterConfig, options: BuildRouterOptions): Promise<Router> {
  const dataDir = resolve(options.cwd, config.dataDir ?? ".moe-router");
  let embedder: Embedder | undefined;
  if (config.embedder) {
    const module = await importEmbedderModule(config.embedder.package, options.cwd);
    embedder = await module.createEmbedder(config.embedder.options ?? {}, { dataDir });
  }
  const entries = config.layers.filter((entry) => entry.enabled !== false);
  const layers: Layer[] = [];
  for (const entry of entries) {
    const module = await importLayerModule(entry.package, options.cwd);
    layers.push(await module.createLayer(entry.options ?? {}, { dataDir, ...(embedder ? { embedder } : {}), ...(config.experts ? { experts: config.experts } : {}) }));
  }
  const cascade = createCascade({
    layers: entries.map((entry, i) => ({
      layer: layers[i]!,
      threshold: options.thresholds?.[layers[i]!.name] ?? entry.threshold,
      ...(entry.timeoutMs !== undefined ? { timeoutMs: entry.timeoutMs } : {}),
    })),
    ...(config.fallback ? { fallback: config.fallback } : {}),
    ...(config.experts ? { experts: config.experts } : {}),
    ...(config.experiment ? { experiment: config.experiment } : {}),
    ...(options.shadowShare ?? config.shadowShare ? { shadowShare: options.shadowShare ?? config.shadowShare } : {}),
    ...(config.maxDescriptionLength ? { maxDescriptionLength: config.maxDescriptionLength } : {}),
    ...(config.layerTimeoutMs ? { layerTimeoutMs: config.layerTimeoutMs } : {}),
    observers: options.observers ?? [],
  });
  return {
    cascade,
    layers,
    embedder,
    config,
    dataDir,
    async close() {
      await cascade.close();
      await embedder?.close?.();
    },
  };
}
