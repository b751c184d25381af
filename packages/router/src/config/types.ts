import type { AlertRule, MonitorSettings } from "@moe-router/alerts";

/** A package reference in a config file: which module, with which options. */
export interface PackageRef {
  /** npm package name (e.g. "@moe-router/layer-keyword") or a path to a module. */
  readonly package: string;
  readonly options?: Record<string, unknown>;
}

/** One layer entry in a config file. */
export interface LayerEntry extends PackageRef {
  /** Confidence the layer must reach to decide, in [0,1]. */
  readonly threshold: number;
  readonly timeoutMs?: number;
  /** Set false to keep the entry but skip the layer. */
  readonly enabled?: boolean;
  /**
   * "worker": run the layer module in a worker thread, so a route that exceeds `timeoutMs`
   * (even a synchronous infinite loop) is pre-empted: the worker is terminated and restarted.
   * Default "none": in the process, where a synchronous layer cannot be pre-empted.
   */
  readonly isolate?: "none" | "worker";
}

/** Tracking settings. */
export interface TrackingConfig {
  /** "jsonl:<path>", a path ending in .jsonl, or "postgres://..." URL. */
  readonly store?: string;
  readonly enabled?: boolean;
}

/**
 * The whole config file (JSON or YAML). A config is code: every `package` it names is
 * imported and run with the process's rights (local paths resolve against the config file's
 * directory). Load configs only from people you would let run code on the host.
 */
export interface RouterConfig {
  readonly experts?: readonly string[];
  readonly fallback?: { readonly expert?: string; readonly ambiguityMargin?: number };
  readonly embedder?: PackageRef;
  readonly layers: readonly LayerEntry[];
  readonly tracking?: TrackingConfig;
  /** Tuned thresholds file read at start-up (written by `moe-router tune`). */
  readonly thresholdsFile?: string;
  /**
   * Where tuned thresholds live when several instances share them: a
   * "postgres://user@host/db[?tablePrefix=moe_router]" URL (table `<prefix>_thresholds`, one
   * versioned row per `moe-router tune`, polled by every instance), or a file path. Instead of
   * `thresholdsFile`, not with it.
   */
  readonly thresholdsStore?: string;
  /** Where layers persist state. Default ".moe-router". */
  readonly dataDir?: string;
  readonly shadowShare?: number;
  readonly experiment?: { readonly name: string; readonly share: number; readonly candidateThresholds: Record<string, number> };
  readonly maxDescriptionLength?: number;
  readonly layerTimeoutMs?: number;
  /** Time budget for each layer or embedder factory to start, in ms. Default 30000. */
  readonly startupTimeoutMs?: number;
  /** Degradation alert rules (`moe-router alerts`, the service's monitor). */
  readonly alerts?: readonly AlertRule[];
  /** How a service runs the alert monitor: evaluation interval, webhook. */
  readonly alertMonitor?: MonitorSettings;
  /** OpenTelemetry: the server adds `@moe-router/otel`'s observer when `enabled`. */
  readonly otel?: { readonly enabled?: boolean; readonly recordDescription?: boolean };
}
