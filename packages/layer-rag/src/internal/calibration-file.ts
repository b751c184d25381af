/**
 * The RAG layer's calibration file: the fitted Platt scaler, so a calibration made by
 * `calibrate()` (or `moe-router train`) is in force after a restart without a config edit.
 *
 *     { "format": "moe-router/rag-calibration", "version": 1, "feature": "share-similarity",
 *       "a": 9.1, "b": -4.2, "examples": 120, "accuracy": 0.83 }
 */
import { readFileSync } from "node:fs";
import { ErrorCode, MoeRouterError, writeFileAtomic, type PlattScaler } from "@moe-router/core";
import type { ConfidenceFeature } from "../types.js";

const FORMAT = "moe-router/rag-calibration";

/** A saved calibration: the scaler, the feature it maps, and what it was fitted on. */
export interface SavedCalibration {
  readonly scaler: PlattScaler;
  readonly feature: ConfidenceFeature;
  readonly examples: number;
}

/**
 * Reads a calibration file. Undefined when it does not exist; a MOE_CORRUPT_FILE error when it
 * exists but is not a calibration this layer wrote.
 */
export function readCalibrationFile(path: string): SavedCalibration | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new MoeRouterError(ErrorCode.STORE_FAILED, `Cannot read the RAG calibration file ${path}: ${(error as Error).message}. Check its permissions.`, { cause: error });
  }
  const corrupt = (why: string) =>
    new MoeRouterError(ErrorCode.CORRUPT_FILE, `The RAG calibration file ${path} is unusable (${why}); the layer runs uncalibrated. Run \`moe-router train\` again (or delete the file).`, {
      data: { path },
    });
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw corrupt("not valid JSON");
  }
  if (value?.format !== FORMAT || value.version !== 1) throw corrupt(`not a ${FORMAT} version 1 file`);
  const { a, b, feature, examples } = value;
  if (typeof a !== "number" || !Number.isFinite(a) || typeof b !== "number" || !Number.isFinite(b)) throw corrupt('"a" and "b" must be finite numbers');
  if (feature !== "share" && feature !== "margin" && feature !== "share-similarity") throw corrupt(`unknown feature ${JSON.stringify(feature)}`);
  return { scaler: { a, b }, feature, examples: typeof examples === "number" ? examples : 0 };
}

/** Writes a calibration file atomically. */
export async function writeCalibrationFile(path: string, calibration: SavedCalibration & { readonly accuracy: number }): Promise<void> {
  const body = { format: FORMAT, version: 1, feature: calibration.feature, a: calibration.scaler.a, b: calibration.scaler.b, examples: calibration.examples, accuracy: calibration.accuracy };
  await writeFileAtomic(path, `${JSON.stringify(body, null, 2)}\n`);
}
