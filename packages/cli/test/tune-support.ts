import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Options of {@link writeKeywordLog}. */
export interface KeywordLogOptions {
  /** Decisions to write. */
  readonly count: number;
  /** Hours before now of the oldest decision (spread evenly up to now). Default 1. */
  readonly spanHours?: number;
  /** Confidence at and above which the keyword layer's expert was right. Default 0.6. */
  readonly rightAbove?: number;
  /** Share of decisions with an outcome. Default 1. */
  readonly withOutcome?: number;
  /** Mark every other decision as shadow-sampled. Default false. */
  readonly shadow?: boolean;
}

/**
 * Writes a tracked event log for the default (keyword-only) cascade: keyword confidences spread
 * over [0.3, 1], right when at least `rightAbove`, with outcomes joined by event id. The
 * records follow @moe-router/tracker's schema (decision + outcome lines).
 */
export function writeKeywordLog(cwd: string, options: KeywordLogOptions): string {
  const dir = join(cwd, ".moe-router");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, "events.jsonl");
  const now = Date.now();
  const span = (options.spanHours ?? 1) * 3_600_000;
  const lines: string[] = [];
  for (let i = 0; i < options.count; i++) {
    const confidence = Math.round((0.3 + (0.7 * i) / Math.max(1, options.count - 1)) * 1000) / 1000;
    const accepted = confidence >= 0.85;
    const eventId = `e${i}`;
    const timestamp = new Date(now - span + (span * i) / Math.max(1, options.count)).toISOString();
    lines.push(
      JSON.stringify({
        schema_version: 1,
        record_type: "decision",
        event_id: eventId,
        timestamp,
        task_description: `task ${i}`,
        selected_master: accepted ? "cicd-master" : "coordinator-master",
        routing_layer: accepted ? "keyword" : "clarification",
        confidence: accepted ? confidence : 1,
        layer_attempts: [{ layer_name: "keyword", selected_master: "cicd-master", confidence, threshold: 0.85, success: accepted, latency_ms: 0.1 }],
        thresholds: { keyword: 0.85 },
        ...(options.shadow && i % 2 === 0 ? { shadow: true } : {}),
      }),
    );
    if (i % Math.round(1 / (options.withOutcome ?? 1)) !== 0) continue;
    const right = confidence >= (options.rightAbove ?? 0.6);
    const outcome = accepted
      ? { task_completed: true, was_correct_master: right, ...(right ? {} : { user_corrected_to: "security-master" }) }
      : { task_completed: true, was_correct_master: false, user_corrected_to: right ? "cicd-master" : "security-master" };
    lines.push(JSON.stringify({ schema_version: 1, record_type: "outcome", event_id: eventId, timestamp, outcome }));
  }
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}
