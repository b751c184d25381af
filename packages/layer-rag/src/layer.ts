/**
 * The RAG layer: embed the task, retrieve the k nearest labelled items (past tasks and
 * document chunks), let them vote weighted by similarity, and report a calibrated confidence.
 */
import { createHash } from "node:crypto";
import {
  ErrorCode,
  MoeRouterError,
  applyPlatt,
  expectedCalibrationError,
  fitPlatt,
  type CalibrationReport,
  type LabelledExample,
  type LayerContext,
  type PlattScaler,
  type RoutingTask,
  type Verdict,
} from "@moe-router/core";
import { readCalibrationFile, writeCalibrationFile } from "./internal/calibration-file.js";
import { defineLayer, fallbackExpertOption, type FilledOptions, type LayerOptionSchema } from "@moe-router/core/kit";
import { confidenceFeature, vote } from "./internal/vote.js";
import { embeddedStore, type EmbeddedStore } from "./stores/embedded.js";
import type { Neighbour, RagLayer, RagLayerOptions, VectorItem, VectorStore } from "./types.js";

/** The RAG layer's options: known keys, types, ranges and defaults (the layer kit checks them). */
export const OPTIONS = {
  // A VectorStore object (its dimension is checked against the embedder's).
  store: { type: "object", factoryOnly: true },
  k: { type: "number", integer: true, min: 1, max: 1000, default: 8 },
  weighting: { type: "string", oneOf: ["softmax", "linear", "uniform"], default: "softmax" },
  temperature: { type: "number", min: 0, exclusiveMin: true, max: 10, default: 0.1 },
  minSimilarity: { type: "number", min: -1, max: 1, default: 0 },
  confidenceFeature: { type: "string", oneOf: ["share", "margin", "share-similarity"], default: "share-similarity" },
  calibration: {
    type: "object",
    check: (value: { a?: unknown; b?: unknown }) => (Number.isFinite(value.a) && Number.isFinite(value.b) ? undefined : "must be { a, b } with finite numbers, as returned by layer.calibrate()."),
  },
  calibrationFile: { type: "path", base: "data", allowFalse: true },
  onWarning: { type: "function" },
  name: { type: "string", default: "rag", example: "rag" },
  fallbackExpert: fallbackExpertOption,
  experts: { type: "array", check: (value: unknown[]) => (value.every((e) => typeof e === "string" && e) ? undefined : "must be an array of expert names.") },
  snippetLength: { type: "number", integer: true, min: 8, default: 160 },
} as const satisfies LayerOptionSchema<RagLayerOptions>;

/** The layer's definition: `ragLayer` is its factory, module.ts adds the config entry. */
export const definition = defineLayer<RagLayerOptions>()({ name: "rag", options: OPTIONS, needsEmbedder: true, build: buildRagLayer });

const WHERE = "ragLayer()";
/** Texts embedded per call when learning or calibrating. */
const EMBED_BATCH = 64;

/** Stable id of a learned task: the same text learned twice replaces the older label. */
function taskId(text: string): string {
  return `task:${createHash("sha1").update(text.trim()).digest("hex").slice(0, 24)}`;
}

function snippet(text: string, length: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= length ? flat : `${flat.slice(0, length - 1).trimEnd()}…`;
}

/**
 * Creates the RAG layer. Feed it labelled items with `learn()` (past tasks) or
 * `indexDirectory()` (documents), then `calibrate()` on held-out examples.
 *
 * @example
 * const rag = ragLayer({ embedder: hashedEmbedder(), k: 8 });
 * await rag.learn([{ text: "Rotate the leaked API keys", expert: "security-master" }]);
 * const verdict = await rag.route({ description: "Rotate API keys" }, { eventId: "e1" });
 */
export function ragLayer(options: RagLayerOptions): RagLayer {
  return definition.factory(options);
}

