import type { Embedder, Layer } from "./types.js";

/** What the host (CLI, service) gives a layer built from a config file. */
export interface LayerEnvironment {
  /** The embedder named in the config, for layers that need vectors. */
  readonly embedder?: Embedder;
  /** A directory where the layer may persist state (exemplar vectors, index, weights). */
  readonly dataDir: string;
  /** Experts the cascade declares, when it does. */
  readonly experts?: readonly string[];
  /**
   * The directory of the config file the layer was named in (the working directory for a
   * config object); relative input paths such as `exemplarsFile` resolve against it.
   */
  readonly configDir?: string;
  /** Receives warnings the layer raises while starting (e.g. a deprecated option name). */
  readonly onWarning?: (warning: Error) => void;
}

/**
 * The shape a layer package exports so a config file can name it by package:
 * `{ "package": "@moe-router/layer-keyword", "options": {...}, "threshold": 0.85 }`.
 */
export interface LayerModule {
  createLayer(options: unknown, environment: LayerEnvironment): Layer | Promise<Layer>;
}

/** The shape an embedder package exports so a config file can name it by package. */
export interface EmbedderModule {
  createEmbedder(options: unknown, environment: { readonly dataDir: string }): Embedder | Promise<Embedder>;
}
