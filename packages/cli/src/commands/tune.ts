import { ErrorCode, MoeRouterError } from "@moe-router/core";
import type { Command } from "../io.js";

// Scaffold only: replaced by the issue that builds this command.
const command: Command = {
  summary: "(being built)",
  usage: "moe-router tune",
  async run() {
    throw new MoeRouterError(ErrorCode.NOT_FOUND, "The tune command is not built yet.");
  },
};

export default command;
