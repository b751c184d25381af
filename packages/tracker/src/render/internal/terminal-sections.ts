import type { AnalysisReport, Calibration, ExperimentReport, LayerReport } from "../../analysis/types.js";
import { bar, grade, type Styles } from "./ansi.js";
import { count, decimal, milliseconds, pValue, percent, points } from "./format.js";
import { table } from "./table.js";

/** One line per headline figure. */
export function summarySection(report: AnalysisReport, s: Styles): string {
  const { overall, clarification } = report;
  const window = report.window.hours === null ? "all events" : `last ${report.window.hours} h`;
  const span = report.firstEventAt ? `${report.firstEventAt} → ${report.lastEventAt}` : "no events";
  const accuracy = overall.accuracy;
  return [
    `${s.bold("Window")}      ${window}${report.layerFilter ? ` · layer ${s.cyan(report.layerFilter)}` : ""} (${span})`,
    `${s.bold("Decisions")}   ${count(overall.decisions)}${report.skipped ? s.dim(` (${count(report.skipped)} outside window/filter)`) : ""}` +
      `${report.syntheticExcluded ? s.dim(` (${count(report.syntheticExcluded)} synthetic sample decisions left out)`) : ""}`,
    `${s.bold("Outcomes")}    ${count(overall.withOutcome)} (${percent(overall.outcomeCoverage)} coverage) · completed ${percent(overall.completionRate)}` +
      `${overall.meanQualityScore !== null ? ` · quality ${decimal(overall.meanQualityScore, 2)}` : ""}` +
      `${overall.meanCompletionMinutes !== null ? ` · ${overall.meanCompletionMinutes.toFixed(1)} min avg` : ""}` +
      `${report.reRecordedOutcomes ? ` · ${count(report.reRecordedOutcomes)} re-recorded (latest wins)` : ""}`,
    `${s.bold("Accuracy")}    ${grade(s, accuracy.rate, percent(accuracy.rate))} (${count(accuracy.correct)}/${count(accuracy.judged)} judged)`,
    `${s.bold("Clarified")}   ${percent(clarification.rate)} (${count(clarification.count)})` +
      `   ${s.bold("Latency")} p50 ${milliseconds(overall.latency.p50)} · p95 ${milliseconds(overall.latency.p95)} · p99 ${milliseconds(overall.latency.p99)} ms`,
  ].join("\n");
}

/** Attempts, acceptance, escalation, errors, coverage, accuracy and ECE per layer. */
export function layersSection(layers: readonly LayerReport[], s: Styles, withBars: boolean): string {
  if (layers.length === 0) return s.dim("No layer attempts in this window.");
  const header = ["layer", "attempts", "accepted", "accept", "escalate", "errors", "coverage", "accuracy", "ECE", ...(withBars ? [""] : [])];
  const rows = layers.map((layer) => [
    s.cyan(layer.layer),
    count(layer.attempts),
    count(layer.accepted),
    percent(layer.acceptanceRate),
    percent(layer.escalationRate),
    layer.errors ? s.red(count(layer.errors)) : "0",
    percent(layer.coverage),
    grade(s, layer.accuracy.rate, percent(layer.accuracy.rate)),
    decimal(layer.calibration.ece),
    ...(withBars ? [grade(s, layer.accuracy.rate, bar(layer.accuracy.rate, 16))] : []),
  ]);
  return table(header, rows, withBars ? ["left", "right", "right", "right", "right", "right", "right", "right", "right", "left"] : []);
}

/** Latency percentiles per layer and end to end. */
export function latencySection(report: AnalysisReport, s: Styles): string {
  const rows = report.layers.map((layer) => [
    s.cyan(layer.layer),
    count(layer.latency.count),
    milliseconds(layer.latency.p50),
    milliseconds(layer.latency.p95),
    milliseconds(layer.latency.p99),
    milliseconds(layer.latency.max),
  ]);
  const total = report.overall.latency;
  rows.push([s.bold("total"), count(total.count), milliseconds(total.p50), milliseconds(total.p95), milliseconds(total.p99), milliseconds(total.max)]);
  return table(["latency (ms)", "samples", "p50", "p95", "p99", "max"], rows);
}

function reliabilityRows(calibration: Calibration, s: Styles): string[] {
  return calibration.bins
    .filter((bin) => bin.count > 0)
    .map((bin) => {
      const gap = Math.abs((bin.meanConfidence ?? 0) - (bin.accuracy ?? 0));
      const gapText = gap >= 0.1 ? s.red(decimal(gap, 2)) : gap >= 0.05 ? s.yellow(decimal(gap, 2)) : decimal(gap, 2);
      return `    ${bin.lower.toFixed(1)}–${bin.upper.toFixed(1)}  ${bar(bin.accuracy, 20)}  acc ${percent(bin.accuracy).padStart(6)}  conf ${decimal(bin.meanConfidence, 2)}  gap ${gapText}  n=${count(bin.count)}`;
    });
}

