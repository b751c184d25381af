import type { CascadeObserver } from "@moe-router/core";
import { openRouter, type RouterConfig, type Router } from "@moe-router/router";
import type { Tracker } from "@moe-router/tracker";
import { cliLogger, type CliIO } from "./io.js";

/** Options shared by commands that route. */
export interface SessionOptions {
  readonly configFile?: string;
  /** Adjusts the loaded config before use (e.g. the demo's own data directory). */
  readonly adjustConfig?: (config: RouterConfig) => RouterConfig;
  /** Skip tracking even when the config enables it. */
  readonly noTrack?: boolean;
  /** A store spec that overrides the config's (`--store`). */
  readonly store?: string;
  /** The command needs the store: failing to open it is an error, not a warning. */
  readonly requireStore?: boolean;
  readonly observers?: readonly CascadeObserver[];
  /** Print the modules loaded and the thresholds the tuned file overrides on stderr. */
  readonly verbose?: boolean;
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

/** Opens a session through @moe-router/router's openRouter: config -> thresholds file -> tracker -> router. */
export async function openSession(options: SessionOptions, io: CliIO): Promise<Session> {
  const router = await openRouter({
    ...(options.configFile !== undefined ? { config: options.configFile } : {}),
    cwd: io.cwd,
    ...(options.adjustConfig ? { adjustConfig: options.adjustConfig } : {}),
    ...(options.noTrack ? { noTrack: true } : {}),
    ...(options.store !== undefined ? { store: options.store } : {}),
    ...(options.requireStore ? { requireStore: true } : {}),
    ...(options.observers ? { observers: options.observers } : {}),
    logger: cliLogger(io, options.verbose === true),
    verbose: options.verbose === true,
  });
  return {
    router,
    config: router.config,
    configSource: router.configSource,
    tracker: router.tracker,
    close: () => router.close(),
  };
}
