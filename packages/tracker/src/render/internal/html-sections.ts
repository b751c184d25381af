import type { AnalysisReport, ExperimentReport, LayerReport, ProportionTest } from "../../analysis/types.js";
import { count, decimal, milliseconds, pValue, percent, points } from "./format.js";
import { escapeHtml, heatmap, horizontalBars, reliabilityDiagram } from "./svg.js";

/** A plain HTML table; every cell is escaped. */
export function htmlTable(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const head = header.map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join("")}</tr>`).join("");
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function section(id: string, title: string, content: string): string {
  return `<section id="${id}"><h2>${escapeHtml(title)}</h2>${content}</section>`;
}

const empty = (text: string) => `<p class="empty">${escapeHtml(text)}</p>`;

/** Headline figures as cards. */
export function summaryCards(report: AnalysisReport): string {
  const o = report.overall;
  const cards: [string, string, string][] = [
    ["Decisions", count(o.decisions), report.skipped ? `${count(report.skipped)} outside window/filter` : ""],
    ["Outcome coverage", percent(o.outcomeCoverage), `${count(o.withOutcome)} outcomes`],
    ["Accuracy", percent(o.accuracy.rate), `${count(o.accuracy.correct)}/${count(o.accuracy.judged)} judged`],
    ["Clarification rate", percent(report.clarification.rate), `${count(report.clarification.count)} clarified`],
    ["Latency p95", `${milliseconds(o.latency.p95)} ms`, `p50 ${milliseconds(o.latency.p50)} · p99 ${milliseconds(o.latency.p99)} ms`],
    ["Corrections", count(report.corrections.total), ""],
  ];
  return `<div class="cards">${cards.map(([label, value, note]) => `<div class="card"><div class="card-label">${escapeHtml(label)}</div><div class="card-value">${escapeHtml(value)}</div><div class="card-note">${escapeHtml(note)}</div></div>`).join("")}</div>`;
}

/** Per-layer accuracy and coverage bars, with the full layer table. */
export function layersHtml(layers: readonly LayerReport[]): string {
  if (layers.length === 0) return section("layers", "Layers", empty("No layer attempts in this window."));
  const names = layers.map((l) => l.layer);
  const chart = horizontalBars({
    title: "Per-layer accuracy and coverage",
    categories: names,
    max: 1,
    className: "layers-chart",
    series: [
      { name: "accuracy", values: layers.map((l) => l.accuracy.rate), labels: layers.map((l) => percent(l.accuracy.rate)) },
      { name: "coverage", values: layers.map((l) => l.coverage), labels: layers.map((l) => percent(l.coverage)) },
      { name: "acceptance", values: layers.map((l) => l.acceptanceRate), labels: layers.map((l) => percent(l.acceptanceRate)) },
    ],
  });
  const rows = layers.map((l) => [
    l.layer,
    count(l.attempts),
    count(l.accepted),
    percent(l.acceptanceRate),
    percent(l.escalationRate),
    count(l.errors),
    percent(l.coverage),
    percent(l.accuracy.rate),
    `${count(l.accuracy.correct)}/${count(l.accuracy.judged)}`,
    decimal(l.meanConfidence),
    decimal(l.calibration.ece),
    count(l.shadowAttempts),
  ]);
  return section(
    "layers",
    "Layers",
    chart + htmlTable(["layer", "attempts", "accepted", "acceptance", "escalation", "errors", "coverage", "accuracy", "right/judged", "mean conf.", "ECE", "shadow"], rows),
  );
}

/** Reliability diagrams, one per layer with calibration data (accepted and shadow). */
export function calibrationHtml(layers: readonly LayerReport[]): string {
  const figures: string[] = [];
  for (const l of layers) {
    if (l.calibration.samples)
      figures.push(
        `<figure>${reliabilityDiagram(`Reliability diagram: ${l.layer} (accepted)`, l.calibration.bins)}<figcaption>${escapeHtml(`${l.layer}: ECE ${decimal(l.calibration.ece)}, n=${count(l.calibration.samples)}`)}</figcaption></figure>`,
      );
    if (l.shadowCalibration?.samples)
      figures.push(
        `<figure>${reliabilityDiagram(`Reliability diagram: ${l.layer} (shadow)`, l.shadowCalibration.bins)}<figcaption>${escapeHtml(`${l.layer} shadow: ECE ${decimal(l.shadowCalibration.ece)}, n=${count(l.shadowCalibration.samples)}`)}</figcaption></figure>`,
      );
  }
  const note = '<p class="note">Bars: accuracy per confidence bin; dots: mean confidence; diagonal: perfect calibration.</p>';
  return section(
    "calibration",
    "Calibration",
    figures.length ? note + `<div class="figures">${figures.join("")}</div>` : empty("No accepted decision has an outcome yet: record outcomes to see calibration."),
  );
}

/** p50/p95/p99 per layer and end to end, on a log axis. */
export function latencyHtml(report: AnalysisReport): string {
  const rows = [...report.layers.map((l) => ({ name: l.layer, latency: l.latency })), { name: "total", latency: report.overall.latency }].filter((r) => r.latency.count > 0);
  if (rows.length === 0) return section("latency", "Latency", empty("No latency recorded."));
  const pick = (q: "p50" | "p95" | "p99") => ({ name: q, values: rows.map((r) => r.latency[q]), labels: rows.map((r) => `${milliseconds(r.latency[q])} ms`) });
  const chart = horizontalBars({
    title: "Latency percentiles (ms, log scale)",
    categories: rows.map((r) => r.name),
    series: [pick("p50"), pick("p95"), pick("p99")],
    log: true,
    className: "latency-chart",
  });
  const table = htmlTable(
    ["", "samples", "min", "p50", "p95", "p99", "max", "mean"],
    rows.map((r) => [
      r.name,
      count(r.latency.count),
      milliseconds(r.latency.min),
      milliseconds(r.latency.p50),
      milliseconds(r.latency.p95),
      milliseconds(r.latency.p99),
      milliseconds(r.latency.max),
      milliseconds(r.latency.mean),
    ]),
  );
  return section("latency", "Latency", chart + table);
}

/** Decisions by expert. */
export function expertsHtml(report: AnalysisReport): string {
  if (report.experts.length === 0) return section("experts", "Expert distribution", empty("No decisions."));
  const chart = horizontalBars({
    title: "Expert distribution",
    categories: report.experts.map((e) => e.expert),
    series: [{ name: "share", values: report.experts.map((e) => e.share), labels: report.experts.map((e) => `${percent(e.share)} (${count(e.count)})`) }],
    max: Math.max(...report.experts.map((e) => e.share ?? 0), 1e-9),
    className: "experts-chart",
  });
  return section("experts", "Expert distribution", chart);
}

/** Corrections heatmap (routed -> corrected to). */
export function correctionsHtml(report: AnalysisReport): string {
  const { matrix, total } = report.corrections;
  if (total === 0) return section("corrections", "Corrections", empty("No corrections recorded."));
  const rows = Object.keys(matrix).sort();
  const columns = [...new Set(rows.flatMap((r) => Object.keys(matrix[r]!)))].sort();
  const chart = heatmap("Corrections matrix (rows: routed, columns: corrected to)", rows, columns, (r, c) => matrix[r]?.[c] ?? 0);
  return section("corrections", "Corrections", `<p class="note">${escapeHtml(`${count(total)} corrections. Rows: routed expert; columns: the expert the user corrected to.`)}</p>${chart}`);
}

/** Clarification reasons and ambiguous pairs. */
export function clarificationHtml(report: AnalysisReport): string {
  const c = report.clarification;
  const reasons = Object.entries(c.reasons).map(([reason, n]) => [reason, count(n), percent(c.count ? n / c.count : null)]);
  const pairs = c.ambiguousPairs.map((p) => [p.pair, count(p.count)]);
  const body =
    `<p>${escapeHtml(`${count(c.count)} clarifications (${percent(c.rate)} of decisions).`)}</p>` +
    (reasons.length ? htmlTable(["reason", "count", "share"], reasons) : "") +
    (pairs.length ? `<h3>Ambiguous pairs</h3>${htmlTable(["candidates", "count"], pairs)}` : "");
  return section("clarification", "Clarification", body);
}

function testText(test: ProportionTest | null): string {
  if (!test) return "not enough data";
  return `${points(test.difference)}, z = ${test.z.toFixed(2)}, p = ${pValue(test.pValue)}${test.significant ? " (significant)" : " (not significant)"}`;
}

function experimentHtml(e: ExperimentReport): string {
  const variants = [e.control, e.candidate];
  const chart = horizontalBars({
    title: `A/B comparison: ${e.experiment}`,
    categories: ["accuracy", "coverage", "clarification rate"],
    max: 1,
    className: "ab-chart",
    series: (["control", "candidate"] as const).map((name, i) => {
      const v = variants[i]!;
      const values = [v.accuracy.rate, v.coverage, v.clarificationRate];
      return { name, values, labels: values.map((x) => percent(x)) };
    }),
  });
  const table = htmlTable(
    ["variant", "decisions", "accuracy", "right/judged", "coverage", "clarification"],
    (["control", "candidate"] as const).map((name) => {
      const v = e[name];
      return [name, count(v.decisions), percent(v.accuracy.rate), `${count(v.accuracy.correct)}/${count(v.accuracy.judged)}`, percent(v.coverage), percent(v.clarificationRate)];
    }),
  );
  const tests = `<ul class="tests"><li>${escapeHtml(`Accuracy (candidate − control): ${testText(e.accuracyTest)}`)}</li><li>${escapeHtml(`Coverage (candidate − control): ${testText(e.coverageTest)}`)}</li><li>${escapeHtml(`Two-sided two-proportion z-tests at α = ${e.alpha}.`)}</li></ul>`;
  return `<h3>${escapeHtml(e.experiment)}</h3>${chart}${table}${tests}`;
}

/** Every A/B experiment. */
export function experimentsHtml(report: AnalysisReport): string {
  return section("ab", "A/B experiments", report.experiments.length ? report.experiments.map(experimentHtml).join("") : empty("No A/B experiment in this window."));
}
