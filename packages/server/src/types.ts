/**
 * Public option and contract types of the HTTP service.
 */
import type { Decision, RoutingTask } from "@moe-router/core";
import type { OutcomeInput, RecordedOutcome, RoutingEvent, StoreStats } from "@moe-router/tracker";
import type { FastifyInstance } from "fastify";
import type { DashboardOptions } from "./dashboard/plugin.js";
import type { SharedCorrectionsOptions } from "./fleet/plugin.js";

/** Whether the router can serve, and why not (`openRouter().ready()`). */
export interface RouterReadiness {
  readonly ok: boolean;
  /** Why it is not ready (store unreachable, no layer loaded, closed); empty when ok. */
  readonly reasons: readonly string[];
}

/** What a learn run reports (`openRouter().learn()`); failures are per layer. */
export interface RouterLearnReport {
  readonly layers?: readonly { readonly layer: string; readonly applied?: number; readonly error?: { readonly code: string; readonly message: string } }[];
}

/**
 * What the server needs from a running router. `openRouter()` of `@moe-router/router`
 * returns a superset of this; tests and embedders may pass anything that has these members.
 */
export interface RouterHandle {
  /** Routes one task; tracking (if on) is buffered, acknowledged by {@link RouterHandle.flush}. */
  route(task: RoutingTask): Promise<Decision>;
  /** Routes many tasks in order (optional: the server falls back to {@link RouterHandle.route} per task). */
  routeBatch?(tasks: readonly RoutingTask[]): Promise<Decision[]>;
  /** The JSON `moe-router route` prints for a decision. */
  output(decision: Decision): Record<string, unknown>;
  /**
   * Records an outcome; resolves once it is durable.
   * @throws MoeRouterError NOT_FOUND for an unknown event id, INVALID_CONFIG for a contradictory
   *   outcome or when tracking is off, STORE_FAILED when the store cannot write it.
   */
  recordOutcome(eventId: string, outcome: OutcomeInput): Promise<RecordedOutcome>;
  /** One decision with its outcome merged (snake_case record), or undefined. */
  getEvent(eventId: string): Promise<RoutingEvent | undefined>;
  /**
   * Makes every decision routed so far durable in the store.
   * @throws MoeRouterError STORE_FAILED when some could not be written.
   */
  flush(): Promise<void>;
  /**
   * Applies the corrected outcomes in the store that the learnable layers have not learned
   * yet (decisions routed at or after `since`). The server calls it, batched, after
   * outcomes that correct the expert.
   */
  learn?(options?: { readonly since?: Date }): Promise<RouterLearnReport | unknown>;
  /** Thresholds in force and where each came from, as `GET /v1/config` shows them. */
  thresholds?(): unknown;
  /** Re-reads the config (SIGHUP). A bad new config keeps the running one and rejects with a coded error. */
  reload?(): Promise<unknown>;
  /** Polls the tuned thresholds file and applies changes; returns stop. */
  watchThresholds?(options?: { readonly intervalMs?: number }): () => void;
  /** Readiness for `GET /readyz`. */
  ready?(): RouterReadiness | Promise<RouterReadiness>;
  /** Counters; the store's (written / failed / dropped) under `tracker.store` when tracking is on. */
  stats?(): { readonly tracker?: { readonly store: StoreStats } };
  /** Flushes and releases everything. */
  close(): Promise<void>;
}

/** One alert rule's state as a monitor keeps it (`createAlertMonitor().rules()` of `@moe-router/alerts`). */
export interface AlertRuleState {
  readonly firing: boolean;
  /** ISO time the rule started firing; null when it is not firing. */
  readonly since: string | null;
  /** The latest evaluation (state, value, bound, limit, samples, window), null before the first. */
  readonly last: unknown;
}

/**
 * What the server needs from an alert monitor: the rules' states, for the
 * `moe_router_alert_firing{rule}` gauge and `GET /v1/alerts`. `createAlertMonitor()` returns a
 * superset; the caller starts and closes it.
 */
export interface AlertStatusSource {
  rules(): ReadonlyMap<string, AlertRuleState>;
}

/** Where the server writes its log: a pino destination (anything with `write(line)`). */
export interface LogDestination {
  write(line: string): void;
}

