import { isMoeRouterError, MoeRouterError, ErrorCode } from "@moe-router/core";
import type { Tracker } from "@moe-router/tracker";
import { EVENT_STORE_FORMS } from "@moe-router/tracker/rules";
import type { RouterConfig } from "./config/types.js";
import { DEFAULT_STORE } from "./defaults.js";
import { silentLogger, type RouterLogger } from "./logger.js";

/** The store forms a `tracking.store` / `--store` spec may take (for messages). */
export const STORE_FORMS = EVENT_STORE_FORMS;

/** An opened tracker plus the warnings it owes the user. */
export interface Tracking {
  readonly tracker: Tracker;
  /** The store spec in use, as given. */
  readonly spec: string;
  /** Flushes and closes the store; a failure is logged as a warning, never thrown. */
  close(): Promise<void>;
}

/** Where {@link openTracking} resolves paths and reports problems. */
export interface TrackingContext {
  /** Directory relative store paths resolve against. */
  readonly cwd: string;
  readonly logger?: RouterLogger;
}

/** Options of {@link openTracking}. */
export interface OpenTrackingOptions {
  /** A store spec that overrides the config's (`--store`). */
  readonly store?: string;
  /**
   * The caller cannot work without the store (outcome, generate, learn): opening failures throw.
   * Otherwise (route) a store that cannot be reached is logged and tracking is off for this run.
   * A spec that is not a store spec at all (typo) always throws MOE_INVALID_CONFIG.
   */
  readonly required?: boolean;
}

/** The store spec in use: the override (--store), then config.tracking.store, then the default. */
export function storeSpec(config: RouterConfig, override?: string): string {
  return override ?? config.tracking?.store ?? DEFAULT_STORE;
}

function describe(error: unknown): string {
  return isMoeRouterError(error) ? `[${error.code}]: ${error.message}` : `: ${(error as Error)?.message ?? String(error)}`;
}

/**
 * Opens the tracker from `config.tracking` (default .moe-router/events.jsonl under `cwd`).
 * A spec that names no known kind of store is a config error (thrown). A store that fails to
 * open logs one warning and tracking is off for this run (unless `required`). Later store
 * failures are logged once and counted; they never fail routing. Undefined when tracking is off.
 */
export async function openTracking(config: RouterConfig, context: TrackingContext, options: OpenTrackingOptions = {}): Promise<Tracking | undefined> {
  if (options.store === undefined && config.tracking?.enabled === false && !options.required) return undefined;
  const logger = context.logger ?? silentLogger;
  const spec = storeSpec(config, options.store);
  let warned = false;
  const warn = (message: string) => {
    if (warned) return;
    warned = true;
    logger.warn(`warning ${message}`);
  };
  // Loaded here, not with the router: `route --no-track` and configs without tracking never load the tracker.
  const { createTracker, openStore } = await import("@moe-router/tracker");
  let tracker: Tracker;
  try {
    const store = await openStore(spec, { cwd: context.cwd });
    tracker = createTracker({
      store,
      ...(config.experts ? { experts: config.experts } : {}),
      onError: (error) => warn(`[${error.code}]: tracking: ${error.message}`),
    });
  } catch (error) {
    // A typo in the spec must not silently switch tracking off for every later run.
    if (options.required || isMoeRouterError(error, ErrorCode.INVALID_CONFIG)) throw error;
    warn(`${describe(error)} Tracking is off for this run; routing goes on.`);
    return undefined;
  }
  return {
    tracker,
    spec,
    async close() {
      try {
        await tracker.close();
      } catch (error) {
        warn(`${describe(error)} (the route itself succeeded)`);
      }
      const { store } = tracker.stats();
      const lost = store.failed + store.dropped;
      if (lost > 0) warn(`[${ErrorCode.STORE_FAILED}]: tracking: ${lost} record(s) were not stored in ${spec}.`);
    },
  };
}

/** Opens the store of a caller that needs it, with a message that says which store failed. */
export async function requireTracking(config: RouterConfig, context: TrackingContext, store?: string): Promise<Tracking> {
  const tracking = await openTracking(config, context, { ...(store !== undefined ? { store } : {}), required: true });
  if (!tracking) throw new MoeRouterError(ErrorCode.INVALID_CONFIG, "Tracking is disabled in the config; pass --store SPEC to name the event store.");
  return tracking;
}
