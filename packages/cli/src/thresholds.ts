import { resolve } from "node:path";
import { ErrorCode, isMoeRouterError } from "@moe-router/core";
import { readThresholdsFile, type ThresholdsFile } from "@moe-router/tuner";
import type { RouterConfig } from "./config/types.js";
import type { CliIO } from "./io.js";

/** Where the tuned thresholds file lives when the config does not say. */
export const DEFAULT_THRESHOLDS_FILE = ".moe-router/thresholds.json";

/** Absolute path of the config's thresholds file (relative paths resolve against `cwd`). */
export function thresholdsFilePath(config: RouterConfig, cwd: string): string {
  return resolve(cwd, config.thresholdsFile ?? DEFAULT_THRESHOLDS_FILE);
}

/** What the session uses from the thresholds file. */
export interface SessionThresholds {
  /** The config, with the file's experiment (if any) in place of the config's. */
  readonly config: RouterConfig;
  /** Tuned thresholds by layer name; absent when there is no usable file. */
  readonly thresholds?: Readonly<Record<string, number>>;
  readonly path: string;
  /** The file as read, when it was usable. */
  readonly file?: ThresholdsFile;
}

/**
 * Reads the tuned thresholds file for a session. Missing file: the config's thresholds.
 * Corrupt file: the config's thresholds stay in force and a coded MOE_CORRUPT_FILE error is
 * printed on stderr, so routing keeps working while the problem is visible.
 */
export async function loadSessionThresholds(config: RouterConfig, io: CliIO): Promise<SessionThresholds> {
  const path = thresholdsFilePath(config, io.cwd);
  let file: ThresholdsFile | undefined;
  try {
    file = await readThresholdsFile(path);
  } catch (error) {
    if (!isMoeRouterError(error, ErrorCode.CORRUPT_FILE) && !isMoeRouterError(error, ErrorCode.STORE_FAILED)) throw error;
    io.stderr(`error [${error.code}]: ${error.message}\n`);
    return { config, path };
  }
  if (!file) return { config, path };
  const experiment = file.experiment
    ? { name: file.experiment.name, share: file.experiment.share, candidateThresholds: { ...file.experiment.candidate_thresholds } }
    : config.experiment;
  return { config: { ...config, ...(experiment ? { experiment } : {}) }, thresholds: file.thresholds, path, file };
}
