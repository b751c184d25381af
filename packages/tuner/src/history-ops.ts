/**
 * Threshold operations that can be undone (issue 13): roll back to an earlier entry of the
 * thresholds history, and manage the A/B experiment `startExperimentInStore` began (status with
 * the figures measured so far, promote the candidate, stop and return to control). Every
 * operation is a new document in the store plus a history entry saying what it did, so the
 * history stays the full record and a rollback can itself be rolled back.
 */
import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { analyzeStore, type EventSource, type ExperimentReport } from "@moe-router/tracker";
import { THRESHOLDS_FILE_VERSION, type ThresholdsFile, type ThresholdsFileExperiment, type ThresholdsHistoryEntry } from "./thresholds-file.js";
import type { ThresholdsStore } from "./thresholds-store.js";

/** Options shared by the operations. */
export interface HistoryOperationOptions {
  /** Why (goes into the history entry). */
  readonly reason?: string;
  /** Clock, for tests. */
  readonly now?: () => Date;
}

/** Options of {@link rollbackThresholds}. */
export interface RollbackOptions extends HistoryOperationOptions {
  /**
   * The history entry to restore, numbered from 1 (the oldest) as {@link thresholdsHistory}
   * lists them; 0 restores the state before any tuning (the config's thresholds). Default: the
   * entry before the latest, i.e. undo the latest change.
   */
  readonly to?: number;
}

/** What an operation wrote. */
export interface HistoryOperationResult {
  /** The document now in force. */
  readonly file: ThresholdsFile;
  /** The history entry recorded. */
  readonly entry: ThresholdsHistoryEntry;
  /** Where it went (the store's description). */
  readonly thresholdsPath: string;
}

/** A history entry with its number (1 = the oldest). */
export interface NumberedHistoryEntry extends ThresholdsHistoryEntry {
  readonly number: number;
}

/** The store's history, numbered from 1 (oldest first): the numbers `rollbackThresholds({ to })` takes. */
export async function thresholdsHistory(store: ThresholdsStore): Promise<NumberedHistoryEntry[]> {
  return (await store.history()).map((entry, index) => ({ ...entry, number: index + 1 }));
}

/**
 * The document an entry left in force: recorded with the entry since the history gained
 * `document`; for older entries rebuilt from what they recorded (an apply wrote its `after`,
 * an experiment kept `before` as control and added the experiment).
 */
export function documentOfEntry(entry: ThresholdsHistoryEntry): ThresholdsFile {
  if (entry.document) return entry.document;
  const base = { version: THRESHOLDS_FILE_VERSION, updated_at: entry.time } as const;
  if (entry.action === "experiment" && entry.experiment) return { ...base, thresholds: { ...entry.before }, experiment: entry.experiment };
  return { ...base, thresholds: { ...entry.after } };
}

function clock(options: HistoryOperationOptions): string {
  return (options.now ?? (() => new Date()))().toISOString();
}

/** The document in force now, or an empty one (the config's thresholds) when none was written. */
async function current(store: ThresholdsStore): Promise<ThresholdsFile> {
  return (await store.read()) ?? { version: THRESHOLDS_FILE_VERSION, updated_at: new Date(0).toISOString(), thresholds: {} };
}

/** Control and candidate thresholds of a document's experiment (candidate = control with the candidate's layers). */
function variants(file: ThresholdsFile): { control: Record<string, number>; candidate: Record<string, number> } {
  return { control: { ...file.thresholds }, candidate: { ...file.thresholds, ...file.experiment?.candidate_thresholds } };
}

async function record(store: ThresholdsStore, file: ThresholdsFile, entry: ThresholdsHistoryEntry): Promise<HistoryOperationResult> {
  const withDocument: ThresholdsHistoryEntry = { ...entry, document: file };
  await store.write(file, withDocument);
  return { file, entry: withDocument, thresholdsPath: store.description };
}

/**
 * Restores an earlier entry of the thresholds history (by default the one before the latest:
 * undo the latest change), as a new document with a `rollback` history entry naming the entry
 * restored. Rolling back twice with the default returns to where the first rollback started.
 * @example
 * await rollbackThresholds(await openThresholdsStore(".moe-router/thresholds.json"));
 * @throws MoeRouterError NOT_FOUND when the history is empty, INVALID_ARGUMENT for an entry number it does not hold, STORE_FAILED when writing fails.
 */
export async function rollbackThresholds(store: ThresholdsStore, options: RollbackOptions = {}): Promise<HistoryOperationResult> {
  const history = await store.history();
  if (history.length === 0) {
    throw new MoeRouterError(
      ErrorCode.NOT_FOUND,
      `Nothing to roll back: the thresholds history ${store.historyDescription} is empty. Thresholds change with \`moe-router tune\`; each change is recorded there.`,
    );
  }
  const to = options.to ?? history.length - 1;
  if (!(Number.isInteger(to) && to >= 0 && to <= history.length)) {
    throw new MoeRouterError(
      ErrorCode.INVALID_ARGUMENT,
      `The thresholds history holds entries 1 to ${history.length} (0 restores the config's thresholds); got ${String(options.to)}. List them with \`moe-router tune --history\`.`,
    );
  }
  const now = clock(options);
  const before = await current(store);
  const restored = to === 0 ? { version: THRESHOLDS_FILE_VERSION, updated_at: now, thresholds: {} } : documentOfEntry(history[to - 1]!);
  const file: ThresholdsFile = { ...restored, version: THRESHOLDS_FILE_VERSION, updated_at: now };
  const what = to === 0 ? "the config's thresholds (before any tuning)" : `entry ${to} (${history[to - 1]!.action} of ${history[to - 1]!.time})`;
  return record(store, file, {
    time: now,
    action: "rollback",
    before: { ...before.thresholds },
    after: { ...file.thresholds },
    reason: options.reason ?? `rollback to ${what}`,
    samples: {},
    restored: to,
    ...(file.experiment ? { experiment: file.experiment } : {}),
  });
}

