import type { TimeSeries } from "../../timeseries/types.js";
import { milliseconds } from "./format.js";
import { escapeHtml } from "./svg.js";
import { lineChart } from "./svg-lines.js";
import { trendLines, type TrendGroup } from "./trend-data.js";

/** HTML charts draw at most this many points per line (buckets beyond are merged). */
const POINTS = 240;

const CHARTS: readonly [TrendGroup, string][] = [
  ["decisions", "Decisions per bucket"],
  ["accuracy", "Accuracy (overall and per layer, from outcomes)"],
  ["acceptance", "Acceptance rate per layer"],
  ["rates", "Clarification, error and outcome-coverage rates"],
  ["latency", "p95 latency (ms), end to end and per layer"],
  ["experts", "Expert mix (share of decisions, top experts)"],
];

const shortTime = (iso: string) => `${iso.slice(0, 16).replace("T", " ")}Z`;

/** The "Trends" section of the HTML report: one line chart per group of metrics. */
export function trendsHtml(series: TimeSeries): string {
  const head = `<section id="trends"><h2>Trends</h2>`;
  if (series.buckets.length === 0) return `${head}<p class="empty">No buckets in this range.</p></section>`;
  const { lines, groups } = trendLines(series, POINTS, 6);
  const startLabel = shortTime(series.buckets[0]!.start),
    endLabel = shortTime(series.buckets[series.buckets.length - 1]!.end);
  const unit = series.by === "custom" ? `${series.bucketMs / 1000} s buckets` : `by ${series.by}`;
  const merged = groups[0]!.length > 1 ? `, ${groups[0]!.length} buckets per point` : "";
  const charts = CHARTS.map(([group, title]) => {
    const members = lines.filter((line) => line.group === group && line.values.some((v) => v !== null));
    if (members.length === 0) return "";
    const kind = members[0]!.kind;
    const format = kind === "share" ? (v: number) => `${Math.round(v * 100)}%` : kind === "ms" ? milliseconds : (v: number) => String(Math.round(v));
    return `<figure>${lineChart({ title, series: members.map((m) => ({ name: m.label, values: m.values })), startLabel, endLabel, format, className: `trend-${group}`, ...(kind === "share" ? { max: 1 } : {}) })}<figcaption>${escapeHtml(title)}</figcaption></figure>`;
  }).join("");
  return `${head}<p class="note">${escapeHtml(`${series.buckets.length} buckets ${unit}${merged} · ${startLabel} → ${endLabel}`)}</p><div class="figures">${charts}</div></section>`;
}
