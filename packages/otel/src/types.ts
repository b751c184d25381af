import type { Context, Meter, Tracer } from "@opentelemetry/api";

/** Options of {@link otelObserver}. */
export interface OtelObserverOptions {
  /** The tracer. Default: `trace.getTracer("@moe-router/otel")` from the application's global provider. */
  readonly tracer?: Tracer;
  /** The meter. Default: `metrics.getMeter("@moe-router/otel")`. */
  readonly meter?: Meter;
  /**
   * The parent of each route span. Default: the context active when the route starts (so a
   * route inside an instrumented HTTP request becomes its child).
   */
  readonly parentContext?: () => Context;
  /** Put the task description on the route span (`moe_router.task.description`). Default false: descriptions may hold personal data. */
  readonly recordDescription?: boolean;
  /** Routes started but not decided that are kept open at most; the oldest is ended (status error) beyond. Default 10,000. */
  readonly maxOpenRoutes?: number;
}
