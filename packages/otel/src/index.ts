/**
 * @moe-router/otel: OpenTelemetry traces and metrics of the routing cascade, through
 * `@opentelemetry/api` only (a peer dependency): the application registers its own SDK and exporter.
 */
export { otelObserver } from "./observer.js";
export { ATTR, METRIC, SPAN } from "./attributes.js";
export type { OtelObserverOptions } from "./types.js";
