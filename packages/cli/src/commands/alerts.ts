import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { evaluateAlerts, renderAlertsText, resolveAlertRules, type AlertSource } from "@moe-router/alerts";
import { openStore, timeSeriesJsonl, type EventStore } from "@moe-router/tracker";
import { parseDeclared, usageOf } from "../declare.js";
import { DECLARATIONS } from "./declarations.js";
import { loadRouterConfig, storeSpec } from "@moe-router/router";
import type { Command } from "../io.js";
import { jsonlPath, logExists, useColor } from "./analyze.js";

const usage = usageOf(DECLARATIONS.alerts);

/**
 * `moe-router alerts`: evaluates the config's alert rules now (or `--at` a past time) and
 * prints each with its state, value, bound and samples; exit 1 when any rule fires (cron, CI).
 */
const alerts: Command = {
  summary: DECLARATIONS.alerts.summary,
  usage,
  async run(argv, io) {
    const { values } = parseDeclared(DECLARATIONS.alerts, argv);
    const { config, source } = await loadRouterConfig(values.config, io.cwd);
    if (!config.alerts || config.alerts.length === 0) {
      throw new MoeRouterError(
        ErrorCode.INVALID_CONFIG,
        `No alert rules in ${source}: add an "alerts" list to the config, e.g. alerts: [{ name: keyword-accuracy, metric: accuracy, layer: keyword, window: 24h, below: 0.85 }], and pass it with --config.`,
      );
    }
    const rules = resolveAlertRules(config.alerts, source);
    let now = Date.now();
    if (values.at !== undefined) {
      now = Date.parse(values.at);
      if (!Number.isFinite(now)) throw new MoeRouterError(ErrorCode.INVALID_ARGUMENT, `--at must be a time such as 2026-11-20T12:00:00Z; got "${values.at}".`);
    }
    const spec = storeSpec(config, values.store);
    const path = jsonlPath(spec, io.cwd);
    let store: EventStore | undefined;
    let data: AlertSource;
    if (path !== undefined) {
      if (!(await logExists(path))) throw new MoeRouterError(ErrorCode.NOT_FOUND, `No event log at ${path}: nothing to evaluate yet. Route some tasks first, or name the log with --store.`);
      // The JSONL log through its analysis cache: repeated runs (cron) parse only new lines.
      data = { timeSeries: (options) => timeSeriesJsonl(path, options) };
    } else {
      data = store = await openStore(spec, { cwd: io.cwd });
    }
    try {
      const evaluations = await evaluateAlerts(rules, data, { now, synthetic: values["include-synthetic"] === true ? "include" : "exclude" });
      io.stdout(values.json ? `${JSON.stringify({ evaluatedAt: new Date(now).toISOString(), store: spec, alerts: evaluations }, null, 2)}\n` : renderAlertsText(evaluations, { color: useColor(io) }));
      return evaluations.some((evaluation) => evaluation.state === "firing") ? 1 : 0;
    } finally {
      await store?.close();
    }
  },
};

export default alerts;
