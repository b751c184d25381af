import { ErrorCode, MoeRouterError } from "@moe-router/core";
import type { RoutingEvent } from "../records.js";
import { AnalyzerCore, type CoreSettings } from "./internal/analyzer-core.js";
import type { AnalysisReport, AnalyzerOptions } from "./types.js";

/** A streaming accumulator: feed it events one by one, read the report at any time. */
export interface Analyzer {
  /** Adds one event (a decision with its outcome merged, if any). */
  add(event: RoutingEvent): void;
  /** The report over the events added so far. May be called repeatedly; does not reset. */
  result(): AnalysisReport;
  /** Lower bound of the window (epoch ms), for stores that can filter before parsing. */
  readonly since: number | undefined;
}

const KNOWN_OPTIONS = new Set(["windowHours", "layer", "now", "calibrationBins", "alpha", "synthetic"]);

function invalid(message: string): MoeRouterError {
  return new MoeRouterError(ErrorCode.INVALID_CONFIG, message);
}

function checkOptions(options: AnalyzerOptions): void {
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) {
      throw new MoeRouterError(ErrorCode.UNKNOWN_OPTION, `Unknown analyzer option "${key}". Known options: ${[...KNOWN_OPTIONS].join(", ")}.`);
    }
  }
  const { windowHours, layer, calibrationBins, alpha, synthetic } = options;
  if (synthetic !== undefined && synthetic !== "include" && synthetic !== "exclude") {
    throw invalid(`synthetic must be "include" or "exclude"; got ${JSON.stringify(synthetic)}.`);
  }
  if (windowHours !== undefined && !(typeof windowHours === "number" && windowHours > 0 && Number.isFinite(windowHours))) {
    throw invalid(`windowHours must be a positive number of hours (e.g. 24); got ${String(windowHours)}.`);
  }
  if (layer !== undefined && (typeof layer !== "string" || layer === "")) {
    throw invalid(`layer must be a layer name such as "keyword" or "semantic"; got ${JSON.stringify(layer)}.`);
  }
  if (calibrationBins !== undefined && !(Number.isInteger(calibrationBins) && calibrationBins >= 1 && calibrationBins <= 100)) {
    throw invalid(`calibrationBins must be an integer from 1 to 100; got ${String(calibrationBins)}.`);
  }
  if (alpha !== undefined && !(typeof alpha === "number" && alpha > 0 && alpha < 1)) {
    throw invalid(`alpha must be a significance level in (0,1) such as 0.05; got ${String(alpha)}.`);
  }
}

function timeOf(now: Date | number | undefined): number {
  const time = now === undefined ? Date.now() : typeof now === "number" ? now : now.getTime();
  if (!Number.isFinite(time)) throw invalid(`now must be a valid Date or epoch milliseconds; got ${String(now)}.`);
  return time;
}

/** Validates the options and resolves the window (shared by every entry point). */
export function coreSettings(options: AnalyzerOptions): CoreSettings {
  checkOptions(options);
  const now = timeOf(options.now);
  return {
    now,
    windowHours: options.windowHours,
    since: options.windowHours === undefined ? undefined : now - options.windowHours * 3_600_000,
    layer: options.layer,
    excludeSynthetic: options.synthetic === "exclude",
    bins: options.calibrationBins ?? 10,
    alpha: options.alpha ?? 0.05,
  };
}

/**
 * Creates the streaming analyzer behind `moe-router analyze`: per layer attempts, acceptance,
 * escalation, errors, accuracy from outcomes, calibration (ECE and reliability bins), latency
 * percentiles, experts; per decision accuracy, corrections, clarifications and A/B comparisons.
 * Memory stays bounded by the number of layers and experts, not by the number of events.
 * @throws MoeRouterError INVALID_CONFIG / UNKNOWN_OPTION for bad options.
 */
export function createAnalyzer(options: AnalyzerOptions = {}): Analyzer {
  const core = new AnalyzerCore(coreSettings(options));
  return {
    add: (event) => core.add(event),
    result: () => core.result(),
    since: core.settings.since,
  };
}
