import { ErrorCode, MoeRouterError } from "@moe-router/core";
import {
  analyzeJsonlDetailed,
  analyzeStore,
  listLogFiles,
  openStore,
  parseStoreSpec,
  renderAnalysisText,
  renderTimeSeriesText,
  timeSeriesJsonl,
  timeSeriesStore,
  type AnalysisReport,
  type AnalyzerOptions,
  type BucketUnit,
  type DataIssues,
  type TimeSeries,
} from "@moe-router/tracker";
import { numberOption } from "../args.js";
import { parseDeclared, usageOf } from "../declare.js";
import { DECLARATIONS } from "./declarations.js";
import { loadRouterConfig } from "@moe-router/router";
import type { CliIO, Command } from "../io.js";
import { storeSpec } from "@moe-router/router";
import { RANGES } from "../ranges.js";
import { printJson } from "../output.js";

const usage = usageOf(DECLARATIONS.analyze);

/** Options shared by analyze, dashboard and report. */
export interface AnalysisSource {
  readonly windowHours?: number;
  readonly layer?: string;
  readonly store?: string;
  readonly config?: string;
  /** Threads parsing a JSONL log (default: one per CPU, at most 4, for logs over 16 MiB). */
  readonly workers?: number;
  /** Skip the JSONL log's columnar analysis cache (`--no-cache`): parse the whole log. */
  readonly noCache?: boolean;
  /** Count generated sample decisions (`synthetic: true`) too (`--include-synthetic`); left out by default. */
  readonly includeSynthetic?: boolean;
}

/**
 * The JSONL log path of a store spec (the tracker's grammar, `parseStoreSpec`), or undefined for
 * another kind of store (PostgreSQL).
 * @throws MoeRouterError INVALID_CONFIG for a spec that names no known store.
 */
export function jsonlPath(spec: string, cwd: string): string | undefined {
  const parsed = parseStoreSpec(spec, { cwd });
  return parsed.kind === "jsonl" ? parsed.path : undefined;
}

/** True when the log or one of its rotated files (the JSONL store's naming: events-2026-11.jsonl, events.1.jsonl) exists. */
export async function logExists(path: string): Promise<boolean> {
  return (await listLogFiles(path)).length > 0;
}

/**
 * Analyses the configured store: the JSONL log through the fast parallel reader, any other
 * store through `analyzeStore` (PostgreSQL computes the report in SQL). Warns on stderr about skipped lines.
 * @throws MoeRouterError NOT_FOUND when the JSONL log does not exist yet.
 */
export async function analyzeSource(source: AnalysisSource, io: CliIO): Promise<{ report: AnalysisReport; spec: string }> {
  const { config } = await loadRouterConfig(source.config, io.cwd);
  const spec = storeSpec(config, source.store);
  const options: AnalyzerOptions = {
    ...(source.windowHours !== undefined ? { windowHours: source.windowHours } : {}),
    ...(source.layer !== undefined ? { layer: source.layer } : {}),
    synthetic: source.includeSynthetic ? "include" : "exclude",
  };
  const path = jsonlPath(spec, io.cwd);
  if (path !== undefined) {
    if (!(await logExists(path))) {
      throw new MoeRouterError(
        ErrorCode.NOT_FOUND,
        `No event log at ${path}. Route some tasks first (moe-router route "..."), or name the log with --store (sample data from moe-router generate is in .moe-router/sample-events.jsonl: --store .moe-router/sample-events.jsonl --include-synthetic).`,
      );
    }
    const { report } = await analyzeJsonlDetailed(path, { ...options, ...(source.workers !== undefined ? { workers: source.workers } : {}), ...(source.noCache ? { cache: false } : {}) });
    warnAboutData(report.dataIssues, path, io);
    noteSynthetic(report, io);
    return { report, spec };
  }
  const store = await openStore(spec, { cwd: io.cwd });
  try {
    const report = await analyzeStore(store, options);
    warnAboutData(report.dataIssues, store.description, io);
    noteSynthetic(report, io);
    return { report, spec };
  } finally {
    await store.close();
  }
}

const UNITS = ["minute", "hour", "day", "auto"] as const;

/** Reads --by: a bucket unit. */
export function byOption(value: string | undefined): BucketUnit | "auto" | undefined {
  if (value === undefined) return undefined;
  if (!(UNITS as readonly string[]).includes(value)) throw new MoeRouterError(ErrorCode.INVALID_ARGUMENT, `--by must be one of ${UNITS.join(", ")}; got "${value}" (e.g. --by hour).`);
  return value as BucketUnit | "auto";
}

