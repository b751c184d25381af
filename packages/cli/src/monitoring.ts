import { createAlertMonitor, type AlertMonitor, type AlertSource } from "@moe-router/alerts";
import { otelObserver } from "@moe-router/otel";
import { timeSeriesJsonl } from "@moe-router/tracker";
import type { CascadeObserver } from "@moe-router/core";
import type { Router, RouterConfig } from "@moe-router/router";
import { jsonlPath } from "./commands/analyze.js";

/** Where a service's log lines go. */
export interface MonitorLog {
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

/** The observers `serve` adds for the config: OpenTelemetry's when `otel.enabled`. */
export function serviceObservers(config: RouterConfig): CascadeObserver[] {
  return config.otel?.enabled === true ? [otelObserver({ recordDescription: config.otel.recordDescription === true })] : [];
}

/** The alerts' data: a JSONL log through its analysis cache (cheap every interval), any other store directly (PostgreSQL: SQL). */
export function alertSource(router: Router, cwd: string): AlertSource | undefined {
  const spec = router.storeSpec;
  if (spec === undefined) return undefined;
  const path = jsonlPath(spec, cwd);
  if (path !== undefined) return { timeSeries: (options) => timeSeriesJsonl(path, options) };
  return router.tracker?.store;
}

/**
 * The alert monitor of `moe-router serve`: the config's `alerts`, evaluated every
 * `alertMonitor.intervalMs` on the router's store, transitions logged and POSTed to
 * `alertMonitor.webhook`. Undefined when the config has no rules; with rules but tracking off,
 * a warning says why nothing is monitored.
 */
export function serviceAlertMonitor(router: Router, cwd: string, log: MonitorLog): AlertMonitor | undefined {
  const rules = router.config.alerts;
  if (!rules || rules.length === 0) return undefined;
  const store = alertSource(router, cwd);
  if (!store) {
    log.warn({ code: "MOE_INVALID_CONFIG" }, `alerts: ${rules.length} rule(s) configured but tracking is off, so there is nothing to evaluate; enable tracking to monitor them.`);
    return undefined;
  }
  const settings = router.config.alertMonitor;
  return createAlertMonitor({
    rules,
    store,
    // Sample data (moe-router generate) written into the service's store must not fire or silence a rule.
    synthetic: "exclude",
    ...(settings?.intervalMs !== undefined ? { intervalMs: settings.intervalMs } : {}),
    ...(settings?.webhook ? { webhook: settings.webhook } : {}),
    onChange: (n) => {
      const fields = { rule: n.rule.name, status: n.status, value: n.evaluation.value, bound: n.evaluation.bound, samples: n.evaluation.samples };
      if (n.status === "firing") log.warn(fields, `alert ${n.rule.name} started firing`);
      else log.info(fields, `alert ${n.rule.name} resolved`);
    },
    onError: (error) => log.warn({ code: error.code }, `alerts: ${error.message}`),
  });
}
