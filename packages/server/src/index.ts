/**
 * @moe-router/server: the router as an HTTP service.
 * @packageDocumentation
 */
export { createServer, DEFAULT_ACK_TIMEOUT_MS, DEFAULT_BATCH_BODY_LIMIT, DEFAULT_BODY_LIMIT, type MoeRouterServer } from "./server.js";
export { startServer, isLoopback, DEFAULT_HOST, DEFAULT_PORT } from "./start.js";
export type {
  AlertRuleState,
  AlertStatusSource,
  LogDestination,
  RouterHandle,
  RouterLearnReport,
  RouterReadiness,
  RunningServer,
  ServerOptions,
  ServerPlugin,
  ServerPluginContext,
  StartServerOptions,
} from "./types.js";
