import { readFileSync } from "node:fs";
import { ErrorCode, MoeRouterError, type Decision } from "@moe-router/core";
import type { RecordedOutcome } from "@moe-router/tracker";
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { ENDPOINTS, PUBLIC_PATHS } from "./internal/api.js";
import { bearerChecker } from "./internal/auth.js";
import { dashboardPlugin, isDashboardPath } from "./dashboard/plugin.js";
import { firingAlerts, type AlertMonitorView } from "./dashboard/alerts.js";
import { sharedCorrectionsPlugin } from "./fleet/plugin.js";
import { toErrorReply } from "./internal/errors.js";
import { registerHandlers, type ServiceState } from "./internal/handlers.js";
import { buildOpenApi } from "./internal/openapi.js";
import { ServiceMetrics } from "./internal/metrics.js";
import { GroupCommit } from "./internal/group-commit.js";
import { LearningQueue } from "./internal/learning.js";
import { serialLearn } from "./internal/serial-learn.js";
import { lazyChildLoggerFactory } from "./internal/request-logger.js";
import type { RouterLearnReport, ServerOptions, ServerPluginContext } from "./types.js";

/** Default request body limit: 64 KiB. */
export const DEFAULT_BODY_LIMIT = 64 * 1024;
/** Default body limit of `POST /v1/route/batch`: 1 MiB. */
export const DEFAULT_BATCH_BODY_LIMIT = 1024 * 1024;
/** Default longest wait for the store to acknowledge a record, in ms (then 503). */
export const DEFAULT_ACK_TIMEOUT_MS = 10_000;

const VERSION = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;

const OPTION_KEYS = new Set([
  "router",
  "token",
  "bodyLimit",
  "batchBodyLimit",
  "logLevel",
  "logDestination",
  "logRequests",
  "accuracyWindow",
  "learnBatchSize",
  "learnDelayMs",
  "ackTimeoutMs",
  "plugins",
  "dashboard",
  "sharedCorrections",
  "alerts",
]);

function positiveInteger(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0) throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `Server option "${name}" must be a positive integer; got ${String(value)}.`);
  return value;
}

/** A fastify instance with the moe-router API, not yet listening. */
export interface MoeRouterServer {
  readonly app: FastifyInstance;
  /**
   * Stops the service: refuses new requests (503), waits for requests in flight, passes the
   * queued corrections to learn(), and flushes the store. Does not close the router.
   */
  close(): Promise<void>;
}

function checkOptions(options: ServerOptions): void {
  if (!options || typeof options !== "object") throw new MoeRouterError(ErrorCode.INVALID_CONFIG, "createServer needs options: createServer({ router: await openRouter({ config }) }).");
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) throw new MoeRouterError(ErrorCode.UNKNOWN_OPTION, `Unknown server option "${key}". Known options: ${[...OPTION_KEYS].join(", ")}.`);
  }
  const router = options.router;
  if (!router || typeof router.route !== "function" || typeof router.flush !== "function" || typeof router.recordOutcome !== "function") {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, 'createServer: "router" must be a running router, e.g. await openRouter({ config: "moe-router.yaml" }).');
  }
  if (options.alerts !== undefined && typeof options.alerts?.rules !== "function") {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, 'createServer: "alerts" must be an alert monitor (createAlertMonitor() of @moe-router/alerts), with rules().');
  }
  if (options.token !== undefined && (typeof options.token !== "string" || options.token.trim().length < 16)) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, "The service token must be a string of at least 16 characters (e.g. `openssl rand -hex 32`).");
  }
}

/**
 * Builds the HTTP service around a running router: the endpoints of the API table, bearer
 * auth, body limits, coded JSON errors, Prometheus metrics, OpenAPI, group-committed
 * durable acknowledgements and batched online learning. Listen with `app.listen()` or use
 * {@link startServer}.
 *
 * @example
 * const router = await openRouter({ config: "moe-router.yaml" });
 * const { app } = await createServer({ router, token: process.env.MOE_ROUTER_TOKEN });
 * await app.listen({ host: "127.0.0.1", port: 8700 });
 */
