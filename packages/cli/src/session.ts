import type { CascadeObserver } from "@moe-router/core";
import { loadRouterConfig } from "./config/load.js";
import type { RouterConfig } from "./config/types.js";
import type { CliIO } from "./io.js";
import { buildRouter, type Router } from "./runtime.js";

/** Options shared by commands that route. */
export interface SessionOptions {
  readonly configFile?: string;
  /** Skip tracking even when the config enables it. */
  readonly noTrack?: boolean;
  readonly observers?: readonly CascadeObserver[];
}

/** A router plus its tracking, opened from the CLI's config. */
export interface Session {
  readonly router: Router;
  readonly config: RouterConfig;
  readonly configSource: string;
  close(): Promise<void>;
}

/**
 * Opens a session: config (file or embedded default) -> thresholds file -> tracker -> router.
 * Tracking and tuned thresholds are wired in by their own modules (see tracking.ts, thresholds.ts).
 */
export async function openSession(options: SessionOptions, io: CliIO): Promise<Session> {
  const { config, source } = await loadRouterConfig(options.configFile, io.cwd);
  const observers: CascadeObserver[] = [...(options.observers ?? [])];
  const router = await buildRouter(config, { cwd: io.cwd, observers });
  return {
    router,
    config,
    configSource: source,
    async close() {
      await router.close();
    },
  };
}
