import { terminalSafe } from "@moe-router/core";
import type { TimeSeries } from "../../timeseries/types.js";
import type { Styles } from "./ansi.js";
import { count, milliseconds, percent } from "./format.js";
import { trendLines, type TrendLine } from "./trend-data.js";

const BLOCKS = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];
const LABEL = 16;
/** Sparkline columns: label 16 + 1 + 40 + 1 + value 8 + 1 + range ≤ 13 stays within 80 columns. */
export const SPARK_WIDTH = 40;

/** One sparkline: each value scaled between the line's min and max; a gap where there is no data. */
export function sparkline(values: readonly (number | null)[]): string {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return " ".repeat(values.length);
  const low = Math.min(...known),
    high = Math.max(...known);
  return values
    .map((value) => {
      if (value === null) return " ";
      const level = high === low ? 3 : Math.round(((value - low) / (high - low)) * (BLOCKS.length - 1));
      return BLOCKS[level]!;
    })
    .join("");
}

/** Counts short enough for the 80-column layout: 9,999 then 12.3k, 4.6M. */
function compactCount(value: number): string {
  if (value < 10_000) return count(value);
  if (value < 10_000_000) return `${(value / 1000).toFixed(value < 100_000 ? 1 : 0)}k`;
  return `${(value / 1e6).toFixed(1)}M`;
}

function format(line: TrendLine, value: number | null): string {
  if (value === null) return "-";
  if (line.kind === "share") return percent(value);
  if (line.kind === "ms") return value >= 100_000 ? `${compactCount(value)}` : milliseconds(value);
  return compactCount(value);
}

function fit(label: string): string {
  const safe = terminalSafe(label);
  return safe.length <= LABEL ? safe.padEnd(LABEL) : `${safe.slice(0, LABEL - 1)}…`;
}

/**
 * The trend section of the dashboard: one sparkline per metric (decisions, accuracy overall and
 * per layer, acceptance per layer, clarification, error and outcome rates, p95 latencies, the
 * top experts' shares), each with its latest value and its range; at most 80 columns wide.
 */
export function trendsSection(series: TimeSeries, s: Styles): string {
  if (series.buckets.length === 0) return s.dim("  No buckets in this range.");
  const { lines, groups } = trendLines(series, SPARK_WIDTH);
  const unit = series.by === "custom" ? `${series.bucketMs / 1000} s` : series.by;
  const per = groups[0]!.length > 1 ? ` (${groups[0]!.length} per column)` : "";
  const first = series.buckets[0]!.start,
    last = series.buckets[series.buckets.length - 1]!.end;
  const out = [s.dim(`  by ${unit}${per} · ${first.slice(0, 16)}Z → ${last.slice(0, 16)}Z`)];
  for (const line of lines) {
    const known = line.values.filter((v): v is number => v !== null);
    if (known.length === 0) continue;
    const latest = [...line.values].reverse().find((v) => v !== null) ?? null;
    const range = known.length > 1 ? `${format(line, Math.min(...known))}–${format(line, Math.max(...known))}` : "";
    out.push(`${fit(line.label)} ${s.cyan(sparkline(line.values))} ${format(line, latest).padStart(8)} ${s.dim(range)}`.trimEnd());
  }
  return out.join("\n");
}
