import { createAnalyzer, type AnalysisReport } from "../src/index.js";
import type { LayerAttemptRecord, Outcome, RoutingEvent } from "../src/records.js";
import { seededRandom } from "@moe-router/core";

/** Shorthand for one attempt: [layer, expert, confidence, accepted, latencyMs]. */
export type AttemptSpec = [layer: string, expert: string | undefined, confidence: number | undefined, accepted: boolean, latencyMs?: number];

let counter = 0;

/** Builds a merged routing event for tests; fields not given get plain defaults. */
export function makeEvent(options: {
  attempts: (AttemptSpec | LayerAttemptRecord)[];
  selected?: string;
  layer?: string;
  confidence?: number;
  outcome?: Outcome;
  timestamp?: string;
  ab?: RoutingEvent["ab_test"];
  clarification?: RoutingEvent["clarification"];
  totalLatencyMs?: number;
}): RoutingEvent {
  const attempts: LayerAttemptRecord[] = options.attempts.map((a) =>
    Array.isArray(a) ? { layer_name: a[0], ...(a[1] !== undefined ? { selected_master: a[1] } : {}), ...(a[2] !== undefined ? { confidence: a[2] } : {}), success: a[3], latency_ms: a[4] ?? 1 } : a,
  );
  const accepted = attempts.find((a) => a.success);
  const layer = options.layer ?? accepted?.layer_name ?? "clarification";
  const selected = options.selected ?? accepted?.selected_master ?? "coordinator-master";
  counter++;
  return {
    schema_version: 1,
    record_type: "decision",
    event_id: `evt-${counter}`,
    timestamp: options.timestamp ?? "2024-05-01T12:00:00.000Z",
    task_description: `task ${counter}`,
    selected_master: selected,
    routing_layer: layer,
    confidence: options.confidence ?? accepted?.confidence ?? 0.3,
    layer_attempts: attempts,
    ...(options.outcome ? { outcome: options.outcome } : {}),
    ...(options.ab ? { ab_test: options.ab } : {}),
    ...(options.clarification ? { clarification: options.clarification } : {}),
    ...(options.totalLatencyMs !== undefined ? { total_latency_ms: options.totalLatencyMs } : {}),
  };
}

/** Outcome: the routed expert was right. */
export const RIGHT_OUTCOME: Outcome = { task_completed: true, was_correct_master: true, completion_time_minutes: 30, quality_score: 0.9 };

/** Outcome: wrong, corrected to `expert`. */
export function corrected(expert: string): Outcome {
  return { task_completed: false, was_correct_master: false, user_corrected_to: expert };
}

/** Deterministic pseudo-random numbers (core's mulberry32), so failures reproduce. */
export const seeded = seededRandom;

const EXPERTS = ["security-master", "cicd-master", "inventory-master", "development-master"];

/**
 * A varied, seeded set of events for renderer tests: three layers, errors, shadow attempts,
 * clarifications, corrections and an A/B experiment.
 */
export function sampleEvents(count: number, seed = 1): RoutingEvent[] {
  const random = seeded(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const events: RoutingEvent[] = [];
  for (let i = 0; i < count; i++) {
    const truth = pick(EXPERTS);
    const variant = random() < 0.5 ? "control" : "candidate";
    const attempts: AttemptSpec[] = [];
    let decided: string | undefined;
    for (const [layer, threshold, skill, latency] of [
      ["keyword", 0.85, 0.7, 0.05],
      ["semantic", variant === "candidate" ? 0.6 : 0.7, 0.8, 4],
      ["neural", 0.9, 0.85, 12],
    ] as const) {
      const expert = random() < skill ? truth : pick(EXPERTS);
      const confidence = Math.min(1, Math.max(0, (expert === truth ? 0.7 : 0.45) + (random() - 0.5) * 0.5));
      const accepted = decided === undefined && confidence >= threshold;
      if (decided !== undefined) {
        if (i % 5 === 0) attempts.push([layer, expert, confidence, false, latency * (0.5 + random())]);
        continue;
      }
      attempts.push([layer, expert, confidence, accepted, latency * (0.5 + random() * 2)]);
      if (accepted) decided = expert;
    }
    const records = attempts.map((a, index) => ({
      layer_name: a[0],
      selected_master: a[1]!,
      confidence: a[2]!,
      success: a[3],
      latency_ms: a[4]!,
      ...(index > 0 && attempts.slice(0, index).some((b) => b[3]) ? { shadow: true } : {}),
    }));
    const selected = decided ?? "coordinator-master";
    const outcome = random() < 0.8 ? (selected === truth ? RIGHT_OUTCOME : corrected(truth)) : undefined;
    events.push(
      makeEvent({
        attempts: records,
        selected,
        ...(decided ? {} : { layer: "clarification", clarification: random() < 0.5 ? { reason: "ambiguous", candidates: [truth, pick(EXPERTS)] } : { reason: "low_confidence_cascade" } }),
        ...(outcome ? { outcome } : {}),
        ab: { experiment: "semantic-0.6", variant },
        totalLatencyMs: records.reduce((sum, a) => sum + (a.shadow ? 0 : a.latency_ms), 0.01),
        timestamp: new Date(Date.parse("2024-05-01T00:00:00Z") + i * 60_000).toISOString(),
      }),
    );
  }
  return events;
}

/** An expert name that would run script if a renderer forgot to escape it. */
export const HOSTILE_EXPERT = "<script>window.__pwned = 1</script>";
/** A layer name that would inject markup if a renderer forgot to escape it. */
export const HOSTILE_LAYER = '<img src=x onerror="window.__pwned = 2">';

/** A report over varied data plus hostile names, so every chart and every escape path is exercised. */
export function hostileReport(): AnalysisReport {
  const analyzer = createAnalyzer({ now: Date.parse("2024-05-02T00:00:00Z") });
  for (const event of sampleEvents(400)) analyzer.add(event);
  analyzer.add(makeEvent({ attempts: [[HOSTILE_LAYER, HOSTILE_EXPERT, 0.9, true]], outcome: corrected("security-master"), ab: { experiment: "x&y", variant: "candidate" } }));
  analyzer.add(makeEvent({ attempts: [["keyword", "security-master", 0.9, true]], outcome: corrected(HOSTILE_EXPERT), clarification: { reason: "<b>odd</b>" } }));
  analyzer.add(makeEvent({ attempts: [["keyword", "cicd-master", 0.2, false]], clarification: { reason: "<b>odd</b>" }, outcome: RIGHT_OUTCOME }));
  return analyzer.result();
}
