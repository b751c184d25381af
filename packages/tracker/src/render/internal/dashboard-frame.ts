import type { AnalysisReport } from "../../analysis/types.js";
import type { TimeSeries } from "../../timeseries/types.js";
import { bar, grade, visibleLength, type Styles } from "./ansi.js";
import { count, decimal, milliseconds, percent } from "./format.js";
import { sparkline } from "./trends-terminal.js";
import { trendLines } from "./trend-data.js";

/** The terminal the dashboard is drawn for: a classic 80 x 24 (the frame uses 23 rows and the cursor the last). */
export const DASHBOARD_WIDTH = 80;
export const DASHBOARD_HEIGHT = 24;

/** Cuts `text` (already neutralised, possibly styled) to `width` visible columns. */
function clip(text: string, width: number): string {
  if (visibleLength(text) <= width) return text;
  // Styled lines are built from plain parts below; a line that is too long is plain here.
  return `${text.slice(0, width - 1)}…`;
}

function name(text: string, width: number): string {
  return text.length <= width ? text.padEnd(width) : `${text.slice(0, width - 1)}…`;
}

function layerLines(report: AnalysisReport, s: Styles, room: number): string[] {
  const header = s.dim(`${"layer".padEnd(12)} ${"accept".padStart(6)} ${"cover".padStart(6)} ${"accuracy".padStart(8)} ${"ECE".padStart(5)} ${"p95 ms".padStart(7)} ${"err".padStart(5)}  accuracy`);
  const lines = [header];
  const layers = report.layers;
  const shown = layers.length > room - 1 ? layers.slice(0, Math.max(0, room - 2)) : layers;
  for (const layer of shown) {
    const accuracy = layer.accuracy.rate;
    lines.push(
      `${name(layer.layer, 12)} ${percent(layer.acceptanceRate).padStart(6)} ${percent(layer.coverage).padStart(6)} ${grade(s, accuracy, percent(accuracy).padStart(8))} `
        + `${decimal(layer.calibration.ece, 3).padStart(5)} ${milliseconds(layer.latency.p95).padStart(7)} ${count(layer.errors).padStart(5)}  ${s.cyan(bar(accuracy, 14))}`,
    );
  }
  if (shown.length < layers.length) lines.push(s.dim(`  … ${layers.length - shown.length} more layers (moe-router analyze shows all)`));
  return lines;
}

function expertLines(report: AnalysisReport, s: Styles, rows: number): string[] {
  const experts = report.experts.slice(0, rows * 2);
  const cell = (e: (typeof experts)[number]) => `${name(e.expert, 20)} ${s.cyan(bar(e.share, 8))} ${percent(e.share).padStart(6)}`;
  const lines: string[] = [];
  for (let i = 0; i < experts.length; i += 2) lines.push(`  ${cell(experts[i]!)}${experts[i + 1] ? `   ${cell(experts[i + 1]!)}` : ""}`);
  const rest = report.experts.length - experts.length;
  if (rest > 0 && lines.length) lines[lines.length - 1] += s.dim(` +${rest}`);
  return lines;
}

function trendRows(series: TimeSeries, s: Styles, rows: number): string[] {
  if (series.buckets.length === 0 || rows <= 0) return [];
  const { lines } = trendLines(series, 50);
  const wanted = ["decisions", "accuracy", "clarified", "p95 total"];
  const picked = wanted.map((label) => lines.find((line) => line.label === label)).filter((line) => line !== undefined).slice(0, rows);
  return picked.map((line) => {
    const latest = [...line.values].reverse().find((v) => v !== null) ?? null;
    const value = latest === null ? "-" : line.kind === "share" ? percent(latest) : line.kind === "ms" ? milliseconds(latest) : count(latest);
    return `  ${name(line.label, 11)} ${s.cyan(sparkline(line.values))} ${value.padStart(8)}`;
  });
}

/**
 * One dashboard frame that fits an 80 x 24 terminal: headline figures (3 lines), the layers
 * table with accuracy bars, the experts two to a line, and (with a series) four trend
 * sparklines; a last line counts the experiments and corrections that `analyze` details.
 * Lower sections shrink first when there are many layers. Input is already neutralised.
 */
export function dashboardFrame(report: AnalysisReport, s: Styles, status: string, series: TimeSeries | undefined): string {
  const o = report.overall;
  const title = `${s.bold("moe-router dashboard")}  ${s.dim(clip(`${report.generatedAt}${status ? ` · ${status}` : ""}`, DASHBOARD_WIDTH - 22))}`;
  const summary = [
    clip(`Decisions ${count(o.decisions)} · outcomes ${count(o.withOutcome)} (${percent(o.outcomeCoverage)}) · completed ${percent(o.completionRate)} · quality ${decimal(o.meanQualityScore, 2)}`, DASHBOARD_WIDTH),
    `Accuracy ${grade(s, o.accuracy.rate, percent(o.accuracy.rate))} (${count(o.accuracy.correct)}/${count(o.accuracy.judged)} judged) · clarified ${percent(report.clarification.rate)}`,
    clip(`Latency p50 ${milliseconds(o.latency.p50)} · p95 ${milliseconds(o.latency.p95)} · p99 ${milliseconds(o.latency.p99)} ms`, DASHBOARD_WIDTH),
  ];
  const experiments = report.experiments.length ? `A/B ${report.experiments.map((e) => e.experiment).join(", ")}` : "no A/B experiment";
  const footer = s.dim(clip(`${experiments} · ${count(report.corrections.total)} correction(s) · details: moe-router analyze`, DASHBOARD_WIDTH));
  // Fixed lines: title, blank, 3 summary, blank, blank, "Experts", blank, footer = 10; the rest is shared.
  // One row stays for the cursor after the frame's last newline, so a redraw never scrolls.
  let room = DASHBOARD_HEIGHT - 1 - 10;
  const wantTrends = series !== undefined && series.buckets.length > 0;
  const layers = layerLines(report, s, Math.min(report.layers.length + 1, room - 1 - (wantTrends ? 3 : 0)));
  room -= layers.length;
  const trendCount = wantTrends ? Math.min(4, room - 3) : 0;
  const trends = trendCount > 0 ? trendRows(series!, s, trendCount) : [];
  room -= trends.length ? trends.length + 2 : 0;
  const experts = expertLines(report, s, Math.max(1, Math.min(3, room)));
  const sections = [title, "", ...summary, "", ...layers, "", s.bold("Experts"), ...experts];
  if (trends.length) sections.push("", s.bold("Trends"), ...trends);
  sections.push("", footer);
  return `${sections.join("\n")}\n`;
}
