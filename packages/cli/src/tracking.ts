import { isMoeRouterError, MoeRouterError, ErrorCode } from "@moe-router/core";
import { createTracker, openStore, type Tracker } from "@moe-router/tracker";
import type { RouterConfig } from "./config/types.js";
import type { CliIO } from "./io.js";

/** Where events go when the config names no store. */
export const DEFAULT_STORE = ".moe-router/events.jsonl";

/** An opened tracker plus the warnings it owes the user. */
export interface Tracking {
  readonly tracker: Tracker;
  /** The store spec in use, as given. */
  readonly spec: string;
  /** Flushes and closes the store; a failure prints a warning, never throws. */
  close(): Promise<void>;
}

/** Options of {@link openTracking}. */
export interface OpenTrackingOptions {
  /** A store spec that overrides the config's (`--store`). */
  readonly store?: string;
  /**
   * The command cannot work without the store (outcome, generate): opening failures throw.
   * Otherwise (route) they print a warning and tracking is off for this run.
   */
  readonly required?: boolean;
}

/** The store spec a command uses: --store, then config.tracking.store, then the default. */
export function storeSpec(config: RouterConfig, override?: string): string {
  return override ?? config.tracking?.store ?? DEFAULT_STORE;
}

function describe(error: unknown): string {
  return isMoeRouterError(error) ? `[${error.code}]: ${error.message}` : `: ${(error as Error)?.message ?? String(error)}`;
}

/**
 * Opens the tracker for a CLI run from `config.tracking` (default .moe-router/events.jsonl
 * under the working directory). Store failures print one warning on stderr and are
 * counted; they never fail `route`. Returns undefined when tracking is disabled.
 */
export async function openTracking(config: RouterConfig, io: CliIO, options: OpenTrackingOptions = {}): Promise<Tracking | undefined> {
  if (options.store === undefined && config.tracking?.enabled === false && !options.required) return undefined;
  const spec = storeSpec(config, options.store);
  let warned = false;
  const warn = (message: string) => {
    if (warned) return;
    warned = true;
    io.stderr(`warning ${message}\n`);
  };
  let tracker: Tracker;
  try {
    const store = await openStore(spec, { cwd: io.cwd });
    tracker = createTracker({
      store,
      ...(config.experts ? { experts: config.experts } : {}),
      onError: (error) => warn(`[${error.code}]: tracking: ${error.message}`),
    });
  } catch (error) {
    if (options.required) throw error;
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

/** Opens the store of a command that needs it, with a message that says which store failed. */
export async function requireTracking(config: RouterConfig, io: CliIO, store?: string): Promise<Tracking> {
  const tracking = await openTracking(config, io, { ...(store !== undefined ? { store } : {}), required: true });
  if (!tracking) throw new MoeRouterError(ErrorCode.INVALID_CONFIG, "Tracking is disabled in the config; pass --store SPEC to name the event store.");
  return tracking;
}
