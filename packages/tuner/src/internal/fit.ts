import { performance } from "node:perf_hooks";
import { ErrorCode, MoeRouterError, isMoeRouterError, type LabelledExample, type Layer } from "@moe-router/core";
import type { FitRecord } from "../types.js";

/** A few figures from a calibration report, whatever layer returned it. */
function describe(report: unknown): string | undefined {
  if (!report || typeof report !== "object") return undefined;
  const r = report as Record<string, unknown> & { weights?: unknown[]; members?: unknown[] };
  const parts: string[] = [];
  if (typeof r.accuracy === "number") parts.push(`val accuracy ${(r.accuracy * 100).toFixed(1)}%`);
  if (typeof r.eceBefore === "number" && typeof r.eceAfter === "number") parts.push(`ECE ${r.eceBefore.toFixed(3)} -> ${r.eceAfter.toFixed(3)}`);
  if (typeof r.bestEpoch === "number" && typeof r.epochsRun === "number") parts.push(`epochs ${r.bestEpoch}/${r.epochsRun}`);
  if (typeof r.temperature === "number") parts.push(`T ${r.temperature.toFixed(2)}`);
  if (Array.isArray(r.weights) && Array.isArray(r.members)) parts.push(`weights ${r.members.map((m, i) => `${String(m)} ${Number(r.weights![i]).toFixed(2)}`).join(", ")}`);
  return parts.length ? parts.join(", ") : undefined;
}

/**
 * Fits each learnable layer on the training examples. A layer with `fit()` fits itself with
 * the validation rows as held-out data (its calibration); otherwise `learn()` then, where
 * offered, `calibrate()` on the validation rows. Calibration is monotone in the layer's score,
 * so calibrating and tuning thresholds on the same validation rows does not leak the test set.
 */
export async function fitLayers(
  layers: readonly Layer[],
  train: readonly LabelledExample[],
  validation: readonly LabelledExample[],
  onProgress?: (progress: { stage: "fit"; done: number; total: number; layer?: string }) => void,
): Promise<FitRecord[]> {
  const records: FitRecord[] = [];
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i]!;
    onProgress?.({ stage: "fit", done: i, total: layers.length, layer: layer.name });
    const started = performance.now();
    let method: FitRecord["method"] = "none";
    let note: string | undefined;
    try {
      await layer.ready?.();
      if (typeof layer.fit === "function" && validation.length) {
        note = describe(await layer.fit(train, { validation }));
        method = "fit";
      } else if (typeof layer.learn === "function") {
        await layer.learn(train);
        method = "learn";
        if (typeof layer.calibrate === "function" && validation.length) {
          try {
            note = describe(await layer.calibrate(validation));
            method = "learn+calibrate";
          } catch (error) {
            // A calibration that cannot be fitted (e.g. every validation row right) leaves the layer's own confidences.
            if (!isMoeRouterError(error)) throw error;
            note = `calibration skipped: ${error.message}`;
          }
        }
      }
    } catch (error) {
      throw new MoeRouterError(ErrorCode.LAYER_FAILED, `Layer "${layer.name}" failed to fit on ${train.length} training examples: ${(error as Error).message}`, { cause: error });
    }
    records.push({ layer: layer.name, method, examples: method === "none" ? 0 : train.length, ms: performance.now() - started, ...(note ? { note } : {}) });
  }
  onProgress?.({ stage: "fit", done: layers.length, total: layers.length });
  return records;
}
