/** @moe-router/cli: the `moe-router` command, usable as a library too. */
export { main } from "./main.js";
export type { CliIO, Command } from "./io.js";
export { loadRouterConfig, validateRouterConfig } from "./config/load.js";
export { DEFAULT_CONFIG, DEFAULT_EXPERTS } from "./config/default.js";
export type { LayerEntry, PackageRef, RouterConfig, TrackingConfig } from "./config/types.js";
export { buildRouter, type BuildRouterOptions, type Router } from "./runtime.js";
export { openSession, type Session, type SessionOptions } from "./session.js";
