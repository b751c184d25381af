import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { evaluate, formatEvaluation, loadEvaluationData, type EvaluationProgress, type PrecisionConstraint } from "@moe-router/tuner";
import { numberOption, parseCommandArgs } from "../args.js";
import { loadRouterConfig } from "@moe-router/router";
import type { RouterConfig } from "@moe-router/router";
import type { Command } from "../io.js";
import { progressBar, type ProgressBar } from "../progress.js";
import { buildRouter } from "@moe-router/router";
import { RANGES } from "../ranges.js";
import { printJson, printText } from "../output.js";

const usage = "moe-router eval --data FILE.jsonl [--label-field label] [--text-field text] [--split-field split] [--train-split train] [--val-split val] [--test-split test] [--oos-label LABEL] [--config FILE] [--target-precision P|auto] [--constraint cascade|layer] [--val-share 0.1] [--seed 42] [--no-tune] [--json]";

/**
 * The built-in evaluation cascade: semantic -> RAG -> neural over the model-free hashed
 * embedder, at the prototype's default thresholds (semantic 0.70, RAG 0.85, neural 0.90).
 * The keyword layer is left out: its rules name the platform's experts, not a dataset's labels.
 */
export const EVAL_CONFIG: RouterConfig = {
  // The cache saves re-embedding a text for each of the three layers.
  embedder: { package: "@moe-router/embeddings", options: { cache: 50_000 } },
  layers: [
    // No exemplars of the platform's experts: the layer learns the dataset's labels from train.
    { package: "@moe-router/layer-semantic", threshold: 0.7, options: { experts: {}, persist: false } },
    { package: "@moe-router/layer-rag", threshold: 0.85, options: { store: "memory" } },
    // Keep every training example: the default buffer (5,000) would drop most of a dataset's rows.
    { package: "@moe-router/layer-neural", threshold: 0.9, options: { learnBufferSize: 100_000 } },
  ],
};

/** With the built-in config, the hashed embedder's IDF weights are fitted on the training texts (never test). */
function withIdf(config: RouterConfig, trainTexts: readonly string[]): RouterConfig {
  if (config !== EVAL_CONFIG || !config.embedder) return config;
  return { ...config, embedder: { ...config.embedder, options: { ...config.embedder.options, idfCorpus: [...trainTexts] } } };
}

const FALLBACK_EXPERT = "coordinator-master";

/** Reads --constraint (shared with `tune`). */
export function parseConstraint(value: string | undefined): PrecisionConstraint | undefined {
  if (value === undefined || value === "cascade" || value === "layer") return value;
  throw new MoeRouterError(ErrorCode.INVALID_ARGUMENT, `--constraint must be "cascade" (all accepted decisions together, the default) or "layer" (each layer's own); got "${value}".`);
}

const command: Command = {
  summary: "Evaluate a cascade on a labelled JSONL dataset: fit on train, tune on val, report test accuracy, coverage, latency and risk-coverage.",
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      data: { type: "string" },
      "label-field": { type: "string" },
      "text-field": { type: "string" },
      "split-field": { type: "string" },
      "train-split": { type: "string" },
      "val-split": { type: "string" },
      "test-split": { type: "string" },
      "oos-label": { type: "string" },
      config: { type: "string", short: "c" },
      "target-precision": { type: "string" },
      constraint: { type: "string" },
      "val-share": { type: "string" },
      seed: { type: "string" },
      "no-tune": { type: "boolean" },
      json: { type: "boolean" },
    }, usage, false);
    if (!values.data) throw new MoeRouterError(ErrorCode.INVALID_ARGUMENT, `--data FILE.jsonl is required. Usage: ${usage}`);
    const target = values["target-precision"];
    const targetPrecision = target === undefined || target === "auto" ? "auto" : numberOption(target, "--target-precision", { ...RANGES.openShare, example: '--target-precision 0.9, or "auto"' })!;
    const valShare = numberOption(values["val-share"], "--val-share", { ...RANGES.openShare, example: "--val-share 0.1" });
    const seed = numberOption(values.seed, "--seed", RANGES.seed);
    const constraint = parseConstraint(values.constraint);

    const dataPath = resolve(io.cwd, values.data);
    const data = await loadEvaluationData(dataPath, {
      ...(values["label-field"] ? { labelField: values["label-field"] } : {}),
      ...(values["text-field"] ? { textField: values["text-field"] } : {}),
      ...(values["split-field"] ? { splitField: values["split-field"] } : {}),
      ...(values["train-split"] ? { trainSplit: values["train-split"] } : {}),
      ...(values["val-split"] ? { valSplit: values["val-split"] } : {}),
      ...(values["test-split"] ? { testSplit: values["test-split"] } : {}),
    });
    const oosLabel = values["oos-label"];
    const loaded = values.config ? await loadRouterConfig(values.config, io.cwd) : undefined;
    const base = loaded?.config ?? EVAL_CONFIG;
    const fallbackExpert = base.fallback?.expert ?? FALLBACK_EXPERT;
    const labels = [...new Set(data.train.map((row) => row.label).filter((label) => label !== oosLabel))].sort();
    // Layers learn into a throwaway data directory, so an evaluation never touches the live one.
    const dataDir = await mkdtemp(join(tmpdir(), "moe-router-eval-"));
    const config: RouterConfig = {
      ...withIdf(base, data.train.filter((row) => row.label !== oosLabel).map((row) => row.text)),
      experts: [...labels, ...(labels.includes(fallbackExpert) ? [] : [fallbackExpert])],
      fallback: { ...base.fallback, expert: fallbackExpert },
      dataDir,
      tracking: { enabled: false },
      experiment: undefined,
      shadowShare: undefined,
    };
    let bar: ProgressBar | undefined;
    let stage: string | undefined;
    const onProgress = (progress: EvaluationProgress) => {
      if (progress.stage !== stage) {
        stage = progress.stage;
        bar = progressBar(progress.stage.padEnd(10), progress.total, io.stderr, io.isTTY);
      }
      if (progress.done < progress.total) bar?.update(progress.done, progress.layer ?? "");
      else bar?.finish();
    };
    const router = await buildRouter(config, { cwd: io.cwd, ...(loaded ? { configDir: loaded.configDir } : {}) });
    try {
      const thresholds = router.cascade.getThresholds();
      const report = await evaluate({
        layers: router.layers.map((layer) => ({ layer, threshold: thresholds[layer.name]! })),
        data,
        ...(oosLabel !== undefined ? { oosLabel } : {}),
        fallbackExpert,
        tune: values["no-tune"] !== true,
        targetPrecision,
        ...(constraint ? { constraint } : {}),
        ...(valShare !== undefined ? { valShare } : {}),
        ...(seed !== undefined ? { seed } : {}),
        onProgress,
      });
      if (values.json) printJson(io, { dataset: dataPath, config: values.config ? resolve(io.cwd, values.config) : "built-in eval config", ...report }, true);
      else printText(io, `${formatEvaluation(report, `Evaluation of ${basename(dataPath)}`)}\n`);
      return 0;
    } finally {
      await router.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
};

export default command;
