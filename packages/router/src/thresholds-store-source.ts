/**
 * Tuned thresholds from a {@link ThresholdsStore} (a PostgreSQL table many instances share, or
 * a file) as the router's {@link ThresholdsSource}: watching polls the store's cheap
 * `revision()`, so a `moe-router tune` on any host reaches every instance within one interval.
 */
import { isAbsolute, resolve } from "node:path";
import { isDatabaseSpec, redactConnectionString } from "@moe-router/tracker/rules";
import type { ThresholdsStore } from "@moe-router/tuner";
import type { RouterConfig } from "./config/types.js";
import { fileThresholdsSource, thresholdsFilePath, type ThresholdsSource } from "./thresholds.js";

/** A thresholds source that owns a store connection (closed with the router). */
export interface ClosableThresholdsSource extends ThresholdsSource {
  close(): Promise<void>;
}

/**
 * A source over a thresholds store spec (`postgres://...[?tablePrefix=...]` or a file path).
 * The store is opened on first use, so building a router does not wait for the database
 * twice; an unreachable database reads as MOE_STORE_FAILED, which keeps the thresholds in force.
 */
export function thresholdsStoreSource(spec: string, cwd: string): ClosableThresholdsSource {
  let opening: Promise<ThresholdsStore> | undefined;
  let closed = false;
  const open = () => {
    // The tuner is loaded with the store, not with the router.
    opening ??= import("@moe-router/tuner")
      .then(({ openThresholdsStore }) => openThresholdsStore(spec, { cwd }))
      .catch((error: unknown) => {
        opening = undefined; // retry on the next read (the database may come back)
        throw error;
      });
    return opening;
  };
  const where = isDatabaseSpec(spec) ? `thresholds table in ${redactConnectionString(spec)}` : `thresholds file ${isAbsolute(spec) ? spec : resolve(cwd, spec)}`;
  return {
    description: where,
    async read() {
      return (await open()).read();
    },
    watch(onChange, { intervalMs }) {
      // null: not polled yet, so the first poll re-reads once (a write may have come between
      // the router's first read and the watch starting; re-reading what is in force is harmless).
      let last: string | undefined | null = null;
      let stopped = false;
      let timer: NodeJS.Timeout | undefined;
      const poll = async () => {
        try {
          const revision = await (await open()).revision();
          if (revision !== last) onChange();
          last = revision;
        } catch {
          // Unreachable for now: keep what is in force, poll again.
        }
        if (!stopped && !closed) {
          timer = setTimeout(() => void poll(), intervalMs);
          timer.unref();
        }
      };
      void poll();
      return () => {
        stopped = true;
        clearTimeout(timer);
      };
    },
    async close() {
      closed = true;
      const store = await opening?.catch(() => undefined);
      await store?.close();
    },
  };
}

/**
 * The thresholds source a config names: `thresholdsStore` (a shared PostgreSQL table, or a
 * file) when set, else the thresholds file.
 */
export function configThresholdsSource(config: RouterConfig, cwd: string): ThresholdsSource | ClosableThresholdsSource {
  return config.thresholdsStore !== undefined ? thresholdsStoreSource(config.thresholdsStore, cwd) : fileThresholdsSource(thresholdsFilePath(config, cwd));
}

/** The spec `moe-router tune` writes to for a config: `thresholdsStore`, else the thresholds file path. */
export function thresholdsStoreSpec(config: RouterConfig, cwd: string): string {
  return config.thresholdsStore ?? thresholdsFilePath(config, cwd);
}
