import { generateSampleRecords, parseDegradation } from "@moe-router/tracker";
import { argumentError, numberOption } from "../args.js";
import { parseDeclared, usageOf } from "../declare.js";
import { DECLARATIONS } from "./declarations.js";
import { loadRouterConfig } from "@moe-router/router";
import { cliLogger, type Command } from "../io.js";
import { progressBar } from "../progress.js";
import { requireTracking } from "@moe-router/router";
import { RANGES } from "../ranges.js";
import { printJson } from "../output.js";

const usage = usageOf(DECLARATIONS.generate);

// Flush every so many records: bounds memory and lets the progress bar move.
const FLUSH_EVERY = 5_000;
// Bounds that keep every generated time a valid ISO date and the run finite.
const MAX_COUNT = 100_000_000;
const MAX_DAYS = 36_500;
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31);

/** Reads --end (default now); the sample's span must lie between 1970 and 9999. */
function endOption(value: string | undefined, days: number): Date {
  if (value === undefined) return new Date();
  const end = new Date(value);
  if (!Number.isFinite(end.getTime()) || end.getTime() > LATEST) throw argumentError(`--end must be a date up to 9999-12-31 such as 2026-11-20T00:00:00Z; got ${JSON.stringify(value)}.`);
  if (end.getTime() - days * 86_400_000 < EARLIEST) {
    throw argumentError(`--end ${end.toISOString()} minus --days ${days} starts before 1970-01-01; give a later --end or fewer --days.`);
  }
  return end;
}

/** Where `generate` writes unless --store says otherwise: apart from the real log. */
export const DEFAULT_SAMPLE_STORE = ".moe-router/sample-events.jsonl";

/**
 * Writes realistic, seeded sample events with outcomes, for demos and benchmarks (the
 * prototype's generate-sample-routing-data.py). They go to their own log by default
 * (.moe-router/sample-events.jsonl), never into the real one unless --store names it, and
 * every record is marked `synthetic: true`, which analyze, tune and train leave out unless
 * given --include-synthetic.
 */
const generate: Command = {
  summary: DECLARATIONS.generate.summary,
  usage,
  async run(argv, io) {
    const { values } = parseDeclared(DECLARATIONS.generate, argv);
    const count = numberOption(values.count, "-n/--count", { min: 1, max: MAX_COUNT, integer: true, unit: "events", example: "-n 1000" });
    if (count === undefined) throw argumentError("Say how many events to generate with -n N.", usage);
    const seed = numberOption(values.seed, "--seed", RANGES.seed) ?? 1;
    const days = numberOption(values.days, "--days", { min: 0.001, max: MAX_DAYS, unit: "days", example: "--days 30" }) ?? 30;
    const outcomeShare = numberOption(values["outcome-share"], "--outcome-share", RANGES.share);
    const end = endOption(values.end, days);
    const drift = numberOption(values.drift, "--drift", { min: 0, max: 1 });
    // Relative times (@-24h) count back from --end, so a degradation lands at a known time.
    const degrade = (values.degrade ?? []).map((spec) => parseDegradation(spec, end));
    const { config } = await loadRouterConfig(values.config, io.cwd);
    const tracking = await requireTracking(config, { cwd: io.cwd, logger: cliLogger(io) }, values.store ?? DEFAULT_SAMPLE_STORE);
    const store = tracking.tracker.store;
    const started = performance.now();
    const progress = progressBar("generate", count, io.stderr, io.isTTY);
    let decisions = 0;
    let outcomes = 0;
    try {
      for (const record of generateSampleRecords({
        count,
        seed,
        days,
        end,
        ...(outcomeShare !== undefined ? { outcomeShare } : {}),
        ...(drift !== undefined ? { drift } : {}),
        ...(degrade.length ? { degrade } : {}),
      })) {
        store.append(record);
        if (record.record_type === "decision") decisions++;
        else outcomes++;
        if ((decisions + outcomes) % FLUSH_EVERY === 0) {
          await store.flush();
          progress.update(decisions);
        }
      }
      await store.flush();
      progress.finish();
    } finally {
      await tracking.close();
    }
    const seconds = (performance.now() - started) / 1000;
    printJson(io, { decisions, outcomes, synthetic: true, seed, days, end: end.toISOString(), store: tracking.spec, seconds: Number(seconds.toFixed(2)) });
    return 0;
  },
};

export default generate;
