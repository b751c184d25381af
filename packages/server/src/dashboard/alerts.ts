/**
 * Firing alerts for the dashboard from an alert monitor (`createAlertMonitor` of
 * `@moe-router/alerts`), read structurally so this package does not depend on it.
 */
import type { DashboardAlert } from "./snapshot.js";

/** The part of an alert monitor the dashboard reads. */
export interface AlertMonitorView {
  rules(): ReadonlyMap<
    string,
    {
      readonly firing: boolean;
      readonly since: string | null;
      readonly last: {
        readonly metric: string;
        readonly layer: string | null;
        readonly value: number | null;
        readonly direction: "below" | "above";
        readonly limit: number;
        readonly samples: number;
      } | null;
    }
  >;
}

function format(value: number, metric: string): string {
  return metric.endsWith("_ms") ? `${value.toFixed(1)} ms` : metric === "expert_shift" ? value.toFixed(3) : `${(value * 100).toFixed(1)}%`;
}

/**
 * The dashboard's `alerts` option over a monitor: the rules firing now, each with what was
 * measured against which limit.
 *
 * @example
 * createServer({ router, dashboard: { alerts: firingAlerts(monitor) } });
 */
export function firingAlerts(monitor: AlertMonitorView): () => DashboardAlert[] {
  return () => {
    const firing: DashboardAlert[] = [];
    for (const [name, rule] of monitor.rules()) {
      if (!rule.firing) continue;
      const last = rule.last;
      const message =
        last && last.value !== null
          ? `${last.metric}${last.layer ? ` of ${last.layer}` : ""} ${format(last.value, last.metric)} ${last.direction === "below" ? "<" : ">"} ${format(last.limit, last.metric)} (${last.samples} samples)`
          : "firing";
      firing.push({ name, message, ...(rule.since ? { since: rule.since } : {}), value: last?.value ?? null });
    }
    return firing;
  };
}
