/**
 * Public shapes of @moe-router/alerts: the rule a user writes in the config (snake_case keys,
 * kept as the issue and the README show them), what one evaluation returns, and the monitor.
 */
import type { MoeRouterError } from "@moe-router/core";

/** What a rule measures. */
export type AlertMetric = "accuracy" | "coverage" | "clarification_rate" | "error_rate" | "latency_p95_ms" | "outcome_coverage" | "expert_shift";

/**
 * One alert rule, as written in the config's `alerts` list:
 * `{ name, metric, layer?, window, baseline?, below? | above?, min_samples? }`.
 */
export interface AlertRule {
  /** Unique name (also the `rule` label of `moe_router_alert_firing`). */
  readonly name: string;
  readonly metric: AlertMetric;
  /** Restrict to one layer (accuracy, coverage, error_rate, latency_p95_ms). */
  readonly layer?: string;
  /** The window evaluated, ending now: a duration such as "15m", "1h", "24h", "7d". */
  readonly window: string;
  /** expert_shift only: the window before `window` it is compared with. Default "7d". */
  readonly baseline?: string;
  /** Fires when the metric is (confidently) below this limit. Exactly one of below/above. */
  readonly below?: number;
  /** Fires when the metric is (confidently) above this limit. */
  readonly above?: number;
  /** Fewest samples (the rate's denominator) for the rule to judge at all. Default 30. */
  readonly min_samples?: number;
}

/** A rule after validation: durations in milliseconds, defaults filled in. */
export interface ResolvedRule {
  readonly rule: AlertRule;
  readonly windowMs: number;
  /** expert_shift only. */
  readonly baselineMs: number | undefined;
  readonly direction: "below" | "above";
  readonly limit: number;
  readonly minSamples: number;
}

/** firing: the bound crossed the limit; ok: it did not; insufficient_data: fewer samples than min_samples. */
export type AlertState = "firing" | "ok" | "insufficient_data";

/** The result of evaluating one rule at one time. */
export interface AlertEvaluation {
  readonly rule: string;
  readonly metric: AlertMetric;
  readonly layer: string | null;
  readonly state: AlertState;
  /** The measured value (a rate in [0,1], milliseconds, or the PSI), null without data. */
  readonly value: number | null;
  /**
   * The confidence bound judged against the limit: for rates the Wilson 95 % bound on the side
   * of the limit (upper for `below`, lower for `above`); for latency the order-statistic bound
   * of the p95; for expert_shift the PSI less its 95th percentile under no shift.
   */
  readonly bound: number | null;
  readonly direction: "below" | "above";
  readonly limit: number;
  /** Samples behind the value (the rate's denominator; latency samples; min of window and baseline decisions for expert_shift). */
  readonly samples: number;
  readonly minSamples: number;
  /** The evaluated window, ISO-8601 [since, until). */
  readonly window: { readonly since: string; readonly until: string };
  readonly baseline?: { readonly since: string; readonly until: string };
}

/** What a monitor's webhook receives (POST, JSON body) when a rule starts or stops firing. */
export interface AlertNotification {
  readonly type: "moe-router.alert";
  /** "firing" when the rule started firing, "resolved" when it stopped. */
  readonly status: "firing" | "resolved";
  readonly rule: AlertRule;
  readonly evaluation: AlertEvaluation;
  /** ISO-8601 time of the transition. */
  readonly at: string;
  /** When the rule started firing (for "resolved": how long it fired). */
  readonly firingSince: string | null;
}

/** A webhook the monitor notifies. */
export interface WebhookOptions {
  /** http(s) URL receiving the POST. */
  readonly url: string;
  /** Extra request headers (e.g. an authorisation token). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Tries per notification (first try included). Default 5. */
  readonly attempts?: number;
  /** Delay before the first retry; doubled each time (capped at 30 s). Default 500 ms. */
  readonly backoffMs?: number;
  /** Per-request timeout. Default 5,000 ms. */
  readonly timeoutMs?: number;
}

/** A rule's state in a monitor. */
export interface MonitoredRule {
  readonly firing: boolean;
  /** ISO time the rule started firing, null when it is not firing. */
  readonly since: string | null;
  /** The latest evaluation, null before the first. */
  readonly last: AlertEvaluation | null;
}

/** Counters of a monitor. */
export interface MonitorStats {
  readonly evaluations: number;
  /** Evaluations that failed (store unreachable, ...); the rules keep their state. */
  readonly failures: number;
  readonly notificationsSent: number;
  /** Notifications given up after every try failed, or dropped because the queue was full. */
  readonly notificationsFailed: number;
  readonly lastError?: { readonly code: string; readonly message: string };
}

/** Called on every failure of a monitor (evaluation or webhook); failures never throw. */
export type MonitorErrorListener = (error: MoeRouterError) => void;

/** The config's `alertMonitor` settings for a service that runs the monitor. */
export interface MonitorSettings {
  /** Time between evaluations. Default 60,000 ms. */
  readonly intervalMs?: number;
  /** Where transitions are POSTed. */
  readonly webhook?: WebhookOptions;
}
