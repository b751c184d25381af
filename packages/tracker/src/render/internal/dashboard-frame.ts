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
  const header = s.dim(`${"layer".padEnd(18)} ${"accept".padStart(6)} ${"cover".padStart(6)} ${"accuracy".padStart(8)} ${"ECE".padStart(5)} ${"p95 ms".padStart(7)} ${"err".padStart(5)}  accuracy`);
  const lines = [header];
  const layers = report.layers;
  const shown = layers.length > room - 1 ? layers.slice(0, Math.max(0, room - 2)) : layers;
  for (const layer of shown) {
    const accuracy = layer.accuracy.rate;
    lines.push(
      `${name(layer.layer, 18)} ${percent(layer.acceptanceRate).padStart(6)} ${percent(layer.coverage).padStart(6)} ${grade(s, accuracy, percent(accuracy).padStart(8))} ` +
        `${decimal(layer.calibration.ece, 3).padStart(5)} ${milliseconds(layer.latency.p95).padStart(7)} ${count(layer.errors).padStart(5)}  ${s.cyan(bar(accuracy, 14))}`,
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
  const picked = wanted
    .map((label) => lines.find((line) => line.label === label))
    .filter((line) => line !== undefined)
    .slice(0, rows);
  return picked.map((line) => {
    const latest = [...line.values].reverse().find((v) => v !== null) ?? null;
    const value = latest === null ? "-" : line.kind === "share" ? percent(latest) : line.kind === "ms" ? milliseconds(latest) : count(latest);
    return `  ${name(line.label, 11)} ${s.cyan(sparkline(line.values))} ${value.padStart(8)}`;
  });
}

/**
 * One dashboard frame that fits an 80 x 24 terminal: the time and status, headline figures
 * (3 lines), the layers table with accuracy bars, the experts two to a line, and (with a
 * series) up to three trend sparklines; a last line names the experiments and counts the
 * corrections that `analyze` details.
 * Lower sections shrink first when there are many layers. Input is already neutralised.
 */
export function dashboardFrame(report: AnalysisReport, s: Styles, status: string, series: TimeSeries | undefined): string {
  const o = report.overall;
  const window = report.window.hours === null ? "all events" : `last ${report.window.hours} h`;
  const synthetic = report.syntheticExcluded ? ` (${count(report.syntheticExcluded)} synthetic sample decisions left out)` : "";
  const summary = [
    `Window ${window}${report.layerFilter ? ` · layer ${report.layerFilter}` : ""} · decisions ${count(o.decisions)}${synthetic}`,
    `Outcomes ${count(o.withOutcome)} (${percent(o.outcomeCoverage)}) · completed ${percent(o.completionRate)} · accuracy ${percent(o.accuracy.rate)} (${count(o.accuracy.correct)}/${count(o.accuracy.judged)})`,
    `Clarified ${percent(report.clarification.rate)} · latency p50 ${milliseconds(o.latency.p50)} · p95 ${milliseconds(o.latency.p95)} · p99 ${milliseconds(o.latency.p99)} ms`,
  ].map((line) => clip(line, DASHBOARD_WIDTH));
  const experiments = report.experiments.length ? `A/B ${report.experiments.map((e) => e.experiment).join(", ")}` : "no A/B experiment";
  const footer = s.dim(clip(`${experiments} · ${count(report.corrections.total)} correction(s) · details: moe-router analyze`, DASHBOARD_WIDTH));
  // Fixed rows: title, status, blank, 3 summary, blank, blank, "Experts", blank, footer = 11 of the
  // 23 (one row stays for the cursor after the last newline, so a redraw never scrolls).
  let room = DASHBOARD_HEIGHT - 1 - 11;
  const wantTrends = series !== undefined && series.buckets.length > 0;
  const layers = layerLines(report, s, Math.min(report.layers.length + 1, room - 1 - (wantTrends ? 5 : 0)));
  room -= layers.length;
  const trendCount = wantTrends ? Math.min(3, room - 3 - 2) : 0;
  const trends = trendCount > 0 ? trendRows(series!, s, trendCount) : [];
  room -= trends.length ? trends.length + 3 : 0;
  const experts = expertLines(report, s, Math.max(1, Math.min(3, room)));
  const sections = [
    s.bold("moe-router dashboard"),
    s.dim(clip(`${report.generatedAt}${status ? ` · ${status}` : ""}`, DASHBOARD_WIDTH)),
    "",
    ...summary,
    "",
    ...layers,
    "",
    s.bold("Experts"),
    ...experts,
  ];
  if (trends.length)
    sections.push(
      "",
      s.bold("Trends"),
      s.dim(
        clip(
          `  by ${series!.by === "custom" ? `${series!.bucketMs / 1000} s` : series!.by} · ${series!.buckets[0]!.start.slice(0, 16)}Z → ${series!.buckets[series!.buckets.length - 1]!.end.slice(0, 16)}Z`,
          DASHBOARD_WIDTH,
        ),
      ),
      ...trends,
    );
  sections.push("", footer);
  return `${sections.join("\n")}\n`;
}
