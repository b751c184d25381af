import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { parseDuration } from "./duration.js";
import { checkWebhook } from "./internal/webhook.js";
import type { AlertMetric, AlertRule, MonitorSettings, ResolvedRule } from "./types.js";

/** Every metric, and what it accepts. */
export const METRICS: Readonly<Record<AlertMetric, { readonly layer: boolean; readonly rate: boolean }>> = {
  accuracy: { layer: true, rate: true },
  coverage: { layer: true, rate: true },
  clarification_rate: { layer: false, rate: true },
  error_rate: { layer: true, rate: true },
  latency_p95_ms: { layer: true, rate: false },
  outcome_coverage: { layer: false, rate: true },
  expert_shift: { layer: false, rate: false },
};

const KEYS = ["name", "metric", "layer", "window", "baseline", "below", "above", "min_samples"];
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;
/** Default `min_samples`: below it a rate's Wilson interval is too wide to mean much anyway. */
export const DEFAULT_MIN_SAMPLES = 30;
/** Default expert_shift baseline. */
export const DEFAULT_BASELINE = "7d";
const MIN_WINDOW_MS = 60_000;

function invalid(where: string, message: string, field: string): MoeRouterError {
  return new MoeRouterError(ErrorCode.INVALID_CONFIG, `${where}: ${message}`, { data: { field } });
}

/** Checks one rule and resolves its durations and defaults. */
function resolveRule(value: unknown, index: number, file: string): ResolvedRule {
  const at = `${file}: alerts[${index}]`;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw invalid(at, "must be an object such as { name: keyword-accuracy, metric: accuracy, layer: keyword, window: 24h, below: 0.85 }.", "alerts");
  }
  const rule = value as Record<string, unknown>;
  for (const key of Object.keys(rule)) {
    if (!KEYS.includes(key)) throw new MoeRouterError(ErrorCode.UNKNOWN_OPTION, `${at}: unknown key "${key}". Known keys: ${KEYS.join(", ")}.`, { data: { field: key } });
  }
  const where = typeof rule.name === "string" ? `${file}: alert "${rule.name}"` : at;
  if (typeof rule.name !== "string" || !NAME.test(rule.name)) {
    throw invalid(at, `name must be a short identifier (letters, digits, "_", ".", ":", "-"; up to 100) such as "keyword-accuracy"; got ${JSON.stringify(rule.name)}.`, "name");
  }
  const metric = rule.metric as AlertMetric;
  const spec = typeof metric === "string" ? METRICS[metric] : undefined;
  if (!spec) throw invalid(where, `metric must be one of ${Object.keys(METRICS).join(", ")}; got ${JSON.stringify(rule.metric)}.`, "metric");
  if (rule.layer !== undefined) {
    if (!spec.layer) throw invalid(where, `${metric} is measured over all decisions: remove "layer" (layers apply to accuracy, coverage, error_rate and latency_p95_ms).`, "layer");
    if (typeof rule.layer !== "string" || rule.layer === "") throw invalid(where, `layer must name a layer such as "keyword"; got ${JSON.stringify(rule.layer)}.`, "layer");
  }
  const windowMs = parseDuration(rule.window, `${where}: window`, "window");
  if (windowMs < MIN_WINDOW_MS) throw invalid(where, `window must be at least 1m; got ${JSON.stringify(rule.window)}.`, "window");
  let baselineMs: number | undefined;
  if (metric === "expert_shift") baselineMs = parseDuration(rule.baseline ?? DEFAULT_BASELINE, `${where}: baseline`, "baseline");
  else if (rule.baseline !== undefined) throw invalid(where, `baseline applies to expert_shift only (the window compared with); remove it from a ${metric} rule.`, "baseline");
  const hasBelow = rule.below !== undefined,
    hasAbove = rule.above !== undefined;
  if (hasBelow === hasAbove) throw invalid(where, `give exactly one of "below" (fire when the metric falls under it) or "above" (fire when it rises over it).`, hasBelow ? "above" : "below");
  const direction = hasBelow ? "below" : "above";
  const limit = rule[direction];
  if (typeof limit !== "number" || !Number.isFinite(limit)) throw invalid(where, `${direction} must be a number; got ${JSON.stringify(limit)}.`, direction);
  if (spec.rate && !(limit >= 0 && limit <= 1)) throw invalid(where, `${metric} is a share: ${direction} must be in [0,1] (e.g. 0.85 for 85 %); got ${limit}.`, direction);
  if (!spec.rate && limit < 0) throw invalid(where, `${direction} must be >= 0; got ${limit}.`, direction);
  if (metric === "expert_shift" && direction === "below") throw invalid(where, 'expert_shift fires on a shift: use "above" (e.g. above: 0.2, a PSI of 0.2 is a large shift).', "below");
  const minSamples = rule.min_samples ?? DEFAULT_MIN_SAMPLES;
  if (!(typeof minSamples === "number" && Number.isInteger(minSamples) && minSamples >= 1))
    throw invalid(where, `min_samples must be a whole number >= 1; got ${JSON.stringify(rule.min_samples)}.`, "min_samples");
  return { rule: rule as unknown as AlertRule, windowMs, baselineMs, direction, limit, minSamples };
}

