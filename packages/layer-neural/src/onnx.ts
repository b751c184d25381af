import { readFile } from "node:fs/promises";
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import type { OnnxHead, OnnxHeadOptions, TrainedHead } from "./types.js";
import { buildOnnxModel, inspectOnnxModel } from "./internal/onnx-graph.js";

type OrtModule = typeof import("onnxruntime-node");

/** Metadata keys written by {@link exportOnnx} and read by {@link onnxHead}. */
export const ONNX_METADATA = {
  labels: "moe_router_labels",
  temperature: "moe_router_temperature",
  embedderId: "moe_router_embedder_id",
  dimension: "moe_router_dimension",
} as const;

/**
 * Exports a TypeScript-trained head as an ONNX model (input "embedding" [batch, dimension],
 * output "logits" [batch, labels]; Gemm per layer, Relu between), with labels, temperature
 * and embedder id in the model's metadata so {@link onnxHead} needs no other options.
 * @example
 * await writeFile("head.onnx", exportOnnx(head));
 */
export function exportOnnx(head: TrainedHead): Uint8Array {
  return buildOnnxModel(head.layers, {
    [ONNX_METADATA.labels]: JSON.stringify(head.labels),
    [ONNX_METADATA.temperature]: String(head.temperature),
    [ONNX_METADATA.dimension]: String(head.dimension),
    ...(head.embedderId ? { [ONNX_METADATA.embedderId]: head.embedderId } : {}),
  });
}

let runtime: Promise<OrtModule> | undefined;

/** Imports onnxruntime-node once, on first use, so the package works without it. */
function loadRuntime(): Promise<OrtModule> {
  runtime ??= import("onnxruntime-node").then(
    (module) => (module as unknown as { default?: OrtModule }).default ?? module,
    (error: unknown) => {
      runtime = undefined;
      throw new MoeRouterError(
        ErrorCode.NOT_FOUND,
        "The ONNX head needs the optional peer dependency onnxruntime-node, which is not installed. Install it next to @moe-router/layer-neural: `npm i -E onnxruntime-node@1.30.0` (set ONNXRUNTIME_NODE_INSTALL=skip to skip its GPU download), or use a TypeScript-trained head instead.",
        { cause: error },
      );
    },
  );
  return runtime;
}

/**
 * Loads a head exported to ONNX (from PyTorch, or by {@link exportOnnx}) and runs it with
 * onnxruntime-node on the CPU. The graph must take one float32 input [batch, dimension]
 * and give logits [batch, labels] as its first output.
 * @throws MoeRouterError NOT_FOUND (file or onnxruntime-node missing), CORRUPT_FILE (not a
 *   loadable ONNX model), INVALID_CONFIG (no labels, or labels not matching the logits).
 * @example
 * const head = await onnxHead({ path: "router.onnx", labels: ["cicd-master", "security-master"] });
 */
export async function onnxHead(options: OnnxHeadOptions): Promise<OnnxHead> {
  if (!options || typeof options.path !== "string" || !options.path) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, 'onnx.path must name an .onnx file, e.g. { path: "models/router.onnx" }.');
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(options.path);
  } catch (error) {
    throw new MoeRouterError(ErrorCode.NOT_FOUND, `Cannot read ONNX model ${options.path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Check onnx.path.`, { cause: error });
  }
  let info: ReturnType<typeof inspectOnnxModel>;
  try {
    info = inspectOnnxModel(bytes);
  } catch (error) {
    throw new MoeRouterError(ErrorCode.CORRUPT_FILE, `${options.path} is not an ONNX model (${(error as Error).message}). Re-export it (torch.onnx.export or exportOnnx).`, { cause: error });
  }
  const labels = options.labels ?? parseLabels(info.metadata[ONNX_METADATA.labels], options.path);
  const temperature = options.temperature ?? (Number(info.metadata[ONNX_METADATA.temperature]) || 1);
  if (!(temperature > 0)) throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `onnx.temperature must be a positive number; got ${String(temperature)}.`);

  const ort = await loadRuntime();
  let session: Awaited<ReturnType<OrtModule["InferenceSession"]["create"]>>;
  try {
    session = await ort.InferenceSession.create(bytes, { executionProviders: ["cpu"] });
  } catch (error) {
    throw new MoeRouterError(
      ErrorCode.CORRUPT_FILE,
      `onnxruntime-node cannot load ${options.path}: ${(error as Error).message}. Re-export the model (opset 13+, one float32 input [batch, dimension]).`,
      { cause: error },
    );
  }
  const inputName = session.inputNames[0]!;
  const outputName = session.outputNames[0]!;
  const shape = info.inputShapes[inputName] ?? [];
  const declared = Number(info.metadata[ONNX_METADATA.dimension]);
  const dimension = shape.length === 2 && shape[1]! > 0 ? shape[1]! : declared > 0 ? declared : undefined;
  const embedderId = info.metadata[ONNX_METADATA.embedderId];

  return {
    kind: "onnx",
    labels,
    temperature,
    dimension,
    ...(embedderId ? { embedderId } : {}),
    async predictLogits(vector) {
      const input = Float32Array.from(vector);
      const results = await session.run({ [inputName]: new ort.Tensor("float32", input, [1, input.length]) });
      const logits = Float32Array.from(results[outputName]!.data as Float32Array);
      if (logits.length !== labels.length) {
        throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `${options.path} gives ${logits.length} logits but ${labels.length} labels are configured; pass onnx.labels in the model's output order.`);
      }
      return logits;
    },
    async close() {
      await session.release();
    },
  };
}

function parseLabels(text: string | undefined, path: string): string[] {
  const missing = () =>
    new MoeRouterError(ErrorCode.INVALID_CONFIG, `${path} carries no "${ONNX_METADATA.labels}" metadata, so the labels of its logits are unknown. Pass onnx.labels (the class names in output order).`);
  if (text === undefined) throw missing();
  try {
    const labels = JSON.parse(text) as unknown;
    if (Array.isArray(labels) && labels.length > 0 && labels.every((l) => typeof l === "string")) return labels;
  } catch {
    // reported below
  }
  throw missing();
}
