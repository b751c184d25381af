/** @moe-router/cli: the `moe-router` command, usable as a library too. */
export { main } from "./main.js";
export type { CliIO, Command } from "./io.js";
export { openSession, type Session, type SessionOptions } from "./session.js";
// Config loading and assembly moved to @moe-router/router; re-exported here for existing imports.
export {
  buildRouter,
  DEFAULT_CONFIG,
  DEFAULT_EXPERTS,
  loadRouterConfig,
  validateRouterConfig,
  type BuildRouterOptions,
  type LayerEntry,
  type PackageRef,
  type Router,
  type RouterConfig,
  type TrackingConfig,
} from "@moe-router/router";
