import type { MoeRouterError } from "@moe-router/core";
import type { OutcomeInput } from "@moe-router/tracker";
import { argumentError, numberOption } from "../args.js";
import { parseDeclared, usageOf } from "../declare.js";
import { DECLARATIONS } from "./declarations.js";
import { loadRouterConfig } from "@moe-router/router";
import { cliLogger, type Command } from "../io.js";
import { requireTracking } from "@moe-router/router";
import { RANGES } from "../ranges.js";
import { printJson } from "../output.js";

const usage = usageOf(DECLARATIONS.outcome);

function usageError(message: string): MoeRouterError {
  return argumentError(message, usage);
}

// A year of minutes: a longer time is a typo (and the log's readers ignore absurd values).
const MAX_MINUTES = 525_600;

/**
 * Records what happened to a routed task, by the event id `route` printed. Works from
 * another process and days later: the outcome is appended as its own record.
 */
const outcome: Command = {
  summary: DECLARATIONS.outcome.summary,
  usage,
  async run(argv, io) {
    const { values, positionals } = parseDeclared(DECLARATIONS.outcome, argv);
    if (positionals.length !== 1) throw usageError(positionals.length === 0 ? "No event id given (the event_id printed by `moe-router route`)." : `Give one event id; got ${positionals.length}.`);
    if (values.completed === values.failed) throw usageError(values.completed ? "Give --completed or --failed, not both." : "Say whether the task was --completed or --failed.");
    if (values.correct && values["corrected-to"] !== undefined) throw usageError("Give --correct or --corrected-to EXPERT, not both: a correction means the routing was wrong.");
    const minutes = numberOption(values.minutes, "--minutes", { min: 0, max: MAX_MINUTES, unit: "minutes", example: "--minutes 45" });
    const quality = numberOption(values.quality, "--quality", { ...RANGES.share, noun: "a quality score", example: "--quality 0.9" });
    const input: OutcomeInput = {
      completed: values.completed === true,
      ...(values.correct ? { correct: true } : {}),
      ...(values["corrected-to"] !== undefined ? { correctedTo: values["corrected-to"] } : {}),
      ...(minutes !== undefined ? { minutes } : {}),
      ...(quality !== undefined ? { quality } : {}),
    };
    const { config } = await loadRouterConfig(values.config, io.cwd);
    const tracking = await requireTracking(config, { cwd: io.cwd, logger: cliLogger(io) }, values.store);
    try {
      const { record, event } = await tracking.tracker.recordOutcome(positionals[0]!, input);
      const output = {
        event_id: record.event_id,
        ...(event ? { master: event.selected_master, layer: event.routing_layer, task_description: event.task_description } : {}),
        outcome: record.outcome,
        recorded_at: record.timestamp,
        store: tracking.spec,
      };
      printJson(io, output, values.pretty === true);
      return 0;
    } finally {
      await tracking.close();
    }
  },
};

export default outcome;