/**
 * Checks the config's `alerts` list and resolves each rule (durations in ms, defaults).
 * @param file where the rules come from, for messages (e.g. the config file's path).
 * @throws MoeRouterError INVALID_CONFIG (with `data.field`) or UNKNOWN_OPTION naming the rule and field to fix.
 */
export function resolveAlertRules(value: unknown, file = "config"): ResolvedRule[] {
  if (!Array.isArray(value)) throw invalid(file, '"alerts" must be a list of rules: [{ name, metric, layer?, window, baseline?, below?|above?, min_samples? }].', "alerts");
  const rules = value.map((rule, index) => resolveRule(rule, index, file));
  const seen = new Set<string>();
  for (const { rule } of rules) {
    if (seen.has(rule.name)) throw invalid(`${file}: alert "${rule.name}"`, "names must be unique (the name labels the rule in /metrics and notifications).", "name");
    seen.add(rule.name);
  }
  return rules;
}

/**
 * Checks the config's `alerts` list; returns it typed.
 * @throws MoeRouterError INVALID_CONFIG / UNKNOWN_OPTION, as {@link resolveAlertRules}.
 */
export function validateAlertRules(value: unknown, file = "config"): AlertRule[] {
  return resolveAlertRules(value, file).map((resolved) => resolved.rule);
}

/**
 * Checks the config's `alertMonitor` settings: `{ intervalMs?, webhook?: { url, headers?, attempts?, backoffMs?, timeoutMs? } }`.
 * @throws MoeRouterError INVALID_CONFIG / UNKNOWN_OPTION naming the field, prefixed with `file`.
 */
export function validateMonitorSettings(value: unknown, file = "config"): MonitorSettings {
  const where = `${file}: alertMonitor`;
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw invalid(where, 'must be an object such as { intervalMs: 60000, webhook: { url: "https://hooks.example.com/moe-router" } }.', "alertMonitor");
  const settings = value as Record<string, unknown>;
  for (const key of Object.keys(settings)) {
    if (key !== "intervalMs" && key !== "webhook") throw new MoeRouterError(ErrorCode.UNKNOWN_OPTION, `${where}: unknown key "${key}". Known keys: intervalMs, webhook.`, { data: { field: key } });
  }
  const interval = settings.intervalMs;
  if (interval !== undefined && !(typeof interval === "number" && Number.isInteger(interval) && interval >= 1000))
    throw invalid(where, `intervalMs must be a whole number of milliseconds >= 1000; got ${JSON.stringify(interval)}.`, "intervalMs");
  if (settings.webhook !== undefined) {
    const webhook = settings.webhook;
    if (webhook === null || typeof webhook !== "object" || Array.isArray(webhook)) throw invalid(where, 'webhook must be { url: "https://..." }.', "webhook");
    try {
      checkWebhook(webhook as MonitorSettings["webhook"] & object);
    } catch (error) {
      const coded = error as MoeRouterError;
      throw new MoeRouterError(coded.code, `${where}: ${coded.message}`, { data: { field: "webhook" }, cause: error });
    }
    const headers = (webhook as { headers?: unknown }).headers;
    if (headers !== undefined && (headers === null || typeof headers !== "object" || Object.values(headers).some((h) => typeof h !== "string"))) {
      throw invalid(where, "webhook.headers must map header names to strings.", "webhook");
    }
  }
  return settings;
}
