/** Attribute and instrument names emitted by the observer (stable: dashboards query them). */
export const ATTR = {
  eventId: "moe_router.event_id",
  taskId: "moe_router.task.id",
  description: "moe_router.task.description",
  layer: "moe_router.layer",
  expert: "moe_router.expert",
  confidence: "moe_router.confidence",
  threshold: "moe_router.threshold",
  accepted: "moe_router.accepted",
  errorCode: "moe_router.error.code",
  shadow: "moe_router.shadow",
  attempts: "moe_router.attempts",
  clarificationReason: "moe_router.clarification.reason",
  experiment: "moe_router.experiment",
  variant: "moe_router.experiment.variant",
  result: "moe_router.result",
  /** OpenTelemetry's semantic convention for the class of an error. */
  errorType: "error.type",
} as const;

/** Span names: the route, and one per layer attempt (`moe_router.layer keyword`). */
export const SPAN = { route: "moe_router.route", layer: "moe_router.layer" } as const;

/** Instrument names. */
export const METRIC = {
  /** Counter of routed tasks, by deciding layer and expert. */
  routes: "moe_router.routes",
  /** Histogram of end-to-end routing time (ms), by deciding layer. */
  routeDuration: "moe_router.route.duration",
  /** Histogram of layer attempt time (ms), by layer and result (accepted / escalated / error / shadow). */
  layerDuration: "moe_router.layer.duration",
} as const;
