import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import type { Layer } from "@moe-router/core";
import { fusionLayer } from "@moe-router/layer-fusion";
import { evaluate, formatEvaluation, holdOutIntents, loadEvaluationData, parseObjective, type EvaluationProgress, type Objective, type PrecisionConstraint } from "@moe-router/tuner";
import { numberOption } from "../args.js";
import { parseDeclared, usageOf } from "../declare.js";
import { DECLARATIONS } from "./declarations.js";
import { loadRouterConfig } from "@moe-router/router";
import type { RouterConfig } from "@moe-router/router";
import { cliLogger, type Command } from "../io.js";
import { progressBar, type ProgressBar } from "../progress.js";
import { buildRouter } from "@moe-router/router";
import { RANGES } from "../ranges.js";
import { printJson, printText } from "../output.js";

const usage = usageOf(DECLARATIONS.eval);

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
    // TF-IDF word + char n-grams fitted on train (a linear head over them is the TF-IDF + LR
    // baseline); fit() early-stops and calibrates on val. Keep every training example for replay.
    // minDf 1 and at most 30 epochs: as the scikit-learn baseline's vectoriser, and bounded fit time.
    { package: "@moe-router/layer-neural", threshold: 0.9, options: { features: "tfidf", tfidf: { minDf: 1 }, fitEpochs: 30, learnBufferSize: 100_000 } },
  ],
};

/** With the built-in config, the hashed embedder's IDF weights are fitted on the training texts (never test). */
function withIdf(config: RouterConfig, trainTexts: readonly string[]): RouterConfig {
  if (config !== EVAL_CONFIG || !config.embedder) return config;
  return { ...config, embedder: { ...config.embedder, options: { ...config.embedder.options, idfCorpus: [...trainTexts] } } };
}

const FALLBACK_EXPERT = "coordinator-master";
const DEFAULT_FUSION_THRESHOLD = 0.6;

/** Reads --fusion. */
function parseFusion(value: string | undefined): "off" | "last" | "alone" {
  if (value === undefined || value === "off" || value === "last" || value === "alone") return value ?? "off";
  throw new MoeRouterError(
    ErrorCode.INVALID_CONFIG,
    `--fusion must be "off" (the cascade as configured), "last" (a fusion layer after the others) or "alone" (only the fusion layer); got "${value}".`,
  );
}

/** The cascade's layers with --fusion applied (the fusion layer reuses the members' verdicts, or runs them itself alone). */
function withFusion(
  layers: readonly Layer[],
  thresholds: Readonly<Record<string, number>>,
  mode: "off" | "last" | "alone",
  fusionThreshold: number,
  fallbackExpert: string,
): { layer: Layer; threshold: number }[] {
  if (mode === "off") return layers.map((layer) => ({ layer, threshold: thresholds[layer.name]! }));
  const fusion = fusionLayer({ members: layers, fallbackExpert, fitMembers: mode === "alone", ownMembers: false });
  if (mode === "alone") return [{ layer: fusion, threshold: fusionThreshold }];
  return [...fusion.members.map((layer) => ({ layer, threshold: thresholds[layer.name]! })), { layer: fusion, threshold: fusionThreshold }];
}

/** Reads --constraint (shared with `tune`). */
export function parseConstraint(value: string | undefined): PrecisionConstraint | undefined {
  if (value === undefined || value === "cascade" || value === "layer") return value;
  throw new MoeRouterError(ErrorCode.INVALID_ARGUMENT, `--constraint must be "cascade" (all accepted decisions together, the default) or "layer" (each layer's own); got "${value}".`);
}

