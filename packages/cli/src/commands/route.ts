import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { parseCommandArgs } from "../args.js";
import type { Command } from "../io.js";
import { openSession } from "../session.js";
import { printJson } from "../output.js";

const usage = 'moe-router route "<task description>" [--priority P] [--task-id ID] [--config FILE] [--store SPEC] [--no-track] [--verbose] [--pretty]';

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
        store: { type: "string" },
        "no-track": { type: "boolean" },
        verbose: { type: "boolean", short: "v" },
        pretty: { type: "boolean" },
      },
      usage,
    );
    if (positionals.length === 0) {
      throw new MoeRouterError(ErrorCode.INVALID_TASK, `No task given. Usage: ${usage}`);
    }
    const description = positionals.join(" ");
    const session = await openSession(
      { ...(values.config ? { configFile: values.config } : {}), ...(values.store !== undefined ? { store: values.store } : {}), noTrack: values["no-track"] === true, verbose: values.verbose === true },
      io,
    );
    try {
      const metadata = { priority: values.priority ?? "medium" };
      const decision = await session.router.route({ description, metadata, ...(values["task-id"] ? { id: values["task-id"] } : {}) });
      printJson(io, session.router.output(decision), values.pretty === true);
      return 0;
    } finally {
      await session.close();
    }
  },
};

export default route;
