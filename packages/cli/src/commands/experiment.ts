import { openStore } from "@moe-router/tracker";
import { loadRouterConfig, storeSpec, thresholdsStoreSpec } from "@moe-router/router";
import { experimentStatus, openThresholdsStore, promoteExperiment, stopExperiment, type ExperimentStatus } from "@moe-router/tuner";
import { argumentError } from "../args.js";
import { parseDeclared, usageOf } from "../declare.js";
import { DECLARATIONS } from "./declarations.js";
import type { Command } from "../io.js";
import { printJson, printText } from "../output.js";
import { formatThresholds } from "./tune-history.js";

const usage = usageOf(DECLARATIONS.experiment);

const percent = (value: number | null | undefined) => (value === null || value === undefined ? "-" : `${(value * 100).toFixed(1)}%`);

function statusText(status: ExperimentStatus): string {
  if (!status.running) return "No experiment is running. Start one with `moe-router tune --experiment NAME --share 0.1`.\n";
  const lines = [
    `Experiment "${status.name}" since ${status.startedAt}: ${percent(status.share)} of tasks use the candidate thresholds.`,
    `  control    ${formatThresholds(status.control ?? {})}`,
    `  candidate  ${formatThresholds(status.candidate ?? {})}`,
  ];
  const measured = status.measured;
  if (measured === null) lines.push("", "No decision of this experiment in the event store yet.");
  else if (measured) {
    lines.push("", `  ${"variant".padEnd(10)} ${"decisions".padStart(9)} ${"judged".padStart(7)} ${"accuracy".padStart(9)} ${"coverage".padStart(9)} ${"clarified".padStart(9)}`);
    for (const [name, variant] of [
      ["control", measured.control],
      ["candidate", measured.candidate],
    ] as const) {
      lines.push(
        `  ${name.padEnd(10)} ${String(variant.decisions).padStart(9)} ${String(variant.accuracy.judged).padStart(7)} ${percent(variant.accuracy.rate).padStart(9)} ${percent(variant.coverage).padStart(9)} ${percent(variant.clarificationRate).padStart(9)}`,
      );
    }
    const test = measured.accuracyTest;
    lines.push(
      "",
      test
        ? `Accuracy difference ${(test.difference * 100).toFixed(1)} points (p = ${test.pValue.toFixed(3)}${test.significant ? ", significant" : ", not significant yet"}).`
        : "Not enough judged decisions to compare accuracy yet.",
    );
  }
  lines.push("", "`moe-router experiment promote` applies the candidate; `moe-router experiment stop` returns to control.");
  return `${lines.join("\n")}\n`;
}

/**
 * `moe-router experiment status|stop|promote`: the A/B experiment `tune --experiment` started.
 * status shows control vs candidate with the figures measured so far; promote applies the
 * candidate; stop returns to control. Both are recorded in the thresholds history (and undone
 * with `tune --rollback`).
 */
const experiment: Command = {
  summary: DECLARATIONS.experiment.summary,
  usage,
  async run(argv, io) {
    const { values, positionals } = parseDeclared(DECLARATIONS.experiment, argv);
    const [action, ...extra] = positionals;
    if (action !== "status" && action !== "stop" && action !== "promote") throw argumentError(`Name what to do: status, stop or promote${action ? `; got "${action}"` : ""}.`, usage);
    if (extra.length > 0) throw argumentError(`Unexpected argument "${extra[0]}".`, usage);
    const { config } = await loadRouterConfig(values.config, io.cwd);
    const thresholds = await openThresholdsStore(thresholdsStoreSpec(config, io.cwd), { cwd: io.cwd });
    try {
      if (action === "status") {
        const events = await openStore(storeSpec(config, values.store), { cwd: io.cwd });
        try {
          const status = await experimentStatus(thresholds, { events, synthetic: values["include-synthetic"] ? "include" : "exclude" });
          if (values.json) printJson(io, { thresholds_file: thresholds.description, ...status }, true);
          else printText(io, statusText(status));
        } finally {
          await events.close();
        }
        return 0;
      }
      const options = values.reason !== undefined ? { reason: values.reason } : {};
      const result = action === "promote" ? await promoteExperiment(thresholds, options) : await stopExperiment(thresholds, options);
      if (values.json) printJson(io, { action, file: result.file, entry: result.entry, thresholds_file: result.thresholdsPath }, true);
      else printText(io, `${result.entry.reason}. Thresholds now ${formatThresholds(result.file.thresholds)} (written to ${result.thresholdsPath}; undo with \`moe-router tune --rollback\`).\n`);
      return 0;
    } finally {
      await thresholds.close();
    }
  },
};

export default experiment;
