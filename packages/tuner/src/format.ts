import type { EvaluationReport } from "./evaluate.js";
import { fixed, percent, table } from "./internal/table.js";
import type { CascadeEvaluation } from "./metrics.js";
import type { ThresholdProposal } from "./types.js";

/** The before/after table of a proposal, as `moe-router tune` prints it. */
export function formatProposal(proposal: ThresholdProposal): string {
  const o = proposal.options;
  const step = o.aggressive ? o.maxStep * 2 : o.maxStep;
  const lines = [
    `Tuning from ${proposal.traces} decisions (${proposal.shadowTraces} shadow-sampled); ${o.constraint} constraint; target precision ${o.targetPrecision} at ${percent(o.confidenceLevel, 0)} confidence (${o.bound}); max step ${step}${o.aggressive ? " (aggressive)" : ""}; min samples ${o.minSamples}.`,
    "",
    table(
      ["layer", "before", "after", "samples", "shadow", "precision", "bound", "coverage", "reason"],
      proposal.layers.map((l) => [
        l.layer,
        fixed(l.before),
        fixed(l.after),
        String(l.samples),
        String(l.shadowSamples),
        fixed(l.precision),
        fixed(l.precisionLowerBound),
        percent(l.coverage),
        `${l.status === "insufficient_samples" ? "" : `${l.status}: `}${l.reason}`,
      ]),
    ),
  ];
  const c = proposal.cascade;
  if (c) {
    lines.push(
      "",
      `Cascade (joint search, ${c.source === "shadow" ? "shadow-sampled decisions only" : "all decisions"}): accepted precision ${percent(c.precision)}, bound ${percent(c.precisionLowerBound)} (target ${percent(o.targetPrecision, 1)}${c.meetsTarget ? ", met" : ", NOT met"}), coverage ${percent(c.coverage)} of ${c.decisions ? "replayable decisions" : "decisions"}.`,
    );
  }
  const unobserved = proposal.layers.filter((l) => l.unobserved > 0 && l.source === "mixed");
  if (unobserved.length) {
    lines.push(
      "",
      `Selection bias: ${unobserved.map((l) => `${l.layer} never saw ${l.unobserved} decisions`).join("; ")} (earlier layers decided them). Set shadowShare (e.g. 0.1) in the config so every layer is logged on a share of tasks.`,
    );
  }
  const b = proposal.predictedBefore;
  const a = proposal.predictedAfter;
  lines.push(
    "",
    `Predicted (replayed on recorded attempts: ${b.simulated} before / ${a.simulated} after; ${a.unsimulable} could not be replayed with the new thresholds):`,
    table(
      ["", "before", "after"],
      [
        ["accuracy (routed)", percent(b.accuracy), percent(a.accuracy)],
        ["coverage", percent(b.coverage), percent(a.coverage)],
        ["clarification rate", percent(b.clarificationRate), percent(a.clarificationRate)],
      ],
    ),
  );
  return lines.join("\n");
}

/** Sweep targets shown in the text report (the rest are in --json). */
const CURVE_ROWS = new Set([0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.925, 0.95, 0.975, 0.99]);

function thresholdsText(thresholds: Readonly<Record<string, number>>): string {
  return Object.entries(thresholds)
    .map(([layer, t]) => `${layer} ${t.toFixed(3)}`)
    .join(", ");
}

function cascadeRows(defaults: CascadeEvaluation, tuned: CascadeEvaluation | undefined): string[][] {
  const col = (f: (m: CascadeEvaluation) => string) => [f(defaults), ...(tuned ? [f(tuned)] : [])];
  const rows: string[][] = [
    ["accuracy (routed)", ...col((m) => percent(m.routedAccuracy))],
    ["coverage", ...col((m) => percent(m.coverage))],
    ["in-scope accuracy", ...col((m) => percent(m.inScopeAccuracy))],
    ["clarification rate", ...col((m) => percent(m.clarificationRate))],
  ];
  if (defaults.outOfScope) {
    rows.push(["out-of-scope recall", ...col((m) => percent(m.outOfScope?.recall))]);
    rows.push(["out-of-scope precision", ...col((m) => percent(m.outOfScope?.precision))]);
  }
  rows.push(["latency p50 / p99 (ms)", ...col((m) => `${fixed(m.latencyMs.p50, 2)} / ${fixed(m.latencyMs.p99, 2)}`)]);
  return rows;
}