/**
 * The time series of the configured store over the source's window: the JSONL log through
 * its analysis cache, PostgreSQL in SQL.
 * @throws MoeRouterError NOT_FOUND when the JSONL log does not exist yet.
 */
export async function seriesSource(source: AnalysisSource, by: BucketUnit | "auto", io: CliIO): Promise<TimeSeries> {
  const { config } = await loadRouterConfig(source.config, io.cwd);
  const spec = storeSpec(config, source.store);
  const options = {
    by,
    synthetic: source.includeSynthetic ? ("include" as const) : ("exclude" as const),
    ...(source.windowHours !== undefined ? { windowHours: source.windowHours } : {}),
    ...(source.layer !== undefined ? { layer: source.layer } : {}),
  };
  const path = jsonlPath(spec, io.cwd);
  if (path !== undefined) {
    if (!(await logExists(path))) {
      throw new MoeRouterError(
        ErrorCode.NOT_FOUND,
        `No event log at ${path}. Route some tasks first (moe-router route "..."), or name the log with --store (sample data from moe-router generate is in .moe-router/sample-events.jsonl: --store .moe-router/sample-events.jsonl --include-synthetic).`,
      );
    }
    return timeSeriesJsonl(path, { ...options, ...(source.noCache ? { cache: false } : {}) });
  }
  const store = await openStore(spec, { cwd: io.cwd });
  try {
    return await timeSeriesStore(store, options);
  } finally {
    await store.close();
  }
}

/** Says on stderr how many sample decisions were left out, and how to count them. */
function noteSynthetic(report: AnalysisReport, io: CliIO): void {
  if (report.syntheticExcluded > 0) {
    io.stderr(`note: left out ${report.syntheticExcluded} synthetic (generated sample) decision(s); pass --include-synthetic to count them.\n`);
  }
}

/** The stderr warning about skipped data, from the report's own counts (so `--json` says the same). */
function warnAboutData(issues: DataIssues, where: string, io: CliIO): void {
  const parts = [
    issues.tornLines ? `${issues.tornLines} unreadable line(s) (torn by a crash?)` : "",
    issues.invalidRecords ? `${issues.invalidRecords} malformed or non-routing record(s)` : "",
    issues.duplicates ? `${issues.duplicates} duplicate decision(s) (counted once)` : "",
    issues.invalidFields ? `${issues.invalidFields} out-of-range or mistyped field(s) (ignored)` : "",
  ].filter(Boolean);
  if (parts.length > 0) io.stderr(`warning: skipped ${parts.join(", ")} in ${where} (see "dataIssues" in --json)\n`);
}

/** True when colours should be used: a terminal, and NO_COLOR unset. */
export function useColor(io: CliIO): boolean {
  return io.isTTY && !io.env.NO_COLOR;
}

/** Reads -w as hours, more than 0 and at most about a century. */
export function windowOption(value: string | undefined): number | undefined {
  return numberOption(value, "-w/--window", RANGES.windowHours);
}

/**
 * `moe-router analyze`: per-layer attempts, acceptance, escalation, accuracy, calibration,
 * latency, experts, corrections, clarifications and A/B comparisons, as text or JSON.
 */
const analyze: Command = {
  summary: DECLARATIONS.analyze.summary,
  usage,
  async run(argv, io) {
    const { values } = parseDeclared(DECLARATIONS.analyze, argv);
    const windowHours = windowOption(values.window);
    const workers = numberOption(values.workers, "--workers", RANGES.workers);
    const by = byOption(values.by);
    if (by !== undefined) {
      const series = await seriesSource(
        { windowHours, layer: values.layer, store: values.store, config: values.config, noCache: values["no-cache"] === true, includeSynthetic: values["include-synthetic"] === true },
        by,
        io,
      );
      io.stdout(values.json ? `${JSON.stringify(series, null, 2)}\n` : renderTimeSeriesText(series, { color: useColor(io) }));
      return 0;
    }
    const { report } = await analyzeSource(
      { windowHours, layer: values.layer, store: values.store, config: values.config, workers, noCache: values["no-cache"] === true, includeSynthetic: values["include-synthetic"] === true },
      io,
    );
    if (values.json) printJson(io, report, true);
    else io.stdout(renderAnalysisText(report, { color: useColor(io) }));
    return 0;
  },
};

export default analyze;
