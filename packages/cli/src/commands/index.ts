import type { Command } from "../io.js";
import type { CommandName } from "./declarations.js";

/**
 * Command registry. Each command lives in its own module and is loaded on use,
 * so `route` does not pay for `dashboard`'s imports.
 */
export const commands: Readonly<Record<CommandName, () => Promise<Command>>> = {
  route: async () => (await import("./route.js")).default,
  demo: async () => (await import("./demo.js")).default,
  outcome: async () => (await import("./outcome.js")).default,
  analyze: async () => (await import("./analyze.js")).default,
  dashboard: async () => (await import("./dashboard.js")).default,
  report: async () => (await import("./report.js")).default,
  alerts: async () => (await import("./alerts.js")).default,
  generate: async () => (await import("./generate.js")).default,
  eval: async () => (await import("./eval.js")).default,
  tune: async () => (await import("./tune.js")).default,
  index: async () => (await import("./index-docs.js")).default,
  train: async () => (await import("./train.js")).default,
  learn: async () => (await import("./learn.js")).default,
  thresholds: async () => (await import("./thresholds.js")).default,
  experiment: async () => (await import("./experiment.js")).default,
  serve: async () => (await import("./serve.js")).default,
};
