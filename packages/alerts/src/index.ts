/**
 * @moe-router/alerts: degradation alert rules over the tracked events (accuracy, coverage,
 * clarification and error rates, p95 latency, outcome coverage, expert shift), judged with
 * confidence bounds; evaluated once (`moe-router alerts`, cron, CI) or periodically by a
 * monitor that notifies a webhook when a rule starts and stops firing.
 */
export { parseDuration } from "./duration.js";
export { DEFAULT_BASELINE, DEFAULT_MIN_SAMPLES, METRICS, resolveAlertRules, validateAlertRules, validateMonitorSettings } from "./validate.js";
export { evaluateAlerts, judgeRule, type AlertSource, type EvaluateOptions } from "./evaluate.js";
export { createAlertMonitor, type AlertMonitor, type AlertMonitorOptions } from "./monitor.js";
export { renderAlertsText } from "./render.js";
export type {
  AlertEvaluation,
  AlertMetric,
  AlertNotification,
  AlertRule,
  AlertState,
  MonitoredRule,
  MonitorErrorListener,
  MonitorSettings,
  MonitorStats,
  ResolvedRule,
  WebhookOptions,
} from "./types.js";
