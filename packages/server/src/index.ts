/**
 * @moe-router/server: the router as an HTTP service.
 * @packageDocumentation
 */
export { createServer, DEFAULT_ACK_TIMEOUT_MS, DEFAULT_BATCH_BODY_LIMIT, DEFAULT_BODY_LIMIT, type MoeRouterServer } from "./server.js";
export { startServer, isLoopback, DEFAULT_HOST, DEFAULT_PORT } from "./start.js";
export { dashboardPlugin, type DashboardOptions } from "./dashboard/plugin.js";
export { DASHBOARD_CSP } from "./dashboard/page.js";
export { firingAlerts, type AlertMonitorView } from "./dashboard/alerts.js";
export type { DashboardAlert, DashboardDecision, DashboardLayer, DashboardSnapshot } from "./dashboard/snapshot.js";
export type { SeriesPoint } from "./dashboard/series.js";
export { sharedCorrectionsPlugin, SHARED_CORRECTIONS_FILE, type SharedCorrectionsOptions, type SharedCorrectionsPlugin } from "./fleet/plugin.js";
export { CorrectionSync, type CorrectionBatch, type CorrectionSource, type CorrectionSyncOptions, type CorrectionSyncStats } from "./fleet/correction-sync.js";
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