/** The text report of `moe-router eval`. */
export function formatEvaluation(report: EvaluationReport, title = "Evaluation"): string {
  const d = report.data;
  const valLine =
    d.valSource === "carved"
      ? `val ${d.val} (no validation split in the data: carved ${percent(d.carve!.share, 0)} of each train label, seed ${d.carve!.seed})`
      : d.valSource === "dataset"
        ? `val ${d.val}`
        : "no validation rows (thresholds not tuned)";
  const lines = [
    `${title}: ${d.labels} labels; train ${d.train}, ${valLine}, test ${d.test}.`,
    d.outOfScope ? `Out-of-scope label "${d.outOfScope.label}": ${d.outOfScope.train} train (not fitted), ${d.outOfScope.val} val, ${d.outOfScope.test} test.` : "Out-of-scope rows: none.",
    `Layers: ${report.layers.join(" -> ")} -> clarification.`,
  ];
  if (report.fit.length) {
    lines.push(
      "",
      "Fit:",
      table(
        ["layer", "method", "examples", "time", "note"],
        report.fit.map((f) => [f.layer, f.method, String(f.examples), `${(f.ms / 1000).toFixed(1)} s`, f.note ?? ""]),
      ),
    );
  }
  const tuned = report.tuned;
  lines.push("", `Thresholds: defaults ${thresholdsText(report.defaults.thresholds)}${tuned ? `; tuned ${thresholdsText(tuned.thresholds)}` : ""}`);
  if (report.tuning) {
    const t = report.tuning;
    const objective = t.objective.kind === "precision" ? "" : `objective ${t.objective.kind} ${t.objective.target}: `;
    lines.push(
      `Tuned on val: ${objective}precision bound >= ${t.targetPrecision} (${t.constraint} constraint; ${t.targetSource === "given" ? "given" : t.targetReason}); ${t.proposal.map((p) => `${p.layer}: ${p.status}`).join(", ")}.`,
    );
  }
  lines.push("", `Test (${d.test} rows):`, table(["", "defaults", ...(tuned ? ["tuned"] : [])], cascadeRows(report.defaults, tuned)));
  const perLayer = tuned ?? report.defaults;
  lines.push(
    "",
    `Per layer (${tuned ? "tuned" : "default"} thresholds; standalone = the layer alone, top-1):`,
    table(
      ["layer", "threshold", "decided", "coverage", "accuracy", "standalone accuracy", "errors"],
      perLayer.perLayer.map((l, i) => [
        l.layer,
        fixed(l.threshold),
        String(l.decided),
        percent(l.coverage),
        percent(l.accuracy),
        percent(report.standalone[i]?.accuracy),
        String(report.layerErrors[l.layer] ?? 0),
      ]),
    ),
  );
  const acc = report.accuracy;
  if (acc && Object.keys(acc.layers).length) {
    const cascade = acc.cascade;
    const at = (target: number) => cascade?.atCoverage.find((p) => p.target === target);
    lines.push(
      "",
      "Accuracy on in-scope test rows (forced = every row to the top expert; at X% = the most confident X% of rows):",
      table(
        ["", "forced", "at 100%", "at 80%", "at 50%"],
        [
          ...Object.entries(acc.layers).map(([layer, s]) => [layer, percent(s.forced), percent(s.at100), percent(s.at80), percent(s.at50)]),
          ...(cascade
            ? [
                [
                  "cascade (thresholds for the coverage, chosen on val)",
                  percent(cascade.forced),
                  percent(cascade.forced),
                  `${percent(at(0.8)?.accuracy)} (${percent(at(0.8)?.coverage)} routed)`,
                  `${percent(at(0.5)?.accuracy)} (${percent(at(0.5)?.coverage)} routed)`,
                ],
              ]
            : []),
        ],
      ),
    );
  }
  if (report.riskCoverage.cascade.length) {
    const chosen = report.tuning?.targetPrecision;
    const shown = report.riskCoverage.cascade.filter((p) => CURVE_ROWS.has(p.targetPrecision) || p.targetPrecision === chosen);
    lines.push(
      "",
      "Risk-coverage of the cascade (thresholds tuned on val for each target; all points in --json):",
      table(
        ["target", "val coverage", "val accuracy", "test coverage", "test risk", "test accuracy", "thresholds"],
        shown.map((p) => [
          `${p.targetPrecision}${p.targetPrecision === chosen ? " *" : ""}`,
          percent(p.valCoverage),
          percent(p.valAccuracy),
          percent(p.coverage),
          percent(p.risk),
          percent(p.risk === undefined ? undefined : 1 - p.risk),
          thresholdsText(p.thresholds),
        ]),
      ),
    );
  }
  lines.push("", `Done in ${(report.durationMs / 1000).toFixed(1)} s.`);
  return lines.join("\n");
}
