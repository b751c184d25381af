import { ErrorCode, MoeRouterError } from "@moe-router/core";
import type { Command } from "../io.js";

// Scaffold only: replaced by the issue that builds this command.
const command: Command = {
  summary: "(being built)",
  usage: "moe-router report",
  async run() {
    throw new MoeRouterError(ErrorCode.NOT_FOUND, "The report command is not built yet.");
  },
};

export default command;
