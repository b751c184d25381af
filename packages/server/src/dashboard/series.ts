/**
 * Time series for the dashboard: per UTC hour and per minute, decisions, clarification rate,
 * accuracy from outcomes and p95 routing latency. Fed one event at a time during the same pass
 * over the store that feeds the analyzer, so the store is read once per refresh.
 */
import type { RoutingEvent } from "@moe-router/tracker";
import { judgeOutcome } from "@moe-router/tracker/rules";

/** One time bucket. Rates are null when their denominator is zero. */
export interface SeriesPoint {
  /** Start of the bucket (ISO-8601, UTC). */
  readonly start: string;
  readonly decisions: number;
  readonly clarifications: number;
  readonly clarificationRate: number | null;
  /** Decisions whose outcome says whether the routed expert was right. */
  readonly judged: number;
  readonly correct: number;
  readonly accuracy: number | null;
  /** 95th percentile of the decisions' total routing latency (ms). */
  readonly p95LatencyMs: number | null;
}

/** Buckets of one width ending with the one that holds `now`. */
export interface SeriesSpec {
  readonly bucketMs: number;
  readonly buckets: number;
}

interface Bucket {
  decisions: number;
  clarifications: number;
  judged: number;
  correct: number;
  latencies: number[];
}

/** Was the routed expert right? The tracker's rule ({@link judgeOutcome}); no verdict is undefined. */
export function judgeEvent(event: RoutingEvent): boolean | undefined {
  return judgeOutcome(event.selected_master, event.outcome).correct;
}

/** Nearest-rank percentile of unsorted values (sorts them in place). */
function percentile(values: number[], share: number): number | null {
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  return values[Math.min(values.length - 1, Math.ceil(share * values.length) - 1)]!;
}

/** Accumulates events into fixed buckets; events outside the range are ignored. */
export class SeriesAccumulator {
  readonly #spec: SeriesSpec;
  readonly #first: number;
  readonly #buckets: Bucket[];

  constructor(spec: SeriesSpec, now: number) {
    this.#spec = spec;
    const current = Math.floor(now / spec.bucketMs) * spec.bucketMs;
    this.#first = current - (spec.buckets - 1) * spec.bucketMs;
    this.#buckets = Array.from({ length: spec.buckets }, () => ({ decisions: 0, clarifications: 0, judged: 0, correct: 0, latencies: [] }));
  }

  /** Start of the oldest bucket (ms since the epoch): read the store from here. */
  get since(): number {
    return this.#first;
  }

  add(event: RoutingEvent, time: number = Date.parse(event.timestamp)): void {
    const index = Math.floor((time - this.#first) / this.#spec.bucketMs);
    const bucket = this.#buckets[index];
    if (bucket === undefined) return;
    bucket.decisions++;
    if (event.routing_layer === "clarification") bucket.clarifications++;
    const verdict = judgeEvent(event);
    if (verdict !== undefined) {
      bucket.judged++;
      if (verdict) bucket.correct++;
    }
    const latency = event.total_latency_ms;
    if (typeof latency === "number" && Number.isFinite(latency) && latency >= 0) bucket.latencies.push(latency);
  }

  result(): SeriesPoint[] {
    return this.#buckets.map((bucket, i) => ({
      start: new Date(this.#first + i * this.#spec.bucketMs).toISOString(),
      decisions: bucket.decisions,
      clarifications: bucket.clarifications,
      clarificationRate: bucket.decisions ? bucket.clarifications / bucket.decisions : null,
      judged: bucket.judged,
      correct: bucket.correct,
      accuracy: bucket.judged ? bucket.correct / bucket.judged : null,
      p95LatencyMs: percentile(bucket.latencies, 0.95),
    }));
  }
}
