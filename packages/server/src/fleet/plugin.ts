/**
 * Many instances on one store: a server plugin that runs a {@link CorrectionSync} when the
 * router's event store is shared (it can list corrections after a cursor, as the PostgreSQL
 * store does), so a correction posted to any instance reaches every instance's layers.
 */
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import type { RouterHandle, ServerPlugin, ServerPluginContext } from "../types.js";
import { CorrectionSync, type CorrectionSource, type CorrectionSyncStats } from "./correction-sync.js";

/** File in the router's data directory that keeps the shared-corrections watermark. */
export const SHARED_CORRECTIONS_FILE = "shared-corrections.json";

/** Options of {@link sharedCorrectionsPlugin}. */
export interface SharedCorrectionsOptions {
  /** How often the shared store is polled for other instances' corrections, in ms. Default 2,000. */
  readonly intervalMs?: number;
  /** Corrections read per poll. Default 500. */
  readonly batchSize?: number;
}

/** The shared store of a router, when it has one: `openRouter()`'s tracker store, or a handle's `store`. */
function sharedSource(router: RouterHandle): CorrectionSource | undefined {
  const handle = router as { tracker?: { store?: Partial<CorrectionSource> }; store?: Partial<CorrectionSource> };
  for (const store of [handle.tracker?.store, handle.store]) {
    if (store && typeof store.correctionsAfter === "function") {
      return { ...(store.description ? { description: store.description } : {}), correctionsAfter: (cursor, limit) => store.correctionsAfter!(cursor, limit) };
    }
  }
  return undefined;
}

/** A plugin plus the stats of its sync (undefined until registered on a shared store). */
export interface SharedCorrectionsPlugin extends ServerPlugin {
  stats(): CorrectionSyncStats | undefined;
}

/**
 * Creates the plugin; `createServer` registers it by default. On a store that is not shared
 * (a JSONL file) it does nothing.
 */
export function sharedCorrectionsPlugin(options: SharedCorrectionsOptions = {}): SharedCorrectionsPlugin {
  let sync: CorrectionSync | undefined;
  return {
    name: "shared-corrections",
    stats: () => sync?.stats(),
    async register(app: FastifyInstance, context: ServerPluginContext) {
      const router = context.router;
      const source = sharedSource(router);
      if (!source || typeof router.learn !== "function") return;
      const dataDir = (router as { dataDir?: unknown }).dataDir;
      sync = new CorrectionSync({
        source,
        // The router's own learn path: it reads the store from the oldest corrected decision and
        // applies what each learnable layer has not learned yet (so nothing is learned twice).
        // Through the service's serialised path, so it never overlaps the online learning of this instance's own corrections.
        learn: ({ since }) => (context.learn ? context.learn(since) : router.learn!({ since })),
        ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
        ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
        ...(typeof dataDir === "string" ? { watermarkFile: join(dataDir, SHARED_CORRECTIONS_FILE) } : {}),
        onError: (error) => app.log.warn({ code: error.code, err: error }, "shared corrections: a poll failed; retrying"),
        onLearned: (count) => app.log.info({ count }, "shared corrections: learned corrections recorded by other instances"),
      });
      const current = sync;
      // Outcomes recorded here are learned online by the server; the sync skips them.
      const unsubscribe = context.onOutcome((outcome) => {
        const record = outcome.record;
        current.recordedHere(record.event_id, record.timestamp, record.outcome.user_corrected_to);
      });
      app.addHook("onClose", async () => {
        unsubscribe();
        await current.stop();
      });
      await current.start();
    },
  };
}