const command: Command = {
  summary: DECLARATIONS.eval.summary,
  usage,
  async run(argv, io) {
    const { values } = parseDeclared(DECLARATIONS.eval, argv);
    if (!values.data) throw new MoeRouterError(ErrorCode.INVALID_ARGUMENT, `--data FILE.jsonl is required. Usage: ${usage}`);
    const target = values["target-precision"];
    const targetPrecision = target === undefined || target === "auto" ? "auto" : numberOption(target, "--target-precision", { ...RANGES.openShare, example: '--target-precision 0.9, or "auto"' })!;
    const valShare = numberOption(values["val-share"], "--val-share", { ...RANGES.openShare, example: "--val-share 0.1" });
    const seed = numberOption(values.seed, "--seed", RANGES.seed);
    const constraint = parseConstraint(values.constraint);
    if (values.objective !== undefined && target !== undefined)
      throw new MoeRouterError(ErrorCode.INVALID_CONFIG, "Give --objective or --target-precision, not both (--objective precision:P is the same as --target-precision P).");
    const objective: Objective | undefined = values.objective !== undefined ? parseObjective(values.objective) : undefined;
    const fusion = parseFusion(values.fusion);
    const fusionThreshold = numberOption(values["fusion-threshold"], "--fusion-threshold", { ...RANGES.share, noun: "a threshold", example: "--fusion-threshold 0.7" }) ?? DEFAULT_FUSION_THRESHOLD;
    const holdOut = numberOption(values["hold-out-intents"], "--hold-out-intents", { integer: true, min: 1, max: 10_000, unit: "intents", example: "--hold-out-intents 5" });

    const dataPath = resolve(io.cwd, values.data);
    let data = await loadEvaluationData(dataPath, {
      ...(values["label-field"] ? { labelField: values["label-field"] } : {}),
      ...(values["text-field"] ? { textField: values["text-field"] } : {}),
      ...(values["split-field"] ? { splitField: values["split-field"] } : {}),
      ...(values["train-split"] ? { trainSplit: values["train-split"] } : {}),
      ...(values["val-split"] ? { valSplit: values["val-split"] } : {}),
      ...(values["test-split"] ? { testSplit: values["test-split"] } : {}),
    });
    const oosLabel = values["oos-label"] ?? (holdOut !== undefined ? "oos" : undefined);
    let heldOut: readonly string[] | undefined;
    if (holdOut !== undefined) {
      const held = holdOutIntents(data, { count: holdOut, ...(seed !== undefined ? { seed } : {}), label: oosLabel! });
      data = { ...data, train: held.train, val: held.val, test: held.test };
      heldOut = held.heldOut;
    }
    if (values["oos-class"] && oosLabel === undefined)
      throw new MoeRouterError(ErrorCode.INVALID_CONFIG, "--oos-class trains the out-of-scope rows as a class: name them with --oos-label LABEL (or make some with --hold-out-intents N).");
    const loaded = values.config ? await loadRouterConfig(values.config, io.cwd) : undefined;
    const base = loaded?.config ?? EVAL_CONFIG;
    const fallbackExpert = base.fallback?.expert ?? FALLBACK_EXPERT;
    const labels = [...new Set(data.train.map((row) => row.label).filter((label) => label !== oosLabel))].sort();
    // Layers learn into a throwaway data directory, so an evaluation never touches the live one.
    const dataDir = await mkdtemp(join(tmpdir(), "moe-router-eval-"));
    const config: RouterConfig = {
      ...withIdf(
        base,
        data.train.filter((row) => row.label !== oosLabel).map((row) => row.text),
      ),
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
    const router = await buildRouter(config, { cwd: io.cwd, ...(loaded ? { configDir: loaded.configDir } : {}), logger: cliLogger(io, values.verbose === true) });
    try {
      const thresholds = router.cascade.getThresholds();
      const report = await evaluate({
        layers: withFusion(router.layers, thresholds, fusion, fusionThreshold, fallbackExpert),
        data,
        ...(oosLabel !== undefined ? { oosLabel } : {}),
        ...(values["oos-class"] ? { outOfScopeClass: true } : {}),
        ...(objective ? { objective } : {}),
        fallbackExpert,
        tune: values["no-tune"] !== true,
        targetPrecision,
        ...(constraint ? { constraint } : {}),
        ...(valShare !== undefined ? { valShare } : {}),
        ...(seed !== undefined ? { seed } : {}),
        onProgress,
      });
      const setup = { fusion, ...(fusion !== "off" ? { fusionThreshold } : {}), ...(heldOut ? { heldOutIntents: heldOut } : {}), outOfScopeClass: values["oos-class"] === true };
      if (values.json) printJson(io, { dataset: dataPath, config: values.config ? resolve(io.cwd, values.config) : "built-in eval config", setup, ...report }, true);
      else printText(io, `${formatEvaluation(report, `Evaluation of ${basename(dataPath)}`)}\n`);
      return 0;
    } finally {
      await router.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
};

export default command;
