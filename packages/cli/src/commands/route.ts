import { ErrorCode, MoeRouterError } from "@moe-router/core";
import { parseDeclared, usageOf } from "../declare.js";
import { DECLARATIONS } from "./declarations.js";
import type { Command } from "../io.js";
import { openSession } from "../session.js";
import { printJson } from "../output.js";

const usage = usageOf(DECLARATIONS.route);

const route: Command = {
  summary: DECLARATIONS.route.summary,
  usage,
  async run(argv, io) {
    const { values, positionals } = parseDeclared(DECLARATIONS.route, argv);
    if (positionals.length === 0) {
      throw new MoeRouterError(ErrorCode.INVALID_TASK, `No task given. Usage: ${usage}`);
    }
    const description = positionals.join(" ");
    const session = await openSession(
      {
        ...(values.config ? { configFile: values.config } : {}),
        ...(values.store !== undefined ? { store: values.store } : {}),
        noTrack: values["no-track"] === true,
        verbose: values.verbose === true,
      },
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
