/**
 * The outcome-judgement table (fixtures/rules/outcome-judgements.json): what an outcome says
 * about the right expert. Every package that reads outcomes runs it, so a change to the rule
 * in one place (the tracker's judgeOutcome) and not the table fails their tests.
 */
import { readFileSync } from "node:fs";

/** One row: a routed expert, an outcome, and what it says. */
export interface OutcomeJudgementRow {
  readonly case: string;
  readonly selected: string;
  readonly outcome: {
    readonly task_completed: boolean;
    readonly was_correct_master?: boolean;
    readonly user_corrected_to?: string | null;
  } | null;
  readonly correct: boolean | null;
  readonly rightExpert: string | null;
  readonly wrongExpert: string | null;
}

/** The rows of the table. */
export function outcomeJudgementRows(): readonly OutcomeJudgementRow[] {
  const url = new URL("../../fixtures/rules/outcome-judgements.json", import.meta.url);
  return (JSON.parse(readFileSync(url, "utf8")) as { rows: OutcomeJudgementRow[] }).rows;
}

/** A tracked event (decision + outcome, as the readers return it) for a row. */
export function eventForRow(row: OutcomeJudgementRow, index: number) {
  return {
    schema_version: 1,
    record_type: "decision" as const,
    event_id: `judgement-${index}`,
    timestamp: new Date(Date.now() - 60_000).toISOString(),
    task_description: `task ${index}: ${row.case}`,
    selected_master: row.selected,
    routing_layer: "keyword",
    confidence: 0.9,
    layer_attempts: [{ layer_name: "keyword", success: true, selected_master: row.selected, confidence: 0.9, latency_ms: 1 }],
    ...(row.outcome ? { outcome: row.outcome } : {}),
  };
}
