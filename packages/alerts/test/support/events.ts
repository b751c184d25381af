import type { RoutingEvent } from "@moe-router/tracker";

let counter = 0;

/** A decision event for tests: `layer` decided `expert` (or clarification), with optional outcome, error and latency. */
export function event(options: { at: number; layer?: string; expert?: string; right?: boolean; errorLayer?: string; latencyMs?: number }): RoutingEvent {
  counter++;
  const layer = options.layer ?? "keyword";
  const clarified = layer === "clarification";
  const expert = options.expert ?? (clarified ? "coordinator-master" : "security-master");
  return {
    schema_version: 1,
    record_type: "decision",
    event_id: `e${counter}`,
    timestamp: new Date(options.at).toISOString(),
    task_description: "t",
    selected_master: expert,
    routing_layer: layer,
    confidence: 0.9,
    layer_attempts: [
      ...(options.errorLayer ? [{ layer_name: options.errorLayer, success: false, latency_ms: 1, error: { code: "MOE_LAYER_FAILED", message: "x" } }] : []),
      ...(clarified ? [] : [{ layer_name: layer, selected_master: expert, confidence: 0.9, success: true, latency_ms: options.latencyMs ?? 1 }]),
    ],
    total_latency_ms: options.latencyMs ?? 1,
    ...(options.right !== undefined ? { outcome: { task_completed: true, was_correct_master: options.right } } : {}),
  };
}

/** An in-memory store over a fixed list of events. */
export function source(events: readonly RoutingEvent[]) {
  return {
    *read(range: { since?: Date; until?: Date } = {}) {
      for (const e of events) {
        const t = Date.parse(e.timestamp);
        if ((range.since && t < range.since.getTime()) || (range.until && t >= range.until.getTime())) continue;
        yield e;
      }
    },
  };
}
