import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { timeSeriesStore, type EventSource, type TimeBucket, type TimeSeriesSource } from "@moe-router/tracker";
import { populationStability, wilson } from "./internal/bounds.js";
import type { AlertEvaluation, AlertRule, ResolvedRule } from "./types.js";
import { resolveAlertRules } from "./validate.js";

/** Where rules read their data: any store (PostgreSQL computes in SQL), or anything with `timeSeries()` (e.g. a JSONL log through its cache). */
export type AlertSource = EventSource | TimeSeriesSource;

/** Options of {@link evaluateAlerts}. */
export interface EvaluateOptions {
  /** The time the windows end at. Default: now. */
  readonly now?: Date | number;
  /**
   * Generated sample decisions (`synthetic: true`): `"include"` (the default) or `"exclude"`
   * (what `moe-router alerts` and `serve` do unless `--include-synthetic`), so sample data
   * written into a real log neither fires nor silences a rule.
   */
  readonly synthetic?: "include" | "exclude";
}

interface Judged {
  readonly value: number | null;
  readonly bound: number | null;
  readonly samples: number;
}

/** The rate a rule looks at in one bucket: successes out of n. */
function rateCounts(resolved: ResolvedRule, bucket: TimeBucket): [number, number] {
  const { metric, layer } = resolved.rule;
  const perLayer = layer === undefined ? undefined : bucket.layers[layer];
  switch (metric) {
    case "accuracy": {
      const accuracy = layer === undefined ? bucket.accuracy : perLayer?.accuracy;
      return [accuracy?.correct ?? 0, accuracy?.judged ?? 0];
    }
    case "coverage":
      return layer === undefined ? [bucket.decisions - bucket.clarifications, bucket.decisions] : [perLayer?.accepted ?? 0, bucket.decisions];
    case "clarification_rate":
      return [bucket.clarifications, bucket.decisions];
    case "error_rate":
      return layer === undefined ? [bucket.errors, bucket.attempts] : [perLayer?.errors ?? 0, perLayer?.attempts ?? 0];
    case "outcome_coverage":
      return [bucket.withOutcome, bucket.decisions];
    default:
      throw new TypeError(`${metric} is not a rate`);
  }
}

function judge(resolved: ResolvedRule, bucket: TimeBucket, baseline: TimeBucket | undefined): Judged {
  const { metric, layer } = resolved.rule;
  const below = resolved.direction === "below";
  if (metric === "latency_p95_ms") {
    const latency = layer === undefined ? bucket.latencyMs : bucket.layers[layer]?.latencyMs;
    if (!latency || latency.count === 0) return { value: null, bound: null, samples: 0 };
    return { value: latency.p95, bound: below ? latency.p95High : latency.p95Low, samples: latency.count };
  }
  if (metric === "expert_shift") {
    const shift = populationStability(new Map(Object.entries(bucket.experts)), new Map(Object.entries(baseline!.experts)));
    const samples = Math.min(shift.windowCount, shift.baselineCount);
    if (samples === 0) return { value: null, bound: null, samples };
    return { value: shift.psi, bound: shift.psi - shift.noise95, samples };
  }
  const [successes, n] = rateCounts(resolved, bucket);
  if (n === 0) return { value: null, bound: null, samples: 0 };
  const interval = wilson(successes, n);
  return { value: successes / n, bound: below ? interval.high : interval.low, samples: n };
}

/** Evaluates one resolved rule on its window's bucket (and its baseline's, for expert_shift). */
export function judgeRule(resolved: ResolvedRule, until: number, bucket: TimeBucket, baseline?: TimeBucket): AlertEvaluation {
  const since = until - resolved.windowMs;
  const { value, bound, samples } = judge(resolved, bucket, baseline);
  const enough = samples >= resolved.minSamples && value !== null && bound !== null;
  const crossed = enough && (resolved.direction === "below" ? bound < resolved.limit : bound > resolved.limit);
  return {
    rule: resolved.rule.name,
    metric: resolved.rule.metric,
    layer: resolved.rule.layer ?? null,
    state: !enough ? "insufficient_data" : crossed ? "firing" : "ok",
    value,
    bound,
    direction: resolved.direction,
    limit: resolved.limit,
    samples,
    minSamples: resolved.minSamples,
    window: { since: new Date(since).toISOString(), until: new Date(until).toISOString() },
    ...(resolved.baselineMs !== undefined ? { baseline: { since: new Date(since - resolved.baselineMs).toISOString(), until: new Date(since).toISOString() } } : {}),
  };
}

function isResolved(rules: readonly (AlertRule | ResolvedRule)[]): rules is readonly ResolvedRule[] {
  return rules.every((rule) => "windowMs" in rule && "rule" in rule);
}

/**
 * Evaluates every rule with its window ending at `now`: one aggregate query per distinct
 * window (a one-bucket time series, computed in SQL on PostgreSQL), judged with the rule's
 * confidence bound. Stateless: `firing` means the bound crosses the limit now.
 * @throws MoeRouterError INVALID_CONFIG / UNKNOWN_OPTION for bad rules, STORE_FAILED when the data cannot be read.
 */
export async function evaluateAlerts(rules: readonly (AlertRule | ResolvedRule)[], source: AlertSource, options: EvaluateOptions = {}): Promise<AlertEvaluation[]> {
  const resolved = isResolved(rules) ? rules : resolveAlertRules(rules, "alerts");
  const now = options.now === undefined ? Date.now() : options.now instanceof Date ? options.now.getTime() : options.now;
  if (!Number.isFinite(now)) throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `now must be a valid Date or epoch milliseconds; got ${String(options.now)}.`);
  const buckets = new Map<string, Promise<TimeBucket>>();
  // Rules sharing a window share its query.
  const bucketOf = (since: number, until: number): Promise<TimeBucket> => {
    const key = `${since}:${until}`;
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = timeSeriesStore(source, { by: until - since, since, until, now, ...(options.synthetic ? { synthetic: options.synthetic } : {}) }).then((series) => series.buckets[0]!);
      buckets.set(key, bucket);
    }
    return bucket;
  };
  return Promise.all(
    resolved.map(async (rule) => {
      const since = now - rule.windowMs;
      const bucket = await bucketOf(since, now);
      const baseline = rule.baselineMs !== undefined ? await bucketOf(since - rule.baselineMs, since) : undefined;
      return judgeRule(rule, now, bucket, baseline);
    }),
  );
}
