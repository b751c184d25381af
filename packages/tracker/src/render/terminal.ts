import { terminalSafe, terminalSafeDeep } from "@moe-router/core";
import type { AnalysisReport } from "../analysis/types.js";
import type { TimeSeries } from "../timeseries/types.js";
import { styles } from "./internal/ansi.js";
import { count, milliseconds, percent } from "./internal/format.js";
import { table } from "./internal/table.js";
import { dashboardFrame } from "./internal/dashboard-frame.js";
import { trendsSection } from "./internal/trends-terminal.js";
import { calibrationSection, clarificationSection, correctionsSection, experimentsSection, expertsSection, latencySection, layersSection, summarySection } from "./internal/terminal-sections.js";

/** Options of the terminal renderers. */
export interface TerminalRenderOptions {
  /** Emit ANSI colours. Default false (callers turn it on for a TTY without NO_COLOR). */
  readonly color?: boolean;
}

/** Options of {@link renderDashboard}. */
export interface DashboardRenderOptions extends TerminalRenderOptions {
  /** Shown in the title line, e.g. "refreshing every 2 s · Ctrl-C to quit". */
  readonly status?: string;
  /** A time series of the same window: adds four trend sparklines (decisions, accuracy, clarified, p95). */
  readonly series?: TimeSeries;
}

/** Escape sequence that moves the cursor home and clears the screen below it (in-place redraw). */
export const CLEAR_SCREEN = "\x1b[H\x1b[J";

/**
 * The human report of `moe-router analyze`: summary, per-layer table, latency, calibration
 * (ECE and reliability bins), experts, corrections matrix, clarification and A/B tests.
 * Every string that came from the log (layer, expert and experiment names, reasons) has its
 * control characters shown as visible escapes, so a hostile log cannot drive the terminal.
 */
export function renderAnalysisText(report: AnalysisReport, options: TerminalRenderOptions = {}): string {
  return analysisText(terminalSafeDeep(report), options);
}

function analysisText(report: AnalysisReport, options: TerminalRenderOptions): string {
  const s = styles(options.color === true);
  const heading = (title: string) => `\n${s.bold(title)}`;
  return [
    s.bold("Routing performance analysis"),
    summarySection(report, s),
    heading("Layers"),
    layersSection(report.layers, s, false),
    heading("Latency"),
    latencySection(report, s),
    heading("Calibration (confidence vs. correctness)"),
    calibrationSection(report.layers, s),
    heading("Expert distribution"),
    expertsSection(report, s),
    heading("Corrections (routed → corrected to)"),
    correctionsSection(report, s),
    heading("Clarification"),
    clarificationSection(report, s),
    heading("A/B experiments"),
    experimentsSection(report, s),
    "",
  ].join("\n");
}

/**
 * One dashboard frame that fits an 80 x 24 terminal: the headline figures, layers with
 * accuracy bars, the top experts and (with `series`) four trend sparklines; `moe-router analyze`
 * has the full report. Strings from the log and the status line are neutralised as in
 * {@link renderAnalysisText}.
 */
export function renderDashboard(report: AnalysisReport, options: DashboardRenderOptions = {}): string {
  return dashboardFrame(terminalSafeDeep(report), styles(options.color === true), options.status ? terminalSafe(options.status) : "", options.series);
}

/**
 * The human form of `moe-router analyze --by B`: the trend sparklines, then one table row per
 * bucket (decisions, accuracy, clarification, error and outcome rates, p95 latency, top expert).
 */
export function renderTimeSeriesText(series: TimeSeries, options: TerminalRenderOptions = {}): string {
  const s = styles(options.color === true);
  const rows = series.buckets.map((bucket) => {
    let top = "",
      most = 0;
    for (const [expert, n] of Object.entries(bucket.experts)) if (n > most) [top, most] = [expert, n];
    return [
      `${bucket.start.slice(0, 16)}Z`,
      count(bucket.decisions),
      percent(bucket.accuracy.rate),
      percent(bucket.clarificationRate),
      percent(bucket.errorRate),
      percent(bucket.outcomeCoverage),
      milliseconds(bucket.latencyMs.p95),
      terminalSafe(top),
    ];
  });
  return [
    s.bold(`Routing health by ${series.by === "custom" ? `${series.bucketMs / 1000} s` : series.by}`),
    trendsSection(series, s),
    "",
    table(["bucket (UTC)", "decisions", "accuracy", "clarified", "errors", "outcomes", "p95 ms", "top expert"], rows, ["left", "right", "right", "right", "right", "right", "right", "left"]),
    "",
  ].join("\n");
}