/** ECE and the non-empty reliability bins of each layer (accepted and shadow attempts). */
export function calibrationSection(layers: readonly LayerReport[], s: Styles): string {
  const parts: string[] = [];
  for (const layer of layers) {
    if (layer.calibration.samples > 0) {
      parts.push(`  ${s.cyan(layer.layer)}  ECE ${decimal(layer.calibration.ece)} over ${count(layer.calibration.samples)} accepted decisions with outcomes`);
      parts.push(...reliabilityRows(layer.calibration, s));
    }
    if (layer.shadowCalibration && layer.shadowCalibration.samples > 0) {
      parts.push(`  ${s.cyan(layer.layer)} ${s.dim("(shadow)")}  ECE ${decimal(layer.shadowCalibration.ece)} over ${count(layer.shadowCalibration.samples)} shadow attempts`);
      parts.push(...reliabilityRows(layer.shadowCalibration, s));
    }
  }
  return parts.length ? parts.join("\n") : s.dim("  No accepted decision has an outcome yet: record outcomes to see calibration.");
}

/** Decisions by expert as bars. */
export function expertsSection(report: AnalysisReport, s: Styles, width = 24): string {
  if (report.experts.length === 0) return s.dim("  No decisions.");
  const nameWidth = Math.max(...report.experts.map((e) => e.expert.length));
  // Bars are scaled to the largest share so small differences between experts stay visible.
  const largest = report.experts[0]!.share ?? 1;
  return report.experts.map((e) => `  ${e.expert.padEnd(nameWidth)}  ${s.cyan(bar((e.share ?? 0) / largest, width))} ${percent(e.share).padStart(6)}  ${count(e.count)}`).join("\n");
}

/** The routed -> corrected-to matrix as a table (rows: routed, columns: corrected to). */
export function correctionsSection(report: AnalysisReport, s: Styles): string {
  const { matrix, total } = report.corrections;
  if (total === 0) return s.dim("  No corrections recorded.");
  const routed = Object.keys(matrix).sort();
  const targets = [...new Set(routed.flatMap((from) => Object.keys(matrix[from]!)))].sort();
  const rows = routed.map((from) => [from, ...targets.map((to) => (matrix[from]![to] ? s.yellow(count(matrix[from]![to])) : s.dim("·")))]);
  return `${table(["routed ↓ / corrected to →", ...targets], rows)}\n  ${count(total)} corrections`;
}

/** Clarification count, reasons and the most frequent ambiguous pairs. */
export function clarificationSection(report: AnalysisReport, s: Styles): string {
  const c = report.clarification;
  const reasons = Object.entries(c.reasons)
    .map(([reason, n]) => `${reason} ${count(n)}`)
    .join(", ");
  const lines = [`  ${count(c.count)} clarifications (${percent(c.rate)} of decisions)${reasons ? `: ${reasons}` : ""}`];
  for (const pair of c.ambiguousPairs.slice(0, 5)) lines.push(`    ${s.dim("ambiguous")} ${pair.pair}  ${count(pair.count)}`);
  return lines.join("\n");
}

function testLine(label: string, test: ExperimentReport["accuracyTest"], s: Styles): string {
  if (!test) return `    ${label}: not enough data in one of the variants`;
  const verdict = test.significant ? s.bold(test.difference > 0 ? s.green("candidate better") : s.red("candidate worse")) : s.dim("no significant difference");
  return `    ${label}: ${points(test.difference)} · z ${test.z.toFixed(2)} · p ${pValue(test.pValue)} → ${verdict}`;
}

/** Each A/B experiment: variants side by side and the z-tests. */
export function experimentsSection(report: AnalysisReport, s: Styles): string {
  if (report.experiments.length === 0) return s.dim("  No A/B experiment in this window.");
  return report.experiments
    .map((e) => {
      const rows = (["control", "candidate"] as const).map((name) => {
        const v = e[name];
        return [name, count(v.decisions), `${percent(v.accuracy.rate)} (${count(v.accuracy.correct)}/${count(v.accuracy.judged)})`, percent(v.coverage), percent(v.clarificationRate)];
      });
      return [
        `  ${s.bold(e.experiment)}`,
        table(["variant", "decisions", "accuracy", "coverage", "clarified"], rows).replace(/^/gm, "    "),
        testLine("accuracy", e.accuracyTest, s),
        testLine("coverage", e.coverageTest, s),
      ].join("\n");
    })
    .join("\n\n");
}
