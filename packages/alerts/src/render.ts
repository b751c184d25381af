import { terminalSafe as safe } from "@moe-router/core";
import type { AlertEvaluation } from "./types.js";

function formatValue(evaluation: AlertEvaluation, value: number | null): string {
  if (value === null) return "-";
  if (evaluation.metric === "latency_p95_ms") return `${value < 100 ? value.toFixed(1) : Math.round(value)} ms`;
  if (evaluation.metric === "expert_shift") return value.toFixed(3);
  return `${(value * 100).toFixed(1)}%`;
}

const STATE_TEXT = { firing: "FIRING", ok: "ok", insufficient_data: "not enough data" } as const;

/**
 * The text of `moe-router alerts`: one row per rule with its state, the measured value, the
 * confidence bound, the limit and the samples, then how many fire. Rule and layer names are
 * neutralised for the terminal; colour (red firing, dim not enough data) only when asked.
 */
export function renderAlertsText(evaluations: readonly AlertEvaluation[], options: { readonly color?: boolean } = {}): string {
  const paint = (code: number, text: string) => (options.color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const header = ["rule", "metric", "state", "value", "bound", "limit", "samples"];
  const rows = evaluations.map((e) => [
    safe(e.rule),
    `${e.metric}${e.layer ? `(${safe(e.layer)})` : ""}`,
    STATE_TEXT[e.state],
    formatValue(e, e.value),
    formatValue(e, e.bound),
    `${e.direction} ${formatValue(e, e.limit)}`,
    `${e.samples}${e.samples < e.minSamples ? ` < ${e.minSamples}` : ""}`,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c >= 3 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join("  ")
      .trimEnd();
  const body = rows.map((cells, i) => {
    const text = line(cells);
    const state = evaluations[i]!.state;
    return state === "firing" ? paint(31, text) : state === "insufficient_data" ? paint(2, text) : text;
  });
  const firing = evaluations.filter((e) => e.state === "firing").length;
  const summary =
    evaluations.length === 0
      ? "No alert rules: add an `alerts` list to the config."
      : firing
        ? `${firing} of ${evaluations.length} rule(s) firing.`
        : `No rule firing (${evaluations.length} evaluated).`;
  return `${[line(header), widths.map((w) => "─".repeat(w)).join("  "), ...body].join("\n")}\n${summary}\n`;
}
