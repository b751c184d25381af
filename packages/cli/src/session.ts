import type { CascadeObserver } from "@moe-router/core";
import { loadRouterConfig } from "./config/load.js";
import type { RouterConfig } from "./config/types.js";
import type { CliIO } from "./io.js";
import { buildRouter, type Router } from "./runtime.js";
import { loadSessionThresholds } from "./thresholds.js";
import { openTracking } from "./tracking.js";
import type { Tracker } from "@moe-router/tracker";

/** Options shared by commands that route. */
export interface SessionOptions {
  readonly configFile?: string;
  /** Adjusts the loaded config before use (e.g. the demo's own data directory). */
  readonly adjustConfig?: (config: RouterConfig) => RouterConfig;
  /** Skip tracking even when the config enables it. */
  readonly noTrack?: boolean;
  readonly observers?: readonly CascadeObserver[];
}

/** A router plus its tracking, opened from the CLI's config. */
export interface Session {
  readonly router: Router;
  readonly config: RouterConfig;
  readonly configSource: string;
  /** The recording observer, unless tracking is off (--no-track, config, or the store failed to open). */
  readonly tracker: Tracker | undefined;
  /** Closes the router, then flushes and closes the tracker (store failures only warn). */
  close(): Promise<void>;
}

/**
 * Opens a session: config (file or embedded default) -> thresholds file -> tracker -> router.
 * Tracking and tuned thresholds are wired in by their own modules (see tracking.ts, thresholds.ts).
 */
export async function openSession(options: SessionOptions, io: CliIO): Promise<Session> {
  const { config: original, source } = await loadRouterConfig(options.configFile, io.cwd);
  const loaded = options.adjustConfig ? options.adjustConfig(original) : original;
  // Tuned thresholds (and a running A/B experiment) from `moe-router tune`; a corrupt file keeps the config's.
  const tuned = await loadSessionThresholds(loaded, io);
  const config = tuned.config;
  const observers: CascadeObserver[] = [...(options.observers ?? [])];
  const tracking = options.noTrack ? undefined : await openTracking(config, io);
  if (tracking) observers.push(tracking.tracker);
  let router: Router;
  try {
    router = await buildRouter(config, { cwd: io.cwd, observers, ...(tuned.thresholds ? { thresholds: tuned.thresholds } : {}) });
  } catch (error) {
    await tracking?.close();
    throw error;
  }
  return {
    router,
    config,
    configSource: source,
    tracker: tracking?.tracker,
    async close() {
      try {
        await router.close();
      } finally {
        await tracking?.close();
      }
    },
  };
}
