import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { ErrorCode, MoeRouterError, tfidfFromState, writeFileAtomic, type TfidfState } from "@moe-router/core";
import type { DenseLayer, HeadFeatures, HeadKind, ReplayExample, TrainedHead, TrainingMetrics } from "./types.js";
import { decodeFloat32, encodeFloat32 } from "./internal/codec.js";
import { createTrainedHead } from "./internal/head.js";

/** The `format` field of a model file. */
export const MODEL_FORMAT = "moe-router-neural";
/** The `formatVersion` this release writes and reads. */
export const MODEL_FORMAT_VERSION = 1;

/** The JSON header of a model file (the weights follow as base64 float32, little-endian). */
export interface ModelFileHeader {
  readonly format: typeof MODEL_FORMAT;
  readonly formatVersion: number;
  /** Id of the embedder the head was trained with; loading with another one is refused. */
  readonly embedderId: string | null;
  readonly dimension: number;
  readonly labels: readonly string[];
  readonly kind: HeadKind;
  readonly temperature: number;
  readonly version: string;
  /** [outputs, inputs] of each layer, first to last. */
  readonly shapes: readonly (readonly [number, number])[];
  readonly weightsEncoding: "float32-le-base64";
  /** TF-IDF input features (vocabulary and idf), when the head reads them; absent: the embedding alone. */
  readonly features?: { readonly kind: HeadFeatures["kind"]; readonly tfidf: TfidfState };
  readonly metrics?: TrainingMetrics;
  readonly replay?: readonly ReplayExample[];
}

/** Options of {@link parseHead} / {@link loadHead}. */
export interface LoadHeadOptions {
  /** The embedder id in use: a head trained with another embedder is refused (INVALID_CONFIG). */
  readonly embedderId?: string;
  /** Where the text came from, for error messages. */
  readonly source?: string;
}

const RETRAIN = "Retrain it with `moe-router train` (or trainHead + saveHead).";

/** Serialises a head as one JSON document: header fields first, then the weights. */
export function serialiseHead(head: TrainedHead): string {
  const header: ModelFileHeader = {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    embedderId: head.embedderId ?? null,
    dimension: head.dimension,
    labels: head.labels,
    kind: head.kind,
    temperature: head.temperature,
    version: head.version,
    shapes: head.layers.map((layer) => [layer.outputs, layer.inputs] as const),
    weightsEncoding: "float32-le-base64",
    ...(head.features ? { features: { kind: head.features.kind, tfidf: head.features.tfidf.toState() } } : {}),
    ...(head.metrics ? { metrics: head.metrics } : {}),
    ...(head.replay.length ? { replay: head.replay } : {}),
  };
  const weights = encodeFloat32(head.layers.flatMap((layer) => [layer.weights, layer.bias]));
  return `${JSON.stringify({ ...header, weights })}\n`;
}

/**
 * Parses a model file's text.
 * @throws MoeRouterError CORRUPT_FILE when the text is not a model file of this format
 *   version, INVALID_CONFIG when it was trained with another embedder than `options.embedderId`.
 */
