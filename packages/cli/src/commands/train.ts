import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { ErrorCode, MoeRouterError, type Embedder } from "@moe-router/core";
import { defaultModelPath, resolveModelPath, saveHead, trainHead, type TrainedHead, type TrainingExample } from "@moe-router/layer-neural";
import { numberOption } from "../args.js";
import { parseDeclared, usageOf } from "../declare.js";
import { DECLARATIONS } from "./declarations.js";
import { DEFAULT_DATA_DIR, importEmbedderModule, loadRouterConfig, storeSpec } from "@moe-router/router";
import type { RouterConfig } from "@moe-router/router";
import { RANGES } from "../ranges.js";
import type { CliIO, Command } from "../io.js";
import { progressBar } from "../progress.js";
import { printJson, printText } from "../output.js";
import { readLogLabels, type LabelledText } from "./log-labels.js";
import { describeFit, fitLayers, namedEntries, type LayerFitResult, type NamedEntry } from "./train-layers.js";

const usage = usageOf(DECLARATIONS.train);
const NEURAL_PACKAGE = "@moe-router/layer-neural";
/** The embedder used when the config names none: the same one `{ "package": "@moe-router/embeddings" }` gives. */
const DEFAULT_EMBEDDER = "@moe-router/embeddings";
const EMBED_BATCH = 256;

/**
 * Rows of a JSONL dataset: those of split "train" when any row has one, else all rows
 * (so a plain `{ text, label }` file works as it is).
 */
async function readDataset(path: string, textField: string, labelField: string): Promise<LabelledText[]> {
  let content: string;
  try {
    content = await readFile(path, "utf8");
  } catch (error) {
    throw new MoeRouterError(ErrorCode.NOT_FOUND, `Cannot read dataset ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Check the --data path.`, { cause: error });
  }
  const rows: Record<string, unknown>[] = [];
  content.split("\n").forEach((line, index) => {
    if (!line.trim()) return;
    try {
      rows.push(JSON.parse(line) as Record<string, unknown>);
    } catch (error) {
      throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `${path}:${index + 1} is not valid JSON (${(error as Error).message}); the dataset must have one JSON object per line.`, { cause: error });
    }
  });
  const chosen = rows.some((row) => row.split === "train") ? rows.filter((row) => row.split === "train") : rows;
  return chosen.map((row, index) => {
    const text = row[textField];
    const label = row[labelField];
    if (typeof text !== "string" || !text.trim() || typeof label !== "string" || !label) {
      throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `${path}: row ${index + 1} has no string "${textField}" and "${labelField}"; name the fields with --text-field / --label-field.`);
    }
    return { text, label };
  });
}

/** Where the neural layer of this config loads its model. */
function modelPathFor(config: RouterConfig, dataDir: string): string {
  const entry = config.layers.find((layer) => layer.package === NEURAL_PACKAGE || layer.package.endsWith("/layer-neural"));
  return entry ? resolveModelPath(entry.options, dataDir) : defaultModelPath(dataDir);
}

async function embedAll(embedder: Embedder, texts: readonly string[], io: CliIO): Promise<Float32Array[]> {
  const bar = progressBar("embedding", texts.length, io.stderr, io.isTTY);
  const vectors: Float32Array[] = [];
  for (let start = 0; start < texts.length; start += EMBED_BATCH) {
    vectors.push(...(await embedder.embed(texts.slice(start, start + EMBED_BATCH))));
    // The last step is drawn by finish(); drawing it here too would print 100% twice.
    if (vectors.length < texts.length) bar.update(vectors.length);
  }
  bar.finish();
  return vectors;
}

const fixed = (value: number | undefined, digits = 3) => (value === undefined ? "n/a" : value.toFixed(digits));

function summaryLines(head: TrainedHead, out: string, sources: string[]): string {
  const m = head.metrics!;
  const c = m.calibration;
  const stop = m.stoppedEarly ? `stopped early after ${m.epochsRun}, kept epoch ${m.bestEpoch}` : `${m.epochsRun} epochs`;
  return [
    `Trained a ${head.kind} head on ${m.trainExamples} examples (${m.validationExamples} held out for validation), ${head.labels.length} labels, in ${(m.durationMs / 1000).toFixed(1)}s (${stop}).`,
    `Accuracy: train ${fixed(m.trainAccuracy)}, validation ${fixed(m.validationAccuracy)}.`,
    c
      ? `Calibration: temperature ${c.temperature.toFixed(3)}; validation ECE ${fixed(c.eceBefore)} -> ${fixed(c.eceAfter)}, NLL ${fixed(c.nllBefore)} -> ${fixed(c.nllAfter)}.`
      : "Calibration: none (a validation split needs at least 10 examples), temperature 1.",
    `Sources: ${sources.join("; ")}.`,
    `Saved to ${out} (embedder ${head.embedderId}).`,
  ].join("\n");
}

/**
 * Which layers to train: `--layer` names (a layer's name or kind), or by default every layer
 * of the config (those that cannot be fitted are skipped) plus the neural head, which is
 * trained even when the config does not name it yet (for a config that adds it later).
 */
function chooseLayers(config: RouterConfig, requested: string | undefined): { others: NamedEntry[]; required: boolean; neural: boolean } {
  const named = namedEntries(config);
  const others = named.filter((entry) => entry.kind !== "neural");
  if (requested === undefined) return { others, required: false, neural: true };
  const names = requested
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  const known = [...new Set(["neural", ...named.flatMap((entry) => [entry.name, entry.kind])])];
  const unknown = names.filter((name) => !known.includes(name));
  if (names.length === 0 || unknown.length > 0) {
    throw new MoeRouterError(
      ErrorCode.INVALID_CONFIG,
      `--layer ${names.length === 0 ? "needs at least one layer name" : `names no layer of this config: ${unknown.join(", ")}`}; the config's layers are ${known.join(", ")} (comma-separated, e.g. --layer semantic,rag).`,
    );
  }
  const neuralNames = new Set(["neural", ...named.filter((entry) => entry.kind === "neural").map((entry) => entry.name)]);
  return {
    others: others.filter((entry) => names.includes(entry.name) || names.includes(entry.kind)),
    required: true,
    neural: names.some((name) => neuralNames.has(name)),
  };
}

