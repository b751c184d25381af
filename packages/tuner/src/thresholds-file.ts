import { appendFile, mkdir, readFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { ErrorCode, MoeRouterError, isUnitInterval, writeFileAtomic } from "@moe-router/core";

/** Version of the thresholds file format written by this package. */
export const THRESHOLDS_FILE_VERSION = 1;

/** An A/B experiment on thresholds, as stored in the thresholds file. */
export interface ThresholdsFileExperiment {
  readonly name: string;
  /** Share of tasks (0..1) routed with the candidate thresholds. */
  readonly share: number;
  /** Candidate thresholds by layer; other layers keep the control's. */
  readonly candidate_thresholds: Readonly<Record<string, number>>;
  readonly started_at: string;
}

/** The tuned thresholds file (`.moe-router/thresholds.json` by default). */
export interface ThresholdsFile {
  readonly version: 1;
  readonly updated_at: string;
  /** Control thresholds by layer name; layers not named keep the config's. */
  readonly thresholds: Readonly<Record<string, number>>;
  readonly experiment?: ThresholdsFileExperiment;
}

/**
 * One line of the history file (JSONL; one row per version in PostgreSQL), appended by every
 * write: an apply, an experiment start, a rollback, an experiment promoted or stopped.
 */
export interface ThresholdsHistoryEntry {
  readonly time: string;
  readonly action: "apply" | "experiment" | "rollback" | "promote" | "stop";
  readonly before: Readonly<Record<string, number>>;
  readonly after: Readonly<Record<string, number>>;
  readonly reason: string;
  /** Samples behind each layer's move. */
  readonly samples: Readonly<Record<string, number>>;
  readonly experiment?: ThresholdsFileExperiment;
  /** The whole document this entry wrote (entries written before it was added lack it), so any entry can be restored exactly. */
  readonly document?: ThresholdsFile;
  /** For a rollback: the number of the entry restored (1 = the oldest; 0 = the config's thresholds). */
  readonly restored?: number;
}

function corrupt(path: string, problem: string, cause?: unknown): MoeRouterError {
  return new MoeRouterError(
    ErrorCode.CORRUPT_FILE,
    `Thresholds file ${path} is unusable: ${problem}. The previous thresholds stay in force. Fix or delete the file, or run \`moe-router tune\` to write a fresh one.`,
    { ...(cause !== undefined ? { cause } : {}), data: { path } },
  );
}

function checkThresholdMap(value: unknown, path: string, field: string): Record<string, number> {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw corrupt(path, `"${field}" must be an object of layer name -> threshold`);
  for (const [layer, threshold] of Object.entries(value)) {
    if (!isUnitInterval(threshold)) throw corrupt(path, `${field}.${layer} must be a number in [0,1]; got ${JSON.stringify(threshold)}`);
  }
  return value as Record<string, number>;
}

/** Parses and validates the text of a thresholds file; throws MOE_CORRUPT_FILE saying what is wrong. */
export function parseThresholdsFile(text: string, path = "thresholds file"): ThresholdsFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw corrupt(path, `not valid JSON (${(error as Error).message})`, error);
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) throw corrupt(path, "expected a JSON object { version, updated_at, thresholds }");
  const file = value as Record<string, unknown>;
  if (file.version !== THRESHOLDS_FILE_VERSION) throw corrupt(path, `version ${JSON.stringify(file.version)} is not supported (this version reads ${THRESHOLDS_FILE_VERSION})`);
  if (typeof file.updated_at !== "string") throw corrupt(path, '"updated_at" must be an ISO-8601 time string');
  checkThresholdMap(file.thresholds, path, "thresholds");
  if (file.experiment !== undefined) {
    const experiment = file.experiment as Record<string, unknown>;
    if (!experiment || typeof experiment !== "object" || typeof experiment.name !== "string" || !experiment.name) throw corrupt(path, "experiment.name must be a non-empty string");
    if (!isUnitInterval(experiment.share)) throw corrupt(path, `experiment.share must be in [0,1]; got ${JSON.stringify(experiment.share)}`);
    checkThresholdMap(experiment.candidate_thresholds, path, "experiment.candidate_thresholds");
  }
  return file as unknown as ThresholdsFile;
}

/** Reads a thresholds file; `undefined` when it does not exist; MOE_CORRUPT_FILE when it is unusable. */
export async function readThresholdsFile(path: string): Promise<ThresholdsFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new MoeRouterError(ErrorCode.STORE_FAILED, `Cannot read thresholds file ${path}: ${(error as Error).message}. Check its permissions.`, { cause: error });
  }
  return parseThresholdsFile(text, path);
}

/** Result of {@link loadThresholds}. */
export interface LoadedThresholds {
  /** Thresholds to use: the file's, or `previous` when the file is missing or corrupt. */
  readonly thresholds: Readonly<Record<string, number>>;
  readonly experiment?: ThresholdsFileExperiment;
  /** "file" when read from the file, "previous" otherwise. */
  readonly source: "file" | "previous";
  /** The coded error when the file exists but is unusable. */
  readonly error?: MoeRouterError;
}

/**
 * Loads thresholds for a cascade that must keep running: a missing file or a corrupt one
 * leaves `previous` in force (the error is returned, not thrown, so the host can print it).
 */
export async function loadThresholds(path: string, previous: Readonly<Record<string, number>>): Promise<LoadedThresholds> {
  try {
    const file = await readThresholdsFile(path);
    if (!file) return { thresholds: previous, source: "previous" };
    return { thresholds: { ...previous, ...file.thresholds }, ...(file.experiment ? { experiment: file.experiment } : {}), source: "file" };
  } catch (error) {
    if (error instanceof MoeRouterError) return { thresholds: previous, source: "previous", error };
    throw error;
  }
}

/** Writes a thresholds file atomically: a temp file in the same directory, fsync, then rename. */
export async function writeThresholdsFile(path: string, file: ThresholdsFile): Promise<void> {
  parseThresholdsFile(JSON.stringify(file), path); // never write what we would refuse to read
  try {
    await writeFileAtomic(path, `${JSON.stringify(file, null, 2)}\n`, { fsync: true });
  } catch (error) {
    throw new MoeRouterError(ErrorCode.STORE_FAILED, `Cannot write thresholds file ${path}: ${(error as Error).message}. Check the directory exists and is writable.`, { cause: error });
  }
}

/** The history file next to a thresholds file: `thresholds.json` -> `thresholds.history.jsonl`. */
export function historyPathFor(thresholdsPath: string): string {
  const name = basename(thresholdsPath).replace(/\.json$/i, "");
  return join(dirname(thresholdsPath), `${name}.history.jsonl`);
}

/** Appends one entry to the history file (one JSON line; created when missing). */
export async function appendThresholdsHistory(historyPath: string, entry: ThresholdsHistoryEntry): Promise<void> {
  try {
    await mkdir(dirname(historyPath), { recursive: true });
    await appendFile(historyPath, `${JSON.stringify(entry)}\n`, "utf8");
  } catch (error) {
    throw new MoeRouterError(ErrorCode.STORE_FAILED, `Cannot append to thresholds history ${historyPath}: ${(error as Error).message}.`, { cause: error });
  }
}

/** Reads the history file (oldest first); a torn last line is skipped. */
export async function readThresholdsHistory(historyPath: string): Promise<ThresholdsHistoryEntry[]> {
  let text: string;
  try {
    text = await readFile(historyPath, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const entries: ThresholdsHistoryEntry[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      entries.push(JSON.parse(line) as ThresholdsHistoryEntry);
    } catch {
      // A crash mid-append leaves a torn line; the entries before it are still good.
    }
  }
  return entries;
}