function buildRagLayer(options: FilledOptions<RagLayerOptions, typeof OPTIONS>): RagLayer {
  const { embedder } = options;
  if (options.store && options.store.dimension !== embedder.dimension) {
    throw new MoeRouterError(
      ErrorCode.INVALID_CONFIG,
      `${WHERE}: the store holds ${options.store.dimension}-dimensional vectors but the embedder makes ${embedder.dimension}. Use the embedder the store was built with, or re-index.`,
    );
  }
  const store: VectorStore = options.store ?? embeddedStore({ dimension: embedder.dimension, embedderId: embedder.id });
  const { k, weighting, temperature, minSimilarity, confidenceFeature: feature, fallbackExpert, snippetLength } = options;
  const allowed = options.experts?.length ? new Set(options.experts) : undefined;
  const warn = options.onWarning ?? ((warning: MoeRouterError) => process.emitWarning(warning));
  let scaler: PlattScaler | undefined = options.calibration;
  let calibrationSource: "configured" | "fitted" | "none" = scaler ? "configured" : "none";
  let calibrationSamples = 0;
  const calibrationFile = options.calibrationFile || undefined;
  if (scaler === undefined && calibrationFile !== undefined) {
    try {
      const saved = readCalibrationFile(calibrationFile);
      // A scaler of another feature maps a different number: leave it for a refit.
      if (saved && saved.feature === feature) {
        scaler = saved.scaler;
        calibrationSource = "fitted";
        calibrationSamples = saved.examples;
      }
    } catch (error) {
      warn(error as MoeRouterError);
    }
  }
  const persistent = store.kind !== "embedded" || (store as EmbeddedStore).path !== undefined;

  async function embedMany(texts: readonly string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += EMBED_BATCH) out.push(...(await embedder.embed(texts.slice(start, start + EMBED_BATCH))));
    return out;
  }

  /** Retrieval and vote for one embedded task: the raw feature plus the evidence. */
  async function decide(vector: Float32Array, experts: ReadonlySet<string> | undefined) {
    const found = await store.query(vector, k);
    const neighbours = found.filter((n) => n.score >= minSimilarity && (!experts || experts.has(n.expert)));
    if (neighbours.length === 0) return { neighbours, result: undefined, raw: 0 };
    const result = vote(neighbours, weighting, temperature);
    return { neighbours, result, raw: confidenceFeature(result, feature) };
  }

  const confidenceOf = (raw: number) => Math.min(1, Math.max(0, scaler ? applyPlatt(scaler, raw) : raw));

  function describe(neighbours: readonly Neighbour[]) {
    return neighbours.map((n) => ({
      id: n.id,
      expert: n.expert,
      score: Number(n.score.toFixed(4)),
      source: n.source,
      ...(n.path !== undefined ? { path: n.path } : {}),
      text: snippet(n.text, snippetLength),
    }));
  }

  return {
    name: options.name ?? "rag",
    capabilities: { learn: true, calibrate: true, deterministic: true, async: true, persistence: persistent, ...(options.experts ? { experts: [...options.experts] } : {}) },
    store,
    get calibration() {
      return scaler;
    },

    async route(task: RoutingTask, context: LayerContext): Promise<Verdict> {
      const [vector] = await embedder.embed([task.description]);
      context.signal?.throwIfAborted();
      const experts = allowed ?? (context.experts?.length ? new Set(context.experts) : undefined);
      const { neighbours, result, raw } = await decide(vector!, experts);
      if (!result) {
        const reason = (await store.count()) === 0 ? "the index is empty" : "no neighbour is similar enough";
        return { expert: fallbackExpert, confidence: 0, details: { neighbours: [], reason } };
      }
      const probabilities = Object.fromEntries(result.ranked);
      return {
        expert: result.ranked[0]![0],
        confidence: confidenceOf(raw),
        probabilities,
        details: {
          neighbours: describe(neighbours),
          feature: { name: feature, value: raw },
          calibrated: scaler !== undefined,
          calibration_source: calibrationSource,
          calibration_samples: calibrationSamples,
        },
      };
    },

    async learn(examples: readonly LabelledExample[]) {
      const usable = examples.filter((e) => typeof e?.text === "string" && e.text.trim() && typeof e.expert === "string" && e.expert);
      if (usable.length === 0) return;
      const vectors = await embedMany(usable.map((e) => e.text));
      const items: VectorItem[] = [];
      usable.forEach((example, i) => {
        // A text with nothing the embedder can represent has a zero vector: it can never be retrieved.
        if (!vectors[i]!.some((v) => v !== 0)) return;
        items.push({
          id: taskId(example.text),
          vector: vectors[i]!,
          expert: example.expert,
          text: example.text,
          source: example.source === "document" ? "document" : "task",
          ...(example.weight !== undefined && example.weight > 0 ? { weight: example.weight } : {}),
        });
      });
      await store.upsert(items);
      await store.flush?.();
    },

    async calibrate(validation: readonly LabelledExample[]): Promise<CalibrationReport<PlattScaler>> {
      const usable = validation.filter((e) => typeof e?.text === "string" && e.text.trim() && typeof e.expert === "string");
      if (usable.length < 2) {
        throw new MoeRouterError(ErrorCode.INSUFFICIENT_DATA, `calibrate() needs held-out labelled examples (got ${usable.length}); pass e.g. 10% of your labelled tasks, kept out of learn().`);
      }
      const vectors = await embedMany(usable.map((e) => e.text));
      const raws: number[] = [];
      const correct: boolean[] = [];
      for (let i = 0; i < usable.length; i++) {
        const { result, raw } = await decide(vectors[i]!, allowed);
        raws.push(raw);
        correct.push(result !== undefined && result.ranked[0]![0] === usable[i]!.expert);
      }
      const fitted = fitPlatt(raws, correct);
      const eceBefore = expectedCalibrationError(
        raws.map((r) => Math.min(1, Math.max(0, r))),
        correct,
      );
      scaler = fitted;
      calibrationSource = "fitted";
      calibrationSamples = usable.length;
      const accuracy = correct.filter(Boolean).length / usable.length;
      if (calibrationFile !== undefined) {
        try {
          await writeCalibrationFile(calibrationFile, { scaler: fitted, feature, examples: usable.length, accuracy });
        } catch (error) {
          throw new MoeRouterError(
            ErrorCode.STORE_FAILED,
            `The calibration was fitted but could not be saved to ${calibrationFile}: ${(error as Error).message}. Check the directory and its permissions; until then the layer uses it only in this process.`,
            { cause: error },
          );
        }
      }
      return {
        parameters: fitted,
        examples: usable.length,
        accuracy,
        eceBefore,
        eceAfter: expectedCalibrationError(
          raws.map((r) => confidenceOf(r)),
          correct,
        ),
      };
    },

    async close() {
      await store.close();
    },
  };
}