const command: Command = {
  summary: DECLARATIONS.train.summary,
  usage,
  async run(argv, io) {
    const { values } = parseDeclared(DECLARATIONS.train, argv);
    const fromLog = values["from-log"] === true || values.store !== undefined;
    if (!values.data && !fromLog) {
      throw new MoeRouterError(
        ErrorCode.INVALID_ARGUMENT,
        `Nothing to train on: give --data FILE.jsonl (rows { text, label }) and/or --from-log (corrected outcomes in the tracker's log). Usage: ${usage}`,
      );
    }
    const kind = values.kind ?? "softmax";
    if (kind !== "softmax" && kind !== "mlp") throw new MoeRouterError(ErrorCode.INVALID_ARGUMENT, `--kind must be "softmax" or "mlp"; got "${kind}".`);
    const classWeights = values["class-weights"] ?? "none";
    if (classWeights !== "balanced" && classWeights !== "none") throw new MoeRouterError(ErrorCode.INVALID_ARGUMENT, `--class-weights must be "balanced" or "none"; got "${classWeights}".`);
    const epochs = numberOption(values.epochs, "--epochs", { min: 1, max: 100_000, integer: true, unit: "epochs", example: "--epochs 30" }) ?? 30;
    const seed = numberOption(values.seed, "--seed", RANGES.seed);

    const { config, configDir } = await loadRouterConfig(values.config, io.cwd);
    const targets = chooseLayers(config, values.layer);
    const dataDir = resolve(io.cwd, config.dataDir ?? DEFAULT_DATA_DIR);
    const labelled: LabelledText[] = [];
    const sources: string[] = [];
    if (values.data) {
      const path = resolve(io.cwd, values.data);
      const rows = await readDataset(path, values["text-field"] ?? "text", values["label-field"] ?? "label");
      labelled.push(...rows);
      sources.push(`dataset ${path} (${rows.length} rows)`);
    }
    if (fromLog) {
      const spec = storeSpec(config, values.store);
      const log = await readLogLabels(spec, io.cwd, values["include-synthetic"] === true);
      labelled.push(...log.examples);
      const synthetic = log.synthetic ? `, ${log.synthetic} synthetic sample decisions left out (--include-synthetic counts them)` : "";
      sources.push(`log ${spec} (${log.examples.length} labelled outcomes, ${log.skipped} decisions without a usable outcome skipped${synthetic})`);
    }
    if (labelled.length === 0) {
      throw new MoeRouterError(
        ErrorCode.INSUFFICIENT_DATA,
        `No labelled examples found (${sources.join("; ")}). Record outcomes with \`moe-router outcome\` (was_correct_master or user_corrected_to) or give --data.`,
      );
    }

    const embedderRef = config.embedder ?? { package: DEFAULT_EMBEDDER };
    const embedder: Embedder = await (await importEmbedderModule(embedderRef.package, { configDir, cwd: io.cwd })).createEmbedder(embedderRef.options ?? {}, { dataDir });
    try {
      const fitted: LayerFitResult[] = await fitLayers(
        config,
        targets.others,
        labelled.map((e) => ({ text: e.text, expert: e.label, source: "dataset" })),
        {
          base: { configDir, cwd: io.cwd },
          dataDir,
          embedder,
          seed: seed ?? 42,
          required: targets.required,
        },
      );
      if (!targets.neural) {
        io.stdout(values.json ? `${JSON.stringify({ sources, layers: fitted })}\n` : `${[...fitted.map(describeFit), `Sources: ${sources.join("; ")}.`].join("\n")}\n`);
        return 0;
      }
      const vectors = await embedAll(
        embedder,
        labelled.map((e) => e.text),
        io,
      );
      const examples: TrainingExample[] = labelled.map((e, i) => ({ vector: vectors[i]!, label: e.label, text: e.text }));
      const bar = progressBar("training", epochs, io.stderr, io.isTTY);
      const head = trainHead(examples, {
        kind: kind,
        epochs,
        classWeights,
        embedderId: embedder.id,
        ...(seed !== undefined ? { seed } : {}),
        onProgress: (epoch, m) => {
          const note = `loss ${m.trainLoss.toFixed(3)}${m.validationAccuracy !== undefined ? ` val acc ${m.validationAccuracy.toFixed(3)}` : ""}`;
          if (epoch < epochs) bar.update(epoch, note);
        },
      });
      const last = head.metrics!.history.at(-1);
      bar.finish(head.metrics!.stoppedEarly ? `stopped early at epoch ${head.metrics!.epochsRun}, kept ${head.metrics!.bestEpoch}` : last ? `loss ${last.trainLoss.toFixed(3)}` : undefined);
      const out = values.out ? resolve(io.cwd, values.out) : modelPathFor(config, dataDir);
      await saveHead(head, out);
      if (values.json) {
        const { history: _history, ...metrics } = head.metrics!;
        printJson(io, { out, labels: head.labels, embedder: embedder.id, temperature: head.temperature, sources, ...metrics, layers: fitted });
      } else {
        printText(io, `${[...fitted.map(describeFit), summaryLines(head, out, sources)].join("\n")}\n`);
      }
      return 0;
    } finally {
      await embedder.close?.();
    }
  },
};

export default command;
