import { ErrorCode, MoeRouterError, isMoeRouterError } from "@moe-router/core";
import { evaluateAlerts, type AlertSource } from "./evaluate.js";
import { checkWebhook, WebhookQueue } from "./internal/webhook.js";
import type { AlertEvaluation, AlertNotification, AlertRule, MonitoredRule, MonitorErrorListener, MonitorStats, ResolvedRule, WebhookOptions } from "./types.js";
import { resolveAlertRules } from "./validate.js";

/** Options of {@link createAlertMonitor}. */
export interface AlertMonitorOptions {
  /** The rules (the config's `alerts`); validated here. */
  readonly rules: readonly AlertRule[];
  /** Where the events are: a store (PostgreSQL computes in SQL) or anything with `timeSeries()`. */
  readonly store: AlertSource;
  /** Time between evaluations. Default 60,000 ms. */
  readonly intervalMs?: number;
  /** POST a JSON {@link AlertNotification} here on each start / stop of firing. */
  readonly webhook?: WebhookOptions;
  /** Called on each transition (the same notification the webhook gets). Must not throw; if it does it is reported, never fatal. */
  readonly onChange?: (notification: AlertNotification) => void;
  /** Called for each failure (evaluation or delivery). */
  readonly onError?: MonitorErrorListener;
  /** The clock (epoch ms). Default Date.now. */
  readonly now?: () => number;
  /** Generated sample decisions: `"include"` (the default) or `"exclude"` (as in {@link evaluateAlerts}). */
  readonly synthetic?: "include" | "exclude";
}

/** A running alert monitor. */
export interface AlertMonitor {
  /** Starts evaluating every `intervalMs` (the first evaluation at once). Idempotent. */
  start(): void;
  /** Evaluates every rule now and applies the transitions; resolves to the evaluations, or undefined when it failed (counted, reported). Never rejects. */
  evaluate(): Promise<readonly AlertEvaluation[] | undefined>;
  /** Names of the rules firing now. */
  firing(): string[];
  /** Every rule's state, in rule order. */
  rules(): ReadonlyMap<string, MonitoredRule>;
  stats(): MonitorStats;
  /** Resolves when every queued webhook notification was delivered or given up. */
  flush(): Promise<void>;
  /** Stops the timer, waits for a running evaluation and for deliveries in flight (retries are given up). */
  close(): Promise<void>;
}

/**
 * True when a firing rule has recovered: its measured value is back on the good side of the
 * limit. The start needs the confidence bound past the limit, the stop only the value back:
 * the gap between the two is the hysteresis that keeps a rule near its limit from flapping.
 */
function recovered(evaluation: AlertEvaluation): boolean {
  if (evaluation.state === "insufficient_data" || evaluation.value === null) return false;
  return evaluation.direction === "below" ? evaluation.value >= evaluation.limit : evaluation.value <= evaluation.limit;
}

/**
 * Creates a monitor that evaluates alert rules periodically (timers are unref'd and each
 * evaluation is one aggregate query per window, off the routing path), keeps each rule's firing
 * state with hysteresis, and on each transition calls `onChange` and POSTs a JSON notification
 * to the webhook (in order, retried with exponential backoff, never blocking). A rule without
 * enough data keeps its state. Failures are counted and reported, never thrown.
 * @example
 * const monitor = createAlertMonitor({ rules: config.alerts, store, webhook: { url: "https://hooks.example.com/moe" } });
 * monitor.start();
 * @throws MoeRouterError INVALID_CONFIG / UNKNOWN_OPTION for bad rules or options.
 */
