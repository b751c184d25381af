import type { Decision } from "@moe-router/core";
import type { StoreStats } from "@moe-router/tracker";
import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";
import { AccuracyWindows } from "./accuracy.js";
import { LocalCounter, LocalHistogram, type CounterCell, type HistogramCell } from "./local-metrics.js";

/** Latency buckets in seconds: from 10 µs (keyword rules) to 2.5 s (a slow model layer). */
const LATENCY_BUCKETS = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Options of {@link ServiceMetrics}. */
export interface ServiceMetricsOptions {
  /** Outcomes kept per layer for the sliding-window accuracy. */
  readonly accuracyWindow: number;
  /** The store's counters, read at each scrape. */
  readonly storeStats: () => StoreStats | undefined;
  /** The alert monitor's rule states, read at each scrape (`moe_router_alert_firing`). */
  readonly alertStates?: () => ReadonlyMap<string, { readonly firing: boolean }>;
  /** The group commit's counters, read at each scrape: acknowledgements asked for, store flushes run. */
  readonly commitStats?: () => { readonly commits: number; readonly flushes: number } | undefined;
}

/**
 * The service's Prometheus metrics (prom-client, own registry). What every decision records
 * (routes, layer latency) is kept in local cells and read by prom-client at scrape time
 * (see local-metrics.ts), so recording a decision costs a few map look-ups and additions.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly accuracy: AccuracyWindows;
  private readonly routes: LocalCounter<"layer" | "expert">;
  private readonly latency: LocalHistogram<"layer">;
  private readonly layerErrors: Counter<"layer" | "code">;
  private readonly clarifications: Counter<"reason">;
  private readonly outcomes: Counter<"layer" | "correctness">;
  private readonly learned: Counter<"result">;
  /** Per deciding layer, per expert: avoids building a key string per decision. */
  private readonly routeCells = new Map<string, Map<string, CounterCell>>();
  private readonly latencyCells = new Map<string, HistogramCell>();

  constructor(options: ServiceMetricsOptions) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.accuracy = new AccuracyWindows(options.accuracyWindow);
    this.routes = new LocalCounter({ name: "moe_router_routes_total", help: "Decisions by deciding layer and expert.", labelNames: ["layer", "expert"], registers });
    this.latency = new LocalHistogram({ name: "moe_router_layer_latency_seconds", help: "Time each layer took per attempt.", labelName: "layer", buckets: LATENCY_BUCKETS, registers });
    this.layerErrors = new Counter({
      name: "moe_router_layer_errors_total",
      help: "Layer attempts that failed (threw, timed out, malformed verdict), by code.",
      labelNames: ["layer", "code"],
      registers,
    });
    this.clarifications = new Counter({ name: "moe_router_clarifications_total", help: "Decisions left to the clarification fallback, by reason.", labelNames: ["reason"], registers });
    this.outcomes = new Counter({
      name: "moe_router_outcomes_total",
      help: "Outcomes recorded, by deciding layer and correctness (correct, incorrect, unknown).",
      labelNames: ["layer", "correctness"],
      registers,
    });
    this.learned = new Counter({ name: "moe_router_learn_examples_total", help: "Corrections passed to the learnable layers (result: learned, failed).", labelNames: ["result"], registers });
    const accuracy = this.accuracy;
    new Gauge({
      name: "moe_router_layer_accuracy",
      help: "Share of correct outcomes among the most recent outcomes with a verdict, per deciding layer (sliding window).",
      labelNames: ["layer"],
      registers,
      collect() {
        for (const [layer, window] of accuracy.entries()) if (window.size > 0) this.set({ layer }, window.accuracy());
      },
    });
    new Gauge({
      name: "moe_router_layer_accuracy_samples",
      help: "Outcomes in the sliding window behind moe_router_layer_accuracy.",
      labelNames: ["layer"],
      registers,
      collect() {
        for (const [layer, window] of accuracy.entries()) this.set({ layer }, window.size);
      },
    });
    const storeCounter = (kind: "written" | "failed" | "dropped", help: string) => {
      let reported = 0;
      new Counter({
        name: `moe_router_store_records_${kind}_total`,
        help,
        registers,
        collect() {
          const value = options.storeStats()?.[kind] ?? 0;
          if (value > reported) this.inc(value - reported);
          reported = value;
        },
      });
    };
    storeCounter("written", "Records the event store wrote durably.");
    storeCounter("failed", "Records lost because a store write failed.");
    storeCounter("dropped", "Records the store refused (closed, or its buffer full).");
    const commitCounter = (kind: "commits" | "flushes", name: string, help: string) => {
      let reported = 0;
      new Counter({
        name,
        help,
        registers,
        collect() {
          const value = options.commitStats?.()?.[kind] ?? 0;
          if (value > reported) this.inc(value - reported);
          reported = value;
        },
      });
    };
    // Their ratio is the group commit's batch size: requests acknowledged per store flush.
    commitCounter("commits", "moe_router_ack_requests_total", "Requests that waited for a durable acknowledgement (group commit).");
    commitCounter("flushes", "moe_router_ack_flushes_total", "Store flushes the group commit ran to acknowledge them.");
    const alertStates = options.alertStates;
    if (alertStates) {
      new Gauge({
        name: "moe_router_alert_firing",
        help: "1 while the alert rule fires, 0 otherwise (the service's alert monitor).",
        labelNames: ["rule"],
        registers,
        collect() {
          for (const [rule, state] of alertStates()) this.set({ rule }, state.firing ? 1 : 0);
        },
      });
    }
    new Gauge({
      name: "moe_router_store_records_pending",
      help: "Records buffered, not yet written.",
      registers,
      collect() {
        this.set(options.storeStats()?.pending ?? 0);
      },
    });
  }

  /** Counts one decision: route, each attempt's latency and error, clarification. */
  recordDecision(decision: Decision): void {
    const { layer, expert } = decision;
    let byExpert = this.routeCells.get(layer);
    if (!byExpert) this.routeCells.set(layer, (byExpert = new Map()));
    let route = byExpert.get(expert);
    if (!route) byExpert.set(expert, (route = this.routes.cell(`${layer}\u0000${expert}`, () => ({ layer, expert }))));
    route.pending++;
    for (const attempt of decision.attempts) {
      let latency = this.latencyCells.get(attempt.layer);
      if (!latency) this.latencyCells.set(attempt.layer, (latency = this.latency.cell(attempt.layer)));
      latency.observe(attempt.latencyMs / 1000);
      if (attempt.error) this.layerErrors.labels(attempt.layer, attempt.error.code).inc();
    }
    if (decision.clarification) this.clarifications.labels(decision.clarification.reason).inc();
  }

  /** Counts one outcome of a decision made by `layer` (undefined when the decision was not found). */
  recordOutcome(layer: string | undefined, correct: boolean | undefined): void {
    const name = layer ?? "unknown";
    this.outcomes.labels(name, correct === undefined ? "unknown" : correct ? "correct" : "incorrect").inc();
    if (correct !== undefined && layer !== undefined) this.accuracy.add(layer, correct);
  }

  /** Counts corrections handed to learn(). */
  recordLearned(count: number, failed: boolean): void {
    this.learned.labels(failed ? "failed" : "learned").inc(count);
  }
}
