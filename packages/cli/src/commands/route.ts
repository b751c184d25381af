import { ErrorCode, MoeRouterError, type Decision } from "@moe-router/core";
import { parseCommandArgs } from "../args.js";
import type { Command } from "../io.js";
import { openSession } from "../session.js";
import { printJson } from "../output.js";

const usage = 'moe-router route "<task description>" [--priority P] [--task-id ID] [--config FILE] [--no-track] [--pretty]';

/** The JSON printed by `route` (the prototype's route-task.sh fields first). */
export function decisionOutput(decision: Decision): Record<string, unknown> {
  return {
    master: decision.expert,
    layer: decision.layer,
    confidence: decision.confidence,
    event_id: decision.eventId,
    ...(decision.task.id ? { task_id: decision.task.id } : {}),
    ...(decision.clarification ? { clarification: decision.clarification } : {}),
    ...(decision.experiment ? { ab_test: decision.experiment } : {}),
    attempts: decision.attempts.map((a) => ({
      layer: a.layer,
      ...(a.expert !== undefined ? { master: a.expert, confidence: a.confidence } : {}),
      threshold: a.threshold,
      accepted: a.accepted,
      latency_ms: Number(a.latencyMs.toFixed(3)),
      ...(a.error ? { error: a.error } : {}),
      ...(a.details ? { details: a.details } : {}),
      ...(a.shadow ? { shadow: true } : {}),
    })),
    latency_ms: Number(decision.latencyMs.toFixed(3)),
  };
}

const route: Command = {
  summary: "Route one task; prints { master, layer, confidence, event_id, ... } as JSON.",
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        priority: { type: "string", short: "p" },
        "task-id": { type: "string" },
        config: { type: "string", short: "c" },
        "no-track": { type: "boolean" },
        pretty: { type: "boolean" },
      },
      usage,
    );
    if (positionals.length === 0) {
      throw new MoeRouterError(ErrorCode.INVALID_TASK, `No task given. Usage: ${usage}`);
    }
    const description = positionals.join(" ");
    const session = await openSession({ ...(values.config ? { configFile: values.config } : {}), noTrack: values["no-track"] === true }, io);
    try {
      const metadata = { priority: values.priority ?? "medium" };
      const decision = await session.router.cascade.route({ description, metadata, ...(values["task-id"] ? { id: values["task-id"] } : {}) });
      printJson(io, decisionOutput(decision), values.pretty === true);
      return 0;
    } finally {
      await session.close();
    }
  },
};

export default route;