export async function createServer(options: ServerOptions): Promise<MoeRouterServer> {
  checkOptions(options);
  const router = options.router;
  const bodyLimit = positiveInteger(options.bodyLimit, "bodyLimit", DEFAULT_BODY_LIMIT);
  const batchBodyLimit = positiveInteger(options.batchBodyLimit, "batchBodyLimit", Math.max(DEFAULT_BATCH_BODY_LIMIT, bodyLimit));
  const ackTimeoutMs = positiveInteger(options.ackTimeoutMs, "ackTimeoutMs", DEFAULT_ACK_TIMEOUT_MS);
  const app = Fastify({
    logger: {
      level: options.logLevel ?? "info",
      // Headers are not logged by fastify's request serialiser; redact anyway, in case a hook logs a request.
      redact: { paths: ["req.headers.authorization", "headers.authorization", "authorization", "token"], censor: "[redacted]" },
      ...(options.logDestination ? { stream: options.logDestination } : {}),
    },
    logController: new LogController({ disableRequestLogging: options.logRequests !== true }),
    // Each request's child logger (bound to its reqId) is made when it first writes a line.
    childLoggerFactory: lazyChildLoggerFactory,
    bodyLimit,
    return503OnClosing: false,
    forceCloseConnections: "idle",
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false } },
  });

  const commit = new GroupCommit(
    () => router.flush(),
    ackTimeoutMs,
    () => new MoeRouterError(ErrorCode.STORE_FAILED, `The event store did not acknowledge the record within ${ackTimeoutMs} ms; it is not known to be durable. Check the store (GET /readyz).`),
  );
  const metrics = new ServiceMetrics({
    accuracyWindow: positiveInteger(options.accuracyWindow, "accuracyWindow", 1000),
    storeStats: () => router.stats?.().tracker?.store,
    ...(options.alerts ? { alertStates: () => options.alerts!.rules() } : {}),
    commitStats: () => commit.stats(),
  });
  const decisionListeners = new Set<(decision: Decision) => void>();
  const outcomeListeners = new Set<(outcome: RecordedOutcome) => void>();
  // Online learning and the shared corrections of other instances share this one serialised path.
  const learnSerially = serialLearn((since) => (router.learn ? router.learn(since ? { since } : {}) : Promise.resolve(undefined)));
  const learning = new LearningQueue({
    learn: (since) => learnSerially(since),
    batchSize: positiveInteger(options.learnBatchSize, "learnBatchSize", 32),
    delayMs: positiveInteger(options.learnDelayMs, "learnDelayMs", 1000),
    onBatch(batch, { value, error }) {
      const failures = error !== undefined ? [{ code: (error as { code?: string }).code ?? ErrorCode.LAYER_FAILED, message: (error as Error)?.message ?? String(error) }] : layerErrors(value);
      metrics.recordLearned(batch.length, failures.length > 0);
      for (const failure of failures)
        app.log.warn({ code: failure.code }, `online learning: ${batch.length} correction(s) not learned${failure.layer ? ` by layer "${failure.layer}"` : ""}: ${failure.message}`);
    },
  });
  const state: ServiceState = {
    router,
    metrics,
    learning,
    commit,
    closing: false,
    ...(options.alerts ? { alerts: options.alerts } : {}),
    openapi: buildOpenApi(ENDPOINTS, { version: VERSION, auth: options.token !== undefined }),
    emitDecision(decision) {
      for (const listener of decisionListeners) {
        try {
          listener(decision);
        } catch (error) {
          app.log.warn({ err: error }, "a decision listener threw");
        }
      }
    },
    emitOutcome(outcome) {
      for (const listener of outcomeListeners) {
        try {
          listener(outcome);
        } catch (error) {
          app.log.warn({ err: error }, "an outcome listener threw");
        }
      }
    },
  };

  const authorised = options.token !== undefined ? bearerChecker(options.token) : undefined;
  app.addHook("onRequest", (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
    // Without a token and while running there is nothing to check (the common case: no path parsing).
    if (!state.closing && !authorised) {
      done();
      return;
    }
    const path = pathOf(request.url);
    if (state.closing && !PUBLIC_PATHS.has(path)) {
      done(new MoeRouterError(ErrorCode.NOT_READY, "The service is stopping; retry on another instance or after it restarts."));
      return;
    }
    const dashboard = isDashboardPath(path);
    if (authorised && !PUBLIC_PATHS.has(path) && !authorised(request.headers.authorization, { basic: dashboard })) {
      // A browser opening the dashboard prompts for Basic credentials (password: the token).
      reply.header("www-authenticate", dashboard ? 'Basic realm="moe-router dashboard", charset="UTF-8"' : 'Bearer realm="moe-router"');
      done(new MoeRouterError(ErrorCode.UNAUTHORIZED, "This service needs `Authorization: Bearer <token>` with the token it was started with (--token-file or MOE_ROUTER_TOKEN)."));
      return;
    }
    done();
  });
  app.setErrorHandler((error, request, reply) => {
    const { status, code, message } = toErrorReply(error);
    if (status >= 500) request.log.error({ err: error, code }, message);
    const extra = (error as { decision?: unknown }).decision;
    void reply
      .code(status)
      .type("application/json; charset=utf-8")
      .send(JSON.stringify({ error: { code, message }, ...(extra !== undefined ? { decision: extra } : {}) }));
  });
  app.setNotFoundHandler((request, reply) => {
    void reply
      .code(404)
      .type("application/json; charset=utf-8")
      .send(JSON.stringify({ error: { code: ErrorCode.NOT_FOUND, message: `No endpoint ${request.method} ${pathOf(request.url)}. GET /openapi.json lists the API.` } }));
  });

  registerHandlers(app, state, { batchBodyLimit });
  const context: ServerPluginContext = {
    router,
    learn: learnSerially,
    onDecision(listener) {
      decisionListeners.add(listener);
      return () => void decisionListeners.delete(listener);
    },
    onOutcome(listener) {
      outcomeListeners.add(listener);
      return () => void outcomeListeners.delete(listener);
    },
  };
  const plugins = [
    // The dashboard shows the alert monitor's firing rules unless told otherwise.
    ...(options.dashboard === false
      ? []
      : [dashboardPlugin(options.alerts && !options.dashboard?.alerts ? { ...options.dashboard, alerts: firingAlerts(options.alerts as unknown as AlertMonitorView) } : options.dashboard)]),
    ...(options.sharedCorrections === false ? [] : [sharedCorrectionsPlugin(options.sharedCorrections)]),
    ...(options.plugins ?? []),
  ];
  for (const plugin of plugins) await plugin.register(app, context);
  await app.ready();

  let closed: Promise<void> | undefined;
  return {
    app,
    close() {
      closed ??= (async () => {
        state.closing = true;
        // fastify.close() stops listening and resolves once every connection has ended. A
        // keep-alive connection turns idle once its answer is out: close those as they appear,
        // so keep-alive clients do not hold the stop up (no per-request hook on the hot path).
        const sweep = setInterval(() => app.server.closeIdleConnections?.(), 50);
        try {
          await app.close();
        } finally {
          clearInterval(sweep);
        }
        await learning.close();
        await withTimeout(router.flush(), ackTimeoutMs, "the final flush did not finish").catch((error: unknown) =>
          app.log.error({ err: error, code: ErrorCode.STORE_FAILED }, "final flush failed: records routed since the last acknowledgement may be lost"),
        );
      })();
      return closed;
    },
  };
}

/** The per-layer errors of a learn report (see RouterLearnReport). */
function layerErrors(report: unknown): Array<{ layer?: string; code: string; message: string }> {
  const layers = (report as RouterLearnReport | undefined)?.layers;
  if (!Array.isArray(layers)) return [];
  return layers.filter((l) => l?.error).map((l) => ({ layer: l.layer, code: l.error!.code, message: l.error!.message }));
}

function withTimeout(promise: Promise<void>, timeoutMs: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<void>((_, reject) => {
      timer = setTimeout(() => reject(new MoeRouterError(ErrorCode.STORE_FAILED, `${what} within ${timeoutMs} ms.`)), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}

function pathOf(url: string): string {
  const query = url.indexOf("?");
  return query === -1 ? url : url.slice(0, query);
}
