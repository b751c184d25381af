/**
 * The live web dashboard as a server plugin: `GET /dashboard` (the page), its script and
 * style, and `GET /dashboard/data` (the JSON snapshot the page polls). Registered after the
 * built-in routes, so the same auth hook, error format and limits apply.
 */
import { readFile } from "node:fs/promises";
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import type { EventSource } from "@moe-router/tracker";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { RouterHandle, ServerPlugin, ServerPluginContext } from "../types.js";
import { SnapshotCache } from "./cache.js";
import { DASHBOARD_HEADERS, dashboardPage } from "./page.js";
import { buildSnapshot, computes, type ComputingSource, type DashboardAlert, type DashboardSnapshot } from "./snapshot.js";

/** Options of {@link dashboardPlugin}. */
export interface DashboardOptions {
  /**
   * Where events are read. Default: the router's event store (`router.read`), so with a
   * shared PostgreSQL store the dashboard shows every instance's decisions.
   */
  readonly events?: EventSource;
  /** Hours of history: the per-layer analysis window and the hourly series. Default 24. */
  readonly windowHours?: number;
  /** How often the page polls for new data, in ms. Default 2,000. */
  readonly refreshMs?: number;
  /** Recent decisions listed (0 hides task descriptions). Default 10. */
  readonly recentDecisions?: number;
  /** Longest wait for the store when computing a snapshot, in ms (then 503). Default 10,000. */
  readonly timeoutMs?: number;
  /** Firing alerts to show (e.g. from an alert monitor); absent: no alerts section. */
  readonly alerts?: () => readonly DashboardAlert[] | Promise<readonly DashboardAlert[]>;
  /** Count generated sample decisions (`synthetic: true`, from `moe-router generate`) too. Default false: left out. */
  readonly includeSynthetic?: boolean;
  /** The clock, for tests. */
  readonly now?: () => number;
}

const ASSETS = new URL("../../assets/dashboard/", import.meta.url);

function positive(value: number | undefined, name: string, fallback: number, { integer = false, min = 0 } = {}): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= min || (integer && !Number.isInteger(value))) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `Dashboard option "${name}" must be a ${integer ? "whole " : ""}number above ${min}; got ${String(value)}.`);
  }
  return value;
}

/** Paths the dashboard serves (the auth hook also accepts Basic credentials on them). */
export function isDashboardPath(path: string): boolean {
  return path === "/dashboard" || path.startsWith("/dashboard/");
}

/**
 * The router's event stream, when tracking is on: `openRouter()`'s tracker, or a handle's
 * own `store` or `read()`.
 */
function routerEvents(router: RouterHandle): EventSource | undefined {
  const candidates = router as { tracker?: Partial<EventSource> & { store?: Partial<ComputingSource> }; store?: Partial<EventSource>; read?: EventSource["read"] };
  // A store that computes (PostgreSQL: in SQL) is used as it is: nothing streams through Node.
  for (const store of [candidates.tracker?.store, candidates.store]) {
    if (store && typeof store.read === "function" && computes(store as EventSource)) return store as ComputingSource;
  }
  for (const owner of [candidates.tracker, candidates.store]) {
    if (owner && typeof owner.read === "function") return { read: (range) => owner.read!(range) };
  }
  const read = candidates.read;
  return typeof read === "function" ? { read: (range) => read.call(router, range) } : undefined;
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new MoeRouterError(ErrorCode.STORE_FAILED, `The event store did not answer within ${timeoutMs} ms; the dashboard retries. Check the store (GET /readyz).`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function send(reply: FastifyReply, type: string, body: string): FastifyReply {
  return reply.headers(DASHBOARD_HEADERS).type(type).send(body);
}

/**
 * Creates the dashboard plugin; pass it to the server's `plugins`.
 *
 * @example
 * const { app } = await createServer({ router, plugins: [dashboardPlugin({ windowHours: 48 })] });
 * @throws MoeRouterError INVALID_CONFIG for an out-of-range option.
 */
export function dashboardPlugin(options: DashboardOptions = {}): ServerPlugin {
  const windowHours = positive(options.windowHours, "windowHours", 24);
  const refreshMs = positive(options.refreshMs, "refreshMs", 2_000, { integer: true, min: 99 });
  const timeoutMs = positive(options.timeoutMs, "timeoutMs", 10_000, { integer: true });
  const recent = options.recentDecisions === undefined ? 10 : options.recentDecisions === 0 ? 0 : positive(options.recentDecisions, "recentDecisions", 10, { integer: true });
  const now = options.now ?? Date.now;

  return {
    name: "dashboard",
    async register(app: FastifyInstance, context: ServerPluginContext) {
      const [script, style, icon] = await Promise.all(["app.js", "app.css", "icon.svg"].map((name) => readFile(new URL(name, ASSETS), "utf8")));
      const page = dashboardPage(refreshMs);
      const source = options.events ?? routerEvents(context.router);
      const alerts = options.alerts;
      const cache = new SnapshotCache<DashboardSnapshot>(
        async () => {
          if (!source) throw new MoeRouterError(ErrorCode.NOT_READY, "Tracking is off, so the dashboard has no events to show. Enable tracking in the config (tracking.store) and restart.");
          const [snapshot, firing] = await Promise.all([
            buildSnapshot(source, { windowHours, recent, descriptionChars: 200, now: now(), includeSynthetic: options.includeSynthetic === true }),
            alerts ? Promise.resolve(alerts()) : Promise.resolve(null),
          ]);
          return { ...snapshot, alerts: firing };
        },
        { freshMs: Math.min(1_000, refreshMs / 2), idleMs: Math.max(5_000, refreshMs) },
      );
      const unsubscribe = [context.onDecision(() => cache.markChanged()), context.onOutcome(() => cache.markChanged())];
      app.addHook("onClose", async () => {
        for (const stop of unsubscribe) stop();
      });

      app.get("/dashboard", async (_request, reply) => send(reply, "text/html; charset=utf-8", page));
      app.get("/dashboard/app.js", async (_request, reply) => send(reply, "text/javascript; charset=utf-8", script!));
      app.get("/dashboard/app.css", async (_request, reply) => send(reply, "text/css; charset=utf-8", style!));
      app.get("/dashboard/icon.svg", async (_request, reply) => send(reply, "image/svg+xml", icon!));
      app.get("/dashboard/data", async (_request, reply) => {
        const snapshot = await withTimeout(cache.get(), timeoutMs);
        return send(reply, "application/json; charset=utf-8", JSON.stringify(snapshot));
      });
    },
  };
}
