import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { openStore } from "@moe-router/tracker";
import {
  applyProposalToStore,
  formatProposal,
  openThresholdsStore,
  parseObjective,
  proposeThresholds,
  readTraces,
  startExperimentInStore,
  targetForObjective,
  type BoundMethod,
  type RouteTrace,
  type ThresholdProposal,
} from "@moe-router/tuner";
import { argumentError, numberOption } from "../args.js";
import { parseDeclared, usageOf } from "../declare.js";
import { DECLARATIONS } from "./declarations.js";
import { RANGES } from "../ranges.js";
import type { CliIO, Command } from "../io.js";
import { openSession } from "../session.js";
import { windowOption } from "./analyze.js";
import { parseConstraint } from "./eval.js";
import { storeSpec, thresholdsStoreSpec } from "@moe-router/router";
import { printJson, printText } from "../output.js";
import { runHistoryRequest, takeRollback } from "./tune-history.js";

const usage = usageOf(DECLARATIONS.tune);

const DEFAULT_WINDOW_HOURS = 168;

/**
 * Reads the tracked decisions (with outcomes joined) of the last `hours` as traces. Generated
 * sample decisions (`synthetic: true`) are left out unless `includeSynthetic`: thresholds must
 * not move on sample data.
 */
async function readLogTraces(spec: string, hours: number, io: CliIO, includeSynthetic: boolean): Promise<RouteTrace[]> {
  const store = await openStore(spec, { cwd: io.cwd });
  try {
    const since = new Date(Date.now() - hours * 3_600_000);
    const { traces, syntheticExcluded } = await readTraces(store, { since, synthetic: includeSynthetic ? "include" : "exclude" });
    if (syntheticExcluded > 0) io.stderr(`note: left out ${syntheticExcluded} synthetic (generated sample) decision(s); pass --include-synthetic to tune on them.\n`);
    return traces;
  } finally {
    await store.close();
  }
}

function insufficient(proposal: ThresholdProposal): MoeRouterError {
  const counts = proposal.layers.map((l) => `${l.layer} ${l.samples} of ${proposal.options.minSamples}`).join(", ");
  return new MoeRouterError(
    ErrorCode.INSUFFICIENT_DATA,
    `insufficient samples: ${counts} (decisions with outcomes that reached the layer, out of ${proposal.traces} read). Record more outcomes, lower the minimum with -m, or widen the window with -w.`,
    { data: { samples: Object.fromEntries(proposal.layers.map((l) => [l.layer, l.samples])), minSamples: proposal.options.minSamples } },
  );
}

