/**
 * Loading through transformers.js, offline.
 *
 * The model is always loaded by its absolute directory (found by `locateModel`), not by id:
 * transformers.js 4.3.1 looks for tokenizer_config.json without the `cache_dir` option
 * (`get_tokenizer_files` ignores it), so a model id in a custom cache directory loads
 * without its tokenizer config; and an absolute path needs no change to the global
 * `env.localModelPath`, which other users of transformers.js in the process may rely on.
 * transformers.js is imported on first use, so importing this package does not load ONNX Runtime.
 */
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import type { LocatedModel } from "./locate.js";

type Transformers = typeof import("@huggingface/transformers");
/** A loaded model: callable with tokenizer output, returns named tensors. */
export type LoadedModel = Awaited<ReturnType<Transformers["AutoModel"]["from_pretrained"]>>;
/** A loaded tokenizer: callable with texts. */
export type LoadedTokenizer = Awaited<ReturnType<Transformers["AutoTokenizer"]["from_pretrained"]>>;

/** Loads tokenizer and model; never touches the network (`env.allowRemoteModels = false`, `local_files_only`). */
export async function loadModel(located: LocatedModel, quantized: boolean): Promise<{ model: LoadedModel; tokenizer: LoadedTokenizer }> {
  const { env, AutoModel, AutoTokenizer } = await import("@huggingface/transformers");
  // This package's promise is "never downloads"; a remote fallback would break it silently.
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  try {
    const tokenizer = await AutoTokenizer.from_pretrained(located.dir, { local_files_only: true });
    const model = await AutoModel.from_pretrained(located.dir, { local_files_only: true, device: "cpu", dtype: quantized ? "q8" : "fp32" });
    return { model, tokenizer };
  } catch (error) {
    throw new MoeRouterError(
      ErrorCode.CORRUPT_FILE,
      `transformers.js could not load the model in ${located.dir} (${(error as Error).message}). ` +
        "Check that it is a sentence-transformers ONNX export (config.json, tokenizer.json, onnx/model.onnx) of a supported architecture.",
      { cause: error, data: { dir: located.dir } },
    );
  }
}
