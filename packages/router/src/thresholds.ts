import { watchFile, unwatchFile } from "node:fs";
import { access } from "node:fs/promises";
import { resolve } from "node:path";
import { ErrorCode, isMoeRouterError } from "@moe-router/core";
import type { ThresholdsFile } from "@moe-router/tuner";
import type { RouterConfig } from "./config/types.js";
import { DEFAULT_THRESHOLDS_FILE } from "./defaults.js";
import { silentLogger, type RouterLogger } from "./logger.js";

/** Absolute path of the config's thresholds file (relative paths resolve against `cwd`). */
export function thresholdsFilePath(config: RouterConfig, cwd: string): string {
  return resolve(cwd, config.thresholdsFile ?? DEFAULT_THRESHOLDS_FILE);
}

/**
 * Where tuned thresholds (and a running A/B experiment) come from. The default reads the
 * thresholds file `moe-router tune` writes; a service can plug in another source (e.g. a
 * PostgreSQL table shared by several instances) with the same shape.
 */
export interface ThresholdsSource {
  /** Human-readable location, for messages ("thresholds file /x/thresholds.json"). */
  readonly description: string;
  /**
   * The current tuned thresholds; `undefined` when none were written yet.
   * @throws MoeRouterError CORRUPT_FILE or STORE_FAILED when they cannot be used.
   */
  read(): Promise<ThresholdsFile | undefined>;
  /**
   * Calls `onChange` (at most every `intervalMs`) when the thresholds may have changed;
   * returns the function that stops watching. Optional: without it, only `reload()` rereads.
   */
  watch?(onChange: () => void, options: { readonly intervalMs: number }): () => void;
}

/**
 * Reads the thresholds file, loading the tuner (its reader) only when there is a file: a router
 * that was never tuned starts without it.
 */
async function readTunedFile(path: string): Promise<ThresholdsFile | undefined> {
  try {
    await access(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
  }
  const { readThresholdsFile } = await import("@moe-router/tuner");
  return readThresholdsFile(path);
}

/**
 * The thresholds file as a {@link ThresholdsSource}. Watching polls the file's metadata
 * (fs.watchFile), so a file replaced atomically by `moe-router tune` on this host or on a
 * shared file system is seen within `intervalMs`.
 */
export function fileThresholdsSource(path: string): ThresholdsSource {
  return {
    description: `thresholds file ${path}`,
    read: () => readTunedFile(path),
    watch(onChange, { intervalMs }) {
      // A watching router runs for long: load the reader now, not when the first change lands.
      void import("@moe-router/tuner").catch(() => undefined);
      const listener = (current: { mtimeMs: number; size: number; ino: number }, previous: { mtimeMs: number; size: number; ino: number }) => {
        if (current.mtimeMs !== previous.mtimeMs || current.size !== previous.size || current.ino !== previous.ino) onChange();
      };
      const watcher = watchFile(path, { interval: intervalMs, persistent: false }, listener);
      watcher.unref?.();
      return () => unwatchFile(path, listener);
    },
  };
}

/**
 * Reads a thresholds source. Missing: `undefined`. Corrupt or unreadable: the error is logged
 * (`error [MOE_CORRUPT_FILE]: ...`) and `undefined` returned, so the thresholds already in
 * force (the config's at start-up) stay and routing keeps working while the problem is visible.
 */
export async function readThresholdsSafely(source: ThresholdsSource, logger: RouterLogger = silentLogger): Promise<{ file?: ThresholdsFile; error?: Error }> {
  try {
    const file = await source.read();
    return file ? { file } : {};
  } catch (error) {
    if (!isMoeRouterError(error, ErrorCode.CORRUPT_FILE) && !isMoeRouterError(error, ErrorCode.STORE_FAILED)) throw error;
    logger.warn(`error [${error.code}]: ${error.message}`);
    return { error };
  }
}

/** The config with the tuned file's experiment (if any) in place of the config's. */
export function withTunedExperiment(config: RouterConfig, file: ThresholdsFile | undefined): RouterConfig {
  if (!file?.experiment) return config;
  const { name, share, candidate_thresholds } = file.experiment;
  return { ...config, experiment: { name, share, candidateThresholds: { ...candidate_thresholds } } };
}

/** Where a threshold in force comes from. */
export type ThresholdSource = "config" | "thresholds-file";

/** One layer's threshold in force and where it comes from. */
export interface LayerThreshold {
  readonly layer: string;
  /** The control threshold in force. */
  readonly threshold: number;
  readonly source: ThresholdSource;
  /** The threshold the config gives this layer (what applies without a tuned value). */
  readonly configThreshold: number;
  /** When an A/B experiment gives this layer a candidate threshold for a share of tasks. */
  readonly experiment?: { readonly name: string; readonly share: number; readonly threshold: number; readonly source: ThresholdSource };
}

/** Thresholds in force for the whole cascade. */
export interface ThresholdsReport {
  readonly layers: readonly LayerThreshold[];
  /** Where tuned values are read from (e.g. "thresholds file /x/.moe-router/thresholds.json"). */
  readonly source: string;
  /** When the tuned values were written (the file's `updated_at`). */
  readonly updatedAt?: string;
  readonly experiment?: { readonly name: string; readonly share: number; readonly source: ThresholdSource };
}

/** Computes the thresholds in force from the config's layer thresholds and a tuned file. */
export function thresholdsInForce(
  layers: readonly { readonly name: string; readonly configThreshold: number }[],
  config: RouterConfig,
  file: ThresholdsFile | undefined,
  sourceDescription: string,
): ThresholdsReport {
  const experiment = file?.experiment
    ? { name: file.experiment.name, share: file.experiment.share, candidate: file.experiment.candidate_thresholds, source: "thresholds-file" as const }
    : config.experiment
      ? { name: config.experiment.name, share: config.experiment.share, candidate: config.experiment.candidateThresholds, source: "config" as const }
      : undefined;
  return {
    source: sourceDescription,
    ...(file ? { updatedAt: file.updated_at } : {}),
    ...(experiment ? { experiment: { name: experiment.name, share: experiment.share, source: experiment.source } } : {}),
    layers: layers.map(({ name, configThreshold }) => {
      const tuned = file?.thresholds[name];
      const candidate = experiment?.candidate[name];
      return {
        layer: name,
        threshold: tuned ?? configThreshold,
        source: tuned !== undefined ? "thresholds-file" : "config",
        configThreshold,
        ...(experiment && candidate !== undefined ? { experiment: { name: experiment.name, share: experiment.share, threshold: candidate, source: experiment.source } } : {}),
      };
    }),
  };
}