const tune: Command = {
  summary: DECLARATIONS.tune.summary,
  usage,
  async run(rawArgv, io) {
    const { argv, rollback } = takeRollback(rawArgv);
    const { values } = parseDeclared(DECLARATIONS.tune, argv);
    if (rollback || values.history) {
      if (rollback && values.history) throw argumentError("Give --rollback or --history, not both.");
      return runHistoryRequest({ ...(rollback ? { rollback } : {}), history: values.history === true }, { ...(values.config ? { config: values.config } : {}), json: values.json === true }, io);
    }
    const minSamples = numberOption(values["min-samples"], "-m/--min-samples", { min: 1, max: 1_000_000_000, integer: true, unit: "samples", example: "-m 30" });
    const hours = windowOption(values.window) ?? DEFAULT_WINDOW_HOURS;
    const givenTarget = numberOption(values["target-precision"], "--target-precision", { ...RANGES.openShare, example: "--target-precision 0.9" });
    if (values.objective !== undefined && givenTarget !== undefined)
      throw argumentError("Give --objective or --target-precision, not both (--objective precision:P is the same as --target-precision P).");
    const objective = values.objective !== undefined ? parseObjective(values.objective) : undefined;
    const confidenceLevel = numberOption(values.confidence, "--confidence", { ...RANGES.openShare, example: "--confidence 0.95" });
    const maxStep = numberOption(values["max-step"], "--max-step", { min: 0, max: 1, unit: "threshold points", example: "--max-step 0.05" });
    const bound = values.bound as BoundMethod | undefined;
    if (bound !== undefined && bound !== "wilson" && bound !== "clopper-pearson") {
      throw argumentError(`--bound must be "clopper-pearson" or "wilson"; got ${JSON.stringify(bound)}.`);
    }
    const constraint = parseConstraint(values.constraint);
    const share = numberOption(values.share, "--share", { ...RANGES.openShare, noun: "a share of tasks", example: "--share 0.1" });
    if ((values.experiment === undefined) !== (share === undefined)) {
      throw argumentError("--experiment NAME and --share S go together, e.g. --experiment lower-semantic --share 0.1.");
    }
    if (values.experiment !== undefined && values["dry-run"]) {
      throw argumentError("--dry-run writes nothing, so it cannot start an experiment; drop one of them.");
    }

    // The session gives the layer order and the thresholds in force (config + thresholds file); nothing is routed.
    const session = await openSession({ ...(values.config ? { configFile: values.config } : {}), noTrack: true, verbose: values.verbose === true }, io);
    const layers = [...session.router.cascade.layerNames];
    const current = session.router.cascade.getThresholds();
    const config = session.config;
    await session.close();

    const traces = await readLogTraces(storeSpec(config, values.store), hours, io, values["include-synthetic"] === true);
    // An objective other than a fixed precision is turned into the target precision that meets it on these traces.
    const chosen = objective
      ? targetForObjective(objective, traces, {
          layers,
          current,
          fallbackExpert: config.fallback?.expert ?? "coordinator-master",
          ...(confidenceLevel !== undefined ? { confidenceLevel } : {}),
          ...(bound ? { bound } : {}),
          ...(minSamples !== undefined ? { minSamples } : {}),
        })
      : undefined;
    const targetPrecision = chosen?.targetPrecision ?? givenTarget;
    if (chosen && !values.json) io.stdout(`Objective ${values.objective}: target precision ${chosen.targetPrecision} (${chosen.reason}).\n`);
    const proposal = proposeThresholds(traces, {
      layers,
      current,
      ...(targetPrecision !== undefined ? { targetPrecision } : {}),
      ...(confidenceLevel !== undefined ? { confidenceLevel } : {}),
      ...(bound ? { bound } : {}),
      ...(constraint ? { constraint } : {}),
      ...(minSamples !== undefined ? { minSamples } : {}),
      ...(maxStep !== undefined ? { maxStep } : {}),
      aggressive: values.aggressive === true,
    });
    // The thresholds file, or the shared table of `thresholdsStore` that every instance polls.
    const target = thresholdsStoreSpec(config, io.cwd);
    let path = target.replace(/^(postgres(?:ql)?:\/\/[^:/@]*):[^@/]*@/i, "$1@");
    const allInsufficient = proposal.layers.every((l) => l.status === "insufficient_samples");
    const changed = proposal.layers.some((l) => l.after !== l.before);
    const action = allInsufficient ? "insufficient" : values["dry-run"] ? "dry-run" : !changed ? "unchanged" : values.experiment !== undefined ? "experiment" : "applied";

    let written: { thresholdsPath: string; historyPath: string } | undefined;
    if (action === "applied" || action === "experiment") {
      const store = await openThresholdsStore(target, { cwd: io.cwd });
      try {
        written = action === "applied" ? await applyProposalToStore(store, proposal) : await startExperimentInStore(store, proposal, { name: values.experiment!, share: share! });
        path = written.thresholdsPath;
      } finally {
        await store.close();
      }
    }

    if (values.json) {
      printJson(io, { action, ...(chosen ? { objective, chosen } : {}), proposal, thresholds_file: path, ...(written ? { history_file: written.historyPath } : {}) }, true);
    } else {
      printText(io, `${formatProposal(proposal)}\n\n`);
      const messages: Record<typeof action, string> = {
        insufficient: "Nothing written.",
        "dry-run": `Dry run: nothing written (${path} unchanged).`,
        unchanged: "No threshold moved; nothing written.",
        applied: `Applied: wrote ${path}; history appended to ${written?.historyPath}.`,
        experiment: `Started experiment "${values.experiment}": ${((share ?? 0) * 100).toFixed(1)}% of tasks route with the candidate thresholds (written to ${path}). Compare the variants with \`moe-router analyze\`.`,
      };
      printText(io, `${messages[action]}\n`);
    }
    if (allInsufficient) throw insufficient(proposal);
    return 0;
  },
};

export default tune;
