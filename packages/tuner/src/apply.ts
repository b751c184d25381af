import { ErrorCode, MoeRouterError, isMoeRouterError, isUnitInterval } from "@moe-router/core";
import { THRESHOLDS_FILE_VERSION, type ThresholdsFile, type ThresholdsFileExperiment } from "./thresholds-file.js";
import { fileThresholdsStore, type ThresholdsStore } from "./thresholds-store.js";
import { checkOwnFiles } from "./internal/ownership.js";
import type { ThresholdProposal } from "./types.js";

/** Options of {@link applyProposal} and {@link startExperiment}. */
export interface ApplyOptions {
  /** Why (goes into the history line). Default: a summary of the proposal. */
  readonly reason?: string;
  /** History file, when writing to a file. Default: next to the thresholds file (`thresholds.history.jsonl`). */
  readonly historyPath?: string;
  /** Clock, for tests. */
  readonly now?: () => Date;
}

/** What was written. */
export interface ApplyResult {
  readonly file: ThresholdsFile;
  /** Where the document went: the file path, or the store's description. */
  readonly thresholdsPath: string;
  /** Where the history went: the history file path, or the store's description. */
  readonly historyPath: string;
  /** Set when the previous file was unusable and was replaced. */
  readonly replacedCorrupt?: MoeRouterError;
}

function samplesByLayer(proposal: ThresholdProposal): Record<string, number> {
  return Object.fromEntries(proposal.layers.map((l) => [l.layer, l.samples]));
}

function summary(proposal: ThresholdProposal): string {
  const moved = proposal.layers.filter((l) => l.after !== l.before).map((l) => `${l.layer} ${l.before}->${l.after}`);
  return `tune: target precision ${proposal.options.targetPrecision} at ${proposal.options.confidenceLevel} confidence; ${moved.length ? moved.join(", ") : "no change"}`;
}

/**
 * Reads the existing document; a corrupt one is reported and treated as absent, since we are
 * about to replace it. For a file store, a file that is not ours at all (no recognisable
 * thresholds content), or a history path holding something else, is refused with
 * MOE_FOREIGN_FILE before anything is written.
 */
async function existing(store: ThresholdsStore): Promise<{ file: ThresholdsFile | undefined; corrupt?: MoeRouterError }> {
  if (store.kind === "file") await checkOwnFiles(store.description, store.historyDescription);
  try {
    return { file: await store.read() };
  } catch (error) {
    if (isMoeRouterError(error, ErrorCode.CORRUPT_FILE)) return { file: undefined, corrupt: error };
    throw error;
  }
}

/** The thresholds file at a path, with the history file of the options. */
function fileStore(path: string, options: ApplyOptions): ThresholdsStore {
  return fileThresholdsStore(path, options.historyPath !== undefined ? { historyPath: options.historyPath } : {});
}

/**
 * Applies a proposal: writes its thresholds to the thresholds file atomically and appends a
 * history line (time, before, after, reason, samples). A running experiment ends, since its
 * control has just changed.
 */
export async function applyProposal(thresholdsPath: string, proposal: ThresholdProposal, options: ApplyOptions = {}): Promise<ApplyResult> {
  return applyProposalToStore(fileStore(thresholdsPath, options), proposal, options);
}

/**
 * {@link applyProposal} into any {@link ThresholdsStore}, e.g. the PostgreSQL table that many
 * router instances poll: a new version with its history entry.
 */
export async function applyProposalToStore(store: ThresholdsStore, proposal: ThresholdProposal, options: ApplyOptions = {}): Promise<ApplyResult> {
  const now = (options.now ?? (() => new Date()))().toISOString();
  const previous = await existing(store);
  const file: ThresholdsFile = {
    version: THRESHOLDS_FILE_VERSION,
    updated_at: now,
    thresholds: { ...previous.file?.thresholds, ...proposal.after },
  };
  const ended = previous.file?.experiment ? `; ended experiment "${previous.file.experiment.name}"` : "";
  await store.write(file, {
    time: now,
    action: "apply",
    before: proposal.before,
    after: proposal.after,
    reason: `${options.reason ?? summary(proposal)}${ended}${previous.corrupt ? "; replaced a corrupt thresholds file" : ""}`,
    samples: samplesByLayer(proposal),
    document: file,
  });
  return { file, thresholdsPath: store.description, historyPath: store.historyDescription, ...(previous.corrupt ? { replacedCorrupt: previous.corrupt } : {}) };
}

/** Options of {@link startExperiment}. */
export interface ExperimentOptions extends ApplyOptions {
  /** Experiment name (recorded on every decision as `ab_test.experiment`). */
  readonly name: string;
  /** Share of tasks (0..1) routed with the candidate thresholds. */
  readonly share: number;
}

/**
 * Starts an A/B experiment instead of applying: the control thresholds stay as they are and
 * the proposal's changed thresholds become the candidate variant, written into the thresholds
 * file so the cascade picks them up. Compare the variants later with `moe-router analyze`.
 */
export async function startExperiment(thresholdsPath: string, proposal: ThresholdProposal, options: ExperimentOptions): Promise<ApplyResult> {
  return startExperimentInStore(fileStore(thresholdsPath, options), proposal, options);
}

/** {@link startExperiment} in any {@link ThresholdsStore} (a file, or a table many instances share). */
export async function startExperimentInStore(store: ThresholdsStore, proposal: ThresholdProposal, options: ExperimentOptions): Promise<ApplyResult> {
  if (typeof options.name !== "string" || !/^[\w.-]{1,64}$/.test(options.name)) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `Experiment name must be 1-64 letters, digits, "_", "-" or "."; got ${JSON.stringify(options.name)}.`);
  }
  if (!isUnitInterval(options.share) || options.share === 0 || options.share === 1) {
    throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `Experiment share must be between 0 and 1 (exclusive), e.g. 0.1 for 10% of traffic; got ${String(options.share)}.`);
  }
  const candidate = Object.fromEntries(Object.entries(proposal.after).filter(([layer, value]) => value !== proposal.before[layer]));
  if (Object.keys(candidate).length === 0) {
    throw new MoeRouterError(
      ErrorCode.INSUFFICIENT_DATA,
      `Nothing to test: the proposal keeps every threshold (${proposal.layers.map((l) => `${l.layer}: ${l.reason}`).join("; ")}). Collect more outcomes, or lower --target-precision.`,
    );
  }
  const now = (options.now ?? (() => new Date()))().toISOString();
  const previous = await existing(store);
  const experiment: ThresholdsFileExperiment = { name: options.name, share: options.share, candidate_thresholds: candidate, started_at: now };
  const file: ThresholdsFile = {
    version: THRESHOLDS_FILE_VERSION,
    updated_at: now,
    thresholds: { ...previous.file?.thresholds, ...proposal.before },
    experiment,
  };
  await store.write(file, {
    time: now,
    action: "experiment",
    before: proposal.before,
    after: { ...proposal.before, ...candidate },
    reason: `${options.reason ?? summary(proposal)}; experiment "${options.name}" on ${(options.share * 100).toFixed(1)}% of tasks`,
    samples: samplesByLayer(proposal),
    experiment,
    document: file,
  });
  return { file, thresholdsPath: store.description, historyPath: store.historyDescription, ...(previous.corrupt ? { replacedCorrupt: previous.corrupt } : {}) };
}