export function parseHead(text: string, options: LoadHeadOptions = {}): TrainedHead {
  const source = options.source ?? "model file";
  const corrupt = (why: string, cause?: unknown) => new MoeRouterError(ErrorCode.CORRUPT_FILE, `${source}: ${why}. ${RETRAIN}`, { ...(cause ? { cause } : {}), data: { source } });
  let file: Record<string, unknown>;
  try {
    file = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw corrupt(`not valid JSON (${(error as Error).message})`, error);
  }
  if (!file || typeof file !== "object" || file.format !== MODEL_FORMAT) throw corrupt(`not a ${MODEL_FORMAT} model (format is ${JSON.stringify(file?.format)})`);
  if (file.formatVersion !== MODEL_FORMAT_VERSION) {
    throw corrupt(`format version ${JSON.stringify(file.formatVersion)} is not supported (this release reads version ${MODEL_FORMAT_VERSION})`);
  }
  const embedderId = typeof file.embedderId === "string" ? file.embedderId : undefined;
  if (options.embedderId !== undefined && embedderId !== undefined && embedderId !== options.embedderId) {
    throw new MoeRouterError(
      ErrorCode.INVALID_CONFIG,
      `${source} was trained with embedder "${embedderId}" but the layer uses "${options.embedderId}"; its weights mean nothing for other vectors. Configure the same embedder, or ${RETRAIN.charAt(0).toLowerCase()}${RETRAIN.slice(1)}`,
      { data: { source, expected: embedderId, actual: options.embedderId } },
    );
  }
  const labels = file.labels;
  if (!Array.isArray(labels) || labels.length === 0 || labels.some((l) => typeof l !== "string")) throw corrupt('"labels" must be a non-empty list of strings');
  if (file.kind !== "softmax" && file.kind !== "mlp") throw corrupt(`unknown head kind ${JSON.stringify(file.kind)}`);
  const temperature = file.temperature;
  if (typeof temperature !== "number" || !(temperature > 0)) throw corrupt('"temperature" must be a positive number');
  const shapes = file.shapes;
  const validShape = (s: unknown) => Array.isArray(s) && s.length === 2 && s.every((n) => Number.isInteger(n) && n > 0);
  if (!Array.isArray(shapes) || shapes.length === 0 || !shapes.every(validShape)) throw corrupt('"shapes" must list [outputs, inputs] per layer');
  if (typeof file.weights !== "string") throw corrupt('"weights" is missing');
  const weights = decodeFloat32(file.weights);
  const expected = (shapes as [number, number][]).reduce((sum, [outputs, inputs]) => sum + outputs * inputs + outputs, 0);
  if (!weights || weights.length !== expected) throw corrupt(`weights hold ${weights?.length ?? "an invalid number of"} values but the shapes need ${expected}`);
  let offset = 0;
  const layers: DenseLayer[] = (shapes as [number, number][]).map(([outputs, inputs]) => {
    const layerWeights = weights.slice(offset, offset + outputs * inputs);
    offset += outputs * inputs;
    const bias = weights.slice(offset, offset + outputs);
    offset += outputs;
    return { inputs, outputs, weights: layerWeights, bias };
  });
  if (file.dimension !== layers[0]!.inputs) throw corrupt(`"dimension" ${JSON.stringify(file.dimension)} does not match the first layer's ${layers[0]!.inputs} inputs`);
  let features: HeadFeatures | undefined;
  if (file.features !== undefined) {
    const raw = file.features as { kind?: unknown; tfidf?: TfidfState };
    if (raw?.kind !== "tfidf" && raw?.kind !== "tfidf+embedding") throw corrupt(`unknown features kind ${JSON.stringify(raw?.kind)}`);
    try {
      features = { kind: raw.kind, tfidf: tfidfFromState(raw.tfidf!) };
    } catch (error) {
      throw corrupt((error as Error).message, error);
    }
  }
  const replay = Array.isArray(file.replay) ? (file.replay as ReplayExample[]).filter((r) => r && typeof r.text === "string" && typeof r.label === "string") : [];
  try {
    return createTrainedHead({
      kind: file.kind,
      labels: labels as string[],
      layers,
      temperature,
      embedderId,
      features,
      version: typeof file.version === "string" ? file.version : `${file.kind}-unknown`,
      metrics: file.metrics as TrainingMetrics | undefined,
      replay,
    });
  } catch (error) {
    throw corrupt((error as Error).message, error);
  }
}

/** Writes a head to `path` (directories created; written to a temporary file, then renamed, so readers never see half a file). */
export async function saveHead(head: TrainedHead, path: string): Promise<void> {
  await writeFileAtomic(path, serialiseHead(head));
}

/** Synchronous {@link saveHead}. */
export function saveHeadSync(head: TrainedHead, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, serialiseHead(head));
  renameSync(temporary, path);
}

/**
 * Reads a head saved by {@link saveHead}.
 * @throws MoeRouterError NOT_FOUND when the file is missing, CORRUPT_FILE / INVALID_CONFIG as {@link parseHead}.
 */
export async function loadHead(path: string, options: LoadHeadOptions = {}): Promise<TrainedHead> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw notFound(path, error);
  }
  return parseHead(text, { source: path, ...options });
}

/** Synchronous {@link loadHead}. */
export function loadHeadSync(path: string, options: LoadHeadOptions = {}): TrainedHead {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw notFound(path, error);
  }
  return parseHead(text, { source: path, ...options });
}

function notFound(path: string, error: unknown): MoeRouterError {
  const code = (error as NodeJS.ErrnoException).code;
  return new MoeRouterError(
    code === "ENOENT" ? ErrorCode.NOT_FOUND : ErrorCode.STORE_FAILED,
    `Cannot read model file ${path}: ${code ?? (error as Error).message}. Train one with \`moe-router train --data FILE.jsonl\` or fix the path.`,
    { cause: error, data: { path } },
  );
}
