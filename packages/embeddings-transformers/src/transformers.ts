/**
 * The transformers.js adapter: any sentence-transformers model exported to ONNX, run on
 * ONNX Runtime (CPU) from a local directory or cache, pooled and normalised as
 * sentence-transformers does.
 */
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { batchingEmbedder } from "@moe-router/embeddings";
import { contentTag, locateModel } from "./internal/locate.js";
import { pool } from "./internal/pool.js";
import { loadModel, type LoadedModel, type LoadedTokenizer } from "./internal/runtime.js";
import type { TransformersEmbedder, TransformersEmbedderOptions } from "./types.js";

const OPTION_NAMES = ["modelDir", "model", "localModelPath", "cacheDir", "pooling", "normalize", "quantized", "maxTokens", "maxBatchSize", "maxWaitMs"];
const where = "transformersEmbedder()";

/** Tensor fields used here (transformers.js Tensor). */
interface TensorLike {
  readonly dims: number[];
  readonly data: ArrayLike<number | bigint>;
  dispose?(): void;
}

function invalid(message: string, option: string, value?: unknown): MoeRouterError {
  return new MoeRouterError(ErrorCode.INVALID_CONFIG, `${where}: ${message}`, { data: { option, value } });
}

function checkOptions(options: TransformersEmbedderOptions): void {
  if (options === null || typeof options !== "object") {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `${where} takes an options object, e.g. { modelDir: "./models/all-MiniLM-L6-v2" }.`);
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.includes(key)) {
      throw new MoeRouterError(ErrorCode.UNKNOWN_OPTION, `Unknown option "${key}" in ${where}. Known options: ${OPTION_NAMES.join(", ")}.`, { data: { option: key } });
    }
  }
  if ((options.modelDir === undefined) === (options.model === undefined)) {
    throw invalid('give exactly one of "modelDir" (a directory) or "model" (an id found under localModelPath or cacheDir).', "modelDir");
  }
  if (options.model !== undefined && options.localModelPath === undefined && options.cacheDir === undefined) {
    throw invalid(`"model" needs "localModelPath" or "cacheDir" to look in: this package never downloads.`, "model", options.model);
  }
  if (options.pooling !== undefined && options.pooling !== "mean" && options.pooling !== "cls") {
    throw invalid(`"pooling" must be "mean" or "cls" (got ${JSON.stringify(options.pooling)}); sentence-transformers models mostly use "mean".`, "pooling", options.pooling);
  }
  const minimum = { maxTokens: 1, maxBatchSize: 1 } as const;
  for (const key of Object.keys(minimum) as (keyof typeof minimum)[]) {
    const value = options[key];
    if (value !== undefined && (!Number.isInteger(value) || value < minimum[key])) {
      throw invalid(`"${key}" must be a whole number >= ${minimum[key]} (got ${String(value)}).`, key, value);
    }
  }
  const wait = options.maxWaitMs;
  if (wait !== undefined && (typeof wait !== "number" || !Number.isFinite(wait) || wait < 0)) {
    throw invalid(`"maxWaitMs" must be a number >= 0 (got ${String(wait)}); e.g. 2.`, "maxWaitMs", wait);
  }
}

/** Picks the token-state output: last_hidden_state, token_embeddings, or the first 3-D (or pooled 2-D) tensor. */
function tokenStates(outputs: Record<string, TensorLike>): TensorLike {
  const named = outputs["last_hidden_state"] ?? outputs["token_embeddings"];
  if (named) return named;
  const tensors = Object.values(outputs);
  const found = tensors.find((t) => t.dims.length === 3) ?? tensors.find((t) => t.dims.length === 2);
  if (!found) {
    throw new MoeRouterError(ErrorCode.CORRUPT_FILE, `The model's outputs (${Object.keys(outputs).join(", ")}) hold no [batch, tokens, hidden] tensor; export it with the feature-extraction task.`);
  }
  return found;
}

/** Runs tokenizer + model + pooling on one batch (the batcher runs one batch at a time: ONNX Runtime already uses every core). */
class ModelRunner {
  private closed = false;

  constructor(
    private readonly model: LoadedModel,
    private readonly tokenizer: LoadedTokenizer,
    private readonly settings: { pooling: "mean" | "cls"; normalize: boolean; maxTokens: number },
  ) {}

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    if (this.closed) throw new MoeRouterError(ErrorCode.CLOSED, "The transformers embedder was closed; create a new one.");
    if (texts.length === 0) return [];
    const inputs = this.tokenizer([...texts], { padding: true, truncation: true, max_length: this.settings.maxTokens }) as Record<string, TensorLike>;
    const outputs = (await this.model(inputs)) as Record<string, TensorLike>;
    try {
      const states = tokenStates(outputs);
      const mask = inputs["attention_mask"]!;
      if (states.dims.length === 2) {
        // Already pooled by the export (e.g. a "sentence_embedding" output): only normalise.
        const [batch, hidden] = states.dims as [number, number];
        return pool({ data: Float32Array.from(states.data as ArrayLike<number>), batch, tokens: 1, hidden }, new Array(batch).fill(1), "cls", this.settings.normalize);
      }
      const [batch, tokens, hidden] = states.dims as [number, number, number];
      // fp16 exports return Uint16/Float16 data; Float32Array.from converts either way.
      const data = states.data instanceof Float32Array ? states.data : Float32Array.from(states.data as ArrayLike<number>);
      return pool({ data, batch, tokens, hidden }, mask.data, this.settings.pooling, this.settings.normalize);
    } finally {
      for (const tensor of [...Object.values(outputs), ...Object.values(inputs)]) tensor.dispose?.();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await (this.model as unknown as { dispose(): Promise<unknown> }).dispose();
  }
}

/**
 * Loads a sentence-transformers ONNX model from disk (never from the network) and returns
 * an embedder: tokenise, run, mean-pool with the attention mask, L2-normalise.
 *
 * @example
 * const embedder = await transformersEmbedder({ modelDir: "./models/all-MiniLM-L6-v2" });
 * const [vector] = await embedder.embed(["Fix authentication bug in login system"]);
 */
export async function transformersEmbedder(options: TransformersEmbedderOptions): Promise<TransformersEmbedder> {
  checkOptions(options);
  const quantized = options.quantized ?? false;
  const pooling = options.pooling ?? "mean";
  const normalize = options.normalize ?? true;
  const located = locateModel({ ...options, quantized });
  const [{ model, tokenizer }, tag] = await Promise.all([loadModel(located, quantized), contentTag(located)]);
  const modelMaxLength = (tokenizer as unknown as { model_max_length?: number }).model_max_length;
  const maxTokens = options.maxTokens ?? Math.min(Number.isFinite(modelMaxLength) && modelMaxLength ? modelMaxLength : 512, 512);
  const id = `transformers-v1:${located.name}:${tag}:${pooling}${normalize ? ":norm" : ""}${quantized ? ":q8" : ""}`;
  const runner = new ModelRunner(model, tokenizer, { pooling, normalize, maxTokens });
  // One probe run gives the hidden size (whatever the config calls it) and warms the session up.
  const [probe] = await runner.embed(["dimension probe"]);
  // Calls made close together (or while a batch runs) leave together: one model call at a time.
  return batchingEmbedder(
    {
      id,
      dimension: probe!.length,
      embed: (texts) => runner.embed(texts),
      close: async () => {
        await runner.close();
      },
    },
    { maxBatchSize: options.maxBatchSize ?? 32, maxWaitMs: options.maxWaitMs ?? 0 },
  );
}
