/**
 * Finds a model's files on disk before transformers.js is asked to load them, so a missing
 * file gets a coded error that names the path and the fix instead of a generic loader error.
 */
import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { ErrorCode, MoeRouterError } from "@moe-router/core";

/** Where the model was found, and what to call transformers.js with. */
export interface LocatedModel {
  /** Absolute directory holding config.json, tokenizer.json and onnx/. */
  readonly dir: string;
  /** Short name for the embedder id. */
  readonly name: string;
  /** The ONNX file that will be loaded. */
  readonly onnxFile: string;
}

const REQUIRED = ["config.json", "tokenizer.json", "tokenizer_config.json"];

/** ONNX file name for the chosen weights, as transformers.js names them (dtype suffix). */
export function onnxFileName(quantized: boolean): string {
  return quantized ? "model_quantized.onnx" : "model.onnx";
}

function missingFiles(dir: string, onnxFile: string): string[] {
  return [...REQUIRED, join("onnx", onnxFile)].filter((file) => !existsSync(join(dir, file)));
}

/** Locates `modelDir`, or `model` under `localModelPath` then `cacheDir`. Throws MOE_NOT_FOUND. */
export function locateModel(options: { modelDir?: string; model?: string; localModelPath?: string; cacheDir?: string; quantized: boolean }): LocatedModel {
  const onnxFile = onnxFileName(options.quantized);
  if (options.modelDir !== undefined) {
    const dir = resolve(options.modelDir);
    const missing = missingFiles(dir, onnxFile);
    if (missing.length > 0) {
      throw new MoeRouterError(
        ErrorCode.NOT_FOUND,
        `Model directory ${dir} lacks ${missing.join(", ")}. Export a sentence-transformers model with ` +
          "`optimum-cli export onnx --model sentence-transformers/all-MiniLM-L6-v2 <dir>` (move model.onnx into <dir>/onnx/), " +
          `or copy a Xenova/* repo${options.quantized ? "; or drop `quantized` to use onnx/model.onnx" : ""}.`,
        { data: { dir, missing } },
      );
    }
    return { dir, name: basename(dir), onnxFile };
  }
  const model = options.model!;
  const roots = [options.localModelPath, options.cacheDir].filter((root): root is string => root !== undefined);
  for (const root of roots) {
    const dir = resolve(root, model);
    if (missingFiles(dir, onnxFile).length === 0) return { dir, name: model, onnxFile };
  }
  throw new MoeRouterError(
    ErrorCode.NOT_FOUND,
    `Model "${model}" was not found under ${roots.map((r) => resolve(r, model)).join(" or ") || "(no localModelPath or cacheDir given)"}; ` +
      `this package never downloads. On a machine with network: \`huggingface-cli download ${model} --local-dir <localModelPath>/${model}\`, ` +
      "then copy that directory here and pass localModelPath (or pass modelDir).",
    { data: { model, roots } },
  );
}

/** Short SHA-256 over the files that decide the vectors, so the id changes when they do. */
export async function contentTag(located: LocatedModel): Promise<string> {
  const hash = createHash("sha256");
  for (const file of ["config.json", "tokenizer.json", join("onnx", located.onnxFile)]) {
    hash.update(`${file}\n`);
    // Streamed: an ONNX file can be hundreds of megabytes.
    for await (const chunk of createReadStream(join(located.dir, file))) hash.update(chunk as Buffer);
  }
  return hash.digest("hex").slice(0, 12);
}