/** The running experiment of a store's document, or a coded error saying there is none. */
async function running(store: ThresholdsStore): Promise<{ file: ThresholdsFile; experiment: ThresholdsFileExperiment }> {
  const file = await store.read();
  if (!file?.experiment) {
    throw new MoeRouterError(ErrorCode.NOT_FOUND, `No experiment is running in ${store.description}. Start one with \`moe-router tune --experiment NAME --share 0.1\`.`);
  }
  return { file, experiment: file.experiment };
}

/**
 * Ends the running experiment by applying its candidate: the candidate thresholds become the
 * control for every task, recorded as a `promote` history entry.
 * @throws MoeRouterError NOT_FOUND when no experiment is running.
 */
export async function promoteExperiment(store: ThresholdsStore, options: HistoryOperationOptions = {}): Promise<HistoryOperationResult> {
  const { file, experiment } = await running(store);
  const { control, candidate } = variants(file);
  const now = clock(options);
  return record(
    store,
    { version: THRESHOLDS_FILE_VERSION, updated_at: now, thresholds: candidate },
    {
      time: now,
      action: "promote",
      before: control,
      after: candidate,
      samples: {},
      experiment,
      reason: options.reason ?? `promoted experiment "${experiment.name}": its candidate thresholds apply to every task`,
    },
  );
}

/**
 * Ends the running experiment and returns to control: every task uses the control thresholds
 * again, recorded as a `stop` history entry.
 * @throws MoeRouterError NOT_FOUND when no experiment is running.
 */
export async function stopExperiment(store: ThresholdsStore, options: HistoryOperationOptions = {}): Promise<HistoryOperationResult> {
  const { file, experiment } = await running(store);
  const { control } = variants(file);
  const now = clock(options);
  return record(
    store,
    { version: THRESHOLDS_FILE_VERSION, updated_at: now, thresholds: control },
    {
      time: now,
      action: "stop",
      before: control,
      after: control,
      samples: {},
      experiment,
      reason: options.reason ?? `stopped experiment "${experiment.name}": every task uses the control thresholds`,
    },
  );
}

/** Options of {@link experimentStatus}. */
export interface ExperimentStatusOptions {
  /** Where the decisions are (the tracker's store): gives the figures measured so far. Absent: thresholds only. */
  readonly events?: EventSource;
  /** Leave generated sample decisions out of the figures ("exclude", the default) or count them. */
  readonly synthetic?: "include" | "exclude";
  /** Clock, for tests. */
  readonly now?: () => Date;
}

/** The running experiment, its variants' thresholds and what was measured so far. */
export interface ExperimentStatus {
  readonly running: boolean;
  readonly name?: string;
  readonly share?: number;
  readonly startedAt?: string;
  /** Thresholds by layer of each variant (candidate = control with the candidate's layers). */
  readonly control?: Readonly<Record<string, number>>;
  readonly candidate?: Readonly<Record<string, number>>;
  /** The tracker's comparison of the variants since the start (decisions, accuracy, coverage, tests); null when no decision of it was found. */
  readonly measured?: ExperimentReport | null;
}

/**
 * Says whether an experiment is running and, given the event store, how control and
 * candidate have done since it started (the tracker's A/B analysis of `ab_test` on decisions).
 * @throws MoeRouterError what reading the thresholds store or the events throws.
 */
export async function experimentStatus(store: ThresholdsStore, options: ExperimentStatusOptions = {}): Promise<ExperimentStatus> {
  const file = await store.read();
  const experiment = file?.experiment;
  if (!file || !experiment) return { running: false };
  const { control, candidate } = variants(file);
  let measured: ExperimentReport | null | undefined;
  if (options.events) {
    const now = (options.now ?? (() => new Date()))().getTime();
    const started = Date.parse(experiment.started_at);
    // The window starts at the experiment's start (a minute earlier for clock skew between hosts).
    const windowHours = Number.isFinite(started) && started < now ? (now - started + 60_000) / 3_600_000 : undefined;
    const report = await analyzeStore(options.events, { now, synthetic: options.synthetic ?? "exclude", ...(windowHours !== undefined ? { windowHours } : {}) });
    measured = report.experiments.find((entry) => entry.experiment === experiment.name) ?? null;
  }
  return {
    running: true,
    name: experiment.name,
    share: experiment.share,
    startedAt: experiment.started_at,
    control,
    candidate,
    ...(measured !== undefined ? { measured } : {}),
  };
}