/** Options of {@link createServer}. */
export interface ServerOptions {
  /** The running router (e.g. `await openRouter({ config: "moe-router.yaml" })`). */
  readonly router: RouterHandle;
  /**
   * Bearer token: every request except `/healthz` and `/readyz` must send
   * `Authorization: Bearer <token>`. Required to bind a non-loopback address.
   */
  readonly token?: string;
  /** Largest request body in bytes (413 above it). Default 65,536 (64 KiB). */
  readonly bodyLimit?: number;
  /** Largest `POST /v1/route/batch` body in bytes. Default 1 MiB. */
  readonly batchBodyLimit?: number;
  /** pino log level: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent". Default "info". */
  readonly logLevel?: string;
  /** Where log lines go. Default: stdout. */
  readonly logDestination?: LogDestination;
  /** Log one line per request (method, path, status, time). Default false (hot path). */
  readonly logRequests?: boolean;
  /** Outcomes kept per layer for `moe_router_layer_accuracy` (sliding window). Default 1,000. */
  readonly accuracyWindow?: number;
  /** Corrections collected before `learn()` runs for them in one batch. Default 32. */
  readonly learnBatchSize?: number;
  /** Longest wait between a correction and the `learn()` run that applies it, in ms. Default 1,000. */
  readonly learnDelayMs?: number;
  /** Longest wait for the store to acknowledge a route's record before answering 503, in ms. Default 10,000. */
  readonly ackTimeoutMs?: number;
  /**
   * An alert monitor (`createAlertMonitor` of `@moe-router/alerts`, started by the caller):
   * `/metrics` gets `moe_router_alert_firing{rule}` (1 firing, 0 not) and `GET /v1/alerts`
   * lists every rule's state. Without it `GET /v1/alerts` answers `{ "monitored": false, "alerts": [] }`.
   */
  readonly alerts?: AlertStatusSource;
  /**
   * Extra fastify plugins registered after the built-in routes (e.g. a dashboard at
   * `GET /dashboard`); they get the same auth, error format and limits.
   */
  readonly plugins?: readonly ServerPlugin[];
  /**
   * The live web dashboard at `GET /dashboard` (on by default): its options, or false to
   * leave it out. With a token, a browser signs in with HTTP Basic (any user name, the token
   * as the password).
   */
  readonly dashboard?: false | DashboardOptions;
  /**
   * Many instances on one PostgreSQL store: poll it for corrections the other instances
   * recorded and pass them to this router's learnable layers (on by default; does nothing on a
   * store that is not shared, such as a JSONL file). Options, or false to turn it off.
   */
  readonly sharedCorrections?: false | SharedCorrectionsOptions;
}

/** A route or group of routes added to the service (see {@link ServerOptions.plugins}). */
export interface ServerPlugin {
  readonly name: string;
  register(app: FastifyInstance, context: ServerPluginContext): void | Promise<void>;
}

/** What a {@link ServerPlugin} gets besides the fastify instance. */
export interface ServerPluginContext {
  readonly router: RouterHandle;
  /** Subscribes to every decision the service routes; returns the unsubscribe function. */
  onDecision(listener: (decision: Decision) => void): () => void;
  /** Subscribes to every outcome the service records; returns the unsubscribe function. */
  onOutcome(listener: (outcome: RecordedOutcome) => void): () => void;
  /**
   * The service's one serialised path into `router.learn({ since })`, shared with its online
   * learning: a plugin that learns (the shared corrections) calls this, never `router.learn`
   * directly, so two learn runs never overlap.
   */
  readonly learn?: (since: Date | undefined) => Promise<unknown>;
}

/** Options of {@link startServer}: {@link ServerOptions} plus where to listen. */
export interface StartServerOptions extends ServerOptions {
  /** Address to bind. Default "127.0.0.1"; any other than loopback needs `token`. */
  readonly host?: string;
  /** Port. Default 8700; 0 picks a free one. */
  readonly port?: number;
  /**
   * Handle SIGTERM/SIGINT (drain, flush, close the router, exit 0) and SIGHUP (reload the
   * config). Default false for the library; `moe-router serve` turns it on.
   */
  readonly handleSignals?: boolean;
  /** Longest wait for requests in flight when stopping, in ms. Default 10,000. */
  readonly shutdownTimeoutMs?: number;
  /** Close the router too when the server stops (what `moe-router serve` does). Default false. */
  readonly closeRouter?: boolean;
}

/** A listening service. */
export interface RunningServer {
  /** The fastify instance (e.g. for `inject()` in tests). */
  readonly app: FastifyInstance;
  /** `http://host:port` actually bound. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /**
   * Stops accepting connections, waits for requests in flight, flushes the store (and
   * closes the router with `closeRouter`). Safe to call more than once.
   */
  close(): Promise<void>;
}
