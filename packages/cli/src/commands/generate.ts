import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { generateSampleRecords, parseDegradation } from "@moe-router/tracker";
import { numberOption, parseCommandArgs } from "../args.js";
import { loadRouterConfig } from "@moe-router/router";
import { cliLogger, type Command } from "../io.js";
import { progressBar } from "../progress.js";
import { requireTracking } from "@moe-router/router";

const usage = "moe-router generate -n N [--seed S] [--days D] [--end ISO-DATE] [--outcome-share X] [--drift X] [--degrade LAYER:ACCURACY@-24h ...] [--store SPEC] [--config FILE]";

// Flush every so many records: bounds memory and lets the progress bar move.
const FLUSH_EVERY = 5_000;

/**
 * Writes realistic, seeded sample events with outcomes into the event store, for demos
 * and benchmarks (the prototype's generate-sample-routing-data.py).
 */
const generate: Command = {
  summary: "Write N realistic, seeded sample decisions with outcomes to the event store (demos, benchmarks); --degrade injects a known degradation.",
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(
      argv,
      {
        count: { type: "string", short: "n" },
        seed: { type: "string" },
        days: { type: "string" },
        end: { type: "string" },
        "outcome-share": { type: "string" },
        drift: { type: "string" },
        degrade: { type: "string", multiple: true },
        store: { type: "string" },
        config: { type: "string", short: "c" },
      },
      usage,
      false,
    );
    const count = numberOption(values.count, "-n", { min: 1, integer: true });
    if (count === undefined) throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `Say how many events to generate with -n N.\nUsage: ${usage}`);
    const seed = numberOption(values.seed, "--seed", { integer: true }) ?? 1;
    const days = numberOption(values.days, "--days", { min: 0.001 }) ?? 30;
    const outcomeShare = numberOption(values["outcome-share"], "--outcome-share", { min: 0, max: 1 });
    let end = new Date();
    if (values.end !== undefined) {
      end = new Date(values.end);
      if (!Number.isFinite(end.getTime())) throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `--end must be a date such as 2026-11-20T00:00:00Z; got "${values.end}".`);
    }
    const drift = numberOption(values.drift, "--drift", { min: 0, max: 1 });
    // Relative times (@-24h) count back from --end, so a degradation lands at a known time.
    const degrade = (values.degrade ?? []).map((spec) => parseDegradation(spec, end));
    const { config } = await loadRouterConfig(values.config, io.cwd);
    const tracking = await requireTracking(config, { cwd: io.cwd, logger: cliLogger(io) }, values.store);
    const store = tracking.tracker.store;
    const started = performance.now();
    const progress = progressBar("generate", count, io.stderr, io.isTTY);
    let decisions = 0;
    let outcomes = 0;
    try {
      for (const record of generateSampleRecords({ count, seed, days, end, ...(outcomeShare !== undefined ? { outcomeShare } : {}), ...(drift !== undefined ? { drift } : {}), ...(degrade.length ? { degrade } : {}) })) {
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
    io.stdout(`${JSON.stringify({ decisions, outcomes, seed, days, end: end.toISOString(), store: tracking.spec, seconds: Number(seconds.toFixed(2)) })}\n`);
    return 0;
  },
};

export default generate;