export function createAlertMonitor(options: AlertMonitorOptions): AlertMonitor {
  if (!options || typeof options !== "object") throw new MoeRouterError(ErrorCode.INVALID_CONFIG, "createAlertMonitor needs { rules, store }.");
  const resolved: ResolvedRule[] = resolveAlertRules(options.rules, "alerts");
  const store = options.store;
  if (!store || (typeof (store as { read?: unknown }).read !== "function" && typeof (store as { timeSeries?: unknown }).timeSeries !== "function")) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, "createAlertMonitor: store must be an event store (with read()) or have timeSeries().");
  }
  const intervalMs = options.intervalMs ?? 60_000;
  if (!(Number.isInteger(intervalMs) && intervalMs >= 100))
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `intervalMs must be a whole number of milliseconds >= 100; got ${String(options.intervalMs)}.`);
  if (options.webhook) checkWebhook(options.webhook);
  const clock = options.now ?? Date.now;
  let lastError: { code: string; message: string } | undefined;
  let evaluations = 0,
    failures = 0;
  const report = (error: MoeRouterError) => {
    lastError = { code: error.code, message: error.message };
    try {
      options.onError?.(error);
    } catch {
      // A listener that throws must not stop the monitor.
    }
  };
  const webhook = options.webhook ? new WebhookQueue(options.webhook, report) : undefined;
  const states = new Map<string, MonitoredRule>(resolved.map(({ rule }) => [rule.name, { firing: false, since: null, last: null }]));
  let timer: ReturnType<typeof setInterval> | undefined;
  let running: Promise<readonly AlertEvaluation[] | undefined> | undefined;
  let closed = false;

  function transition(rule: AlertRule, evaluation: AlertEvaluation, at: number): void {
    const state = states.get(rule.name)!;
    let next: MonitoredRule = { ...state, last: evaluation };
    let status: AlertNotification["status"] | undefined;
    if (!state.firing && evaluation.state === "firing") {
      next = { firing: true, since: new Date(at).toISOString(), last: evaluation };
      status = "firing";
    } else if (state.firing && recovered(evaluation)) {
      next = { firing: false, since: null, last: evaluation };
      status = "resolved";
    }
    states.set(rule.name, next);
    if (!status) return;
    const notification: AlertNotification = { type: "moe-router.alert", status, rule, evaluation, at: new Date(at).toISOString(), firingSince: state.firing ? state.since : next.since };
    webhook?.push(notification);
    try {
      options.onChange?.(notification);
    } catch (error) {
      report(new MoeRouterError(ErrorCode.INVALID_CONFIG, `The alert monitor's onChange listener threw: ${(error as Error)?.message ?? String(error)}.`, { cause: error }));
    }
  }

  async function evaluateOnce(): Promise<readonly AlertEvaluation[] | undefined> {
    const at = clock();
    try {
      const results = await evaluateAlerts(resolved, store, { now: at, ...(options.synthetic ? { synthetic: options.synthetic } : {}) });
      evaluations++;
      if (!closed) results.forEach((evaluation, i) => transition(resolved[i]!.rule, evaluation, at));
      return results;
    } catch (error) {
      failures++;
      report(isMoeRouterError(error) ? error : new MoeRouterError(ErrorCode.STORE_FAILED, `Evaluating the alert rules failed: ${(error as Error)?.message ?? String(error)}.`, { cause: error }));
      return undefined;
    }
  }

  function evaluate(): Promise<readonly AlertEvaluation[] | undefined> {
    // One evaluation at a time: a slow store makes ticks skip rather than pile up.
    running ??= evaluateOnce().finally(() => (running = undefined));
    return running;
  }

  return {
    start() {
      if (timer || closed) return;
      void evaluate();
      timer = setInterval(() => void evaluate(), intervalMs);
      timer.unref?.();
    },
    evaluate,
    firing: () => [...states].filter(([, state]) => state.firing).map(([name]) => name),
    rules: () => new Map(states),
    stats: () => ({
      evaluations,
      failures,
      notificationsSent: webhook?.sent ?? 0,
      notificationsFailed: webhook?.failed ?? 0,
      ...(lastError ? { lastError } : {}),
    }),
    flush: async () => {
      await webhook?.idle();
    },
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
      await webhook?.stop();
    },
  };
}
