import { context, metrics, SpanStatusCode, trace, type Attributes, type Context, type Span } from "@opentelemetry/api";
import { ErrorCode, MoeRouterError, type CascadeObserver, type Decision, type LayerAttempt, type LayerStartEvent, type LayerVerdictEvent, type RouteStartEvent } from "@moe-router/core";
import { ATTR, METRIC, SPAN } from "./attributes.js";
import type { OtelObserverOptions } from "./types.js";

const SCOPE = "@moe-router/otel";

/** A route between its start and its decision. */
interface OpenRoute {
  readonly span: Span;
  readonly context: Context;
  /** The layer span in flight (layers of one route run one after another). */
  layer: { readonly name: string; readonly span: Span } | undefined;
}

function attemptResult(attempt: LayerAttempt): string {
  return attempt.error ? "error" : attempt.shadow ? "shadow" : attempt.accepted ? "accepted" : "escalated";
}

function attemptAttributes(attempt: LayerAttempt): Attributes {
  const attributes: Attributes = { [ATTR.layer]: attempt.layer, [ATTR.threshold]: attempt.threshold, [ATTR.accepted]: attempt.accepted, [ATTR.shadow]: attempt.shadow === true };
  if (attempt.expert !== undefined) attributes[ATTR.expert] = attempt.expert;
  if (attempt.confidence !== undefined) attributes[ATTR.confidence] = attempt.confidence;
  if (attempt.error) {
    attributes[ATTR.errorCode] = attempt.error.code;
    attributes[ATTR.errorType] = attempt.error.code;
  }
  return attributes;
}

/**
 * A cascade observer that reports routing to OpenTelemetry through `@opentelemetry/api` only
 * (the application brings its SDK and exporter): a span per route (`moe_router.route`) with a
 * child span per layer attempt (`moe_router.layer <name>`: layer, expert, confidence, threshold,
 * accepted, error code, shadow), and metrics: `moe_router.routes` (counter), `moe_router.route.duration`
 * and `moe_router.layer.duration` (histograms, ms). Hooks are synchronous and never throw; without
 * a registered SDK every call is a no-op.
 * @example
 * const cascade = createCascade({ layers, observers: [otelObserver()] });
 * @throws MoeRouterError INVALID_CONFIG for bad options.
 */
export function otelObserver(options: OtelObserverOptions = {}): CascadeObserver {
  const maxOpen = options.maxOpenRoutes ?? 10_000;
  if (!(Number.isInteger(maxOpen) && maxOpen >= 1)) throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `maxOpenRoutes must be a positive integer; got ${String(options.maxOpenRoutes)}.`);
  const tracer = options.tracer ?? trace.getTracer(SCOPE);
  const meter = options.meter ?? metrics.getMeter(SCOPE);
  const parent = options.parentContext ?? (() => context.active());
  const routes = meter.createCounter(METRIC.routes, { description: "Tasks routed, by deciding layer and expert.", unit: "{route}" });
  const routeDuration = meter.createHistogram(METRIC.routeDuration, { description: "End-to-end routing time.", unit: "ms" });
  const layerDuration = meter.createHistogram(METRIC.layerDuration, { description: "Time of one layer attempt.", unit: "ms" });
  // Insertion-ordered: the first entry is the oldest open route.
  const open = new Map<string, OpenRoute>();

  function startRoute(eventId: string, attributes: Attributes): OpenRoute {
    if (open.size >= maxOpen) {
      const [oldestId, oldest] = open.entries().next().value as [string, OpenRoute];
      open.delete(oldestId);
      oldest.layer?.span.end();
      oldest.span.setStatus({ code: SpanStatusCode.ERROR, message: "route abandoned: no decision was reported" });
      oldest.span.end();
    }
    const parentContext = parent();
    const span = tracer.startSpan(SPAN.route, { attributes: { [ATTR.eventId]: eventId, ...attributes } }, parentContext);
    const route: OpenRoute = { span, context: trace.setSpan(parentContext, span), layer: undefined };
    open.set(eventId, route);
    return route;
  }

  function endLayer(route: OpenRoute, attempt: LayerAttempt): void {
    const layer = route.layer;
    // A verdict without a start (an observer added mid-route): the span covers the attempt's own time.
    const span = layer && layer.name === attempt.layer ? layer.span : tracer.startSpan(`${SPAN.layer} ${attempt.layer}`, { startTime: Date.now() - attempt.latencyMs }, route.context);
    route.layer = undefined;
    span.setAttributes(attemptAttributes(attempt));
    if (attempt.error) span.setStatus({ code: SpanStatusCode.ERROR, message: `${attempt.error.code}: ${attempt.error.message}` });
    span.end();
    layerDuration.record(attempt.latencyMs, { [ATTR.layer]: attempt.layer, [ATTR.result]: attemptResult(attempt) });
  }

  return {
    onRouteStart(event: RouteStartEvent) {
      const attributes: Attributes = {};
      if (event.task.id !== undefined) attributes[ATTR.taskId] = event.task.id;
      if (options.recordDescription === true) attributes[ATTR.description] = event.task.description;
      startRoute(event.eventId, attributes);
    },
    onLayerStart(event: LayerStartEvent) {
      const route = open.get(event.eventId);
      if (!route) return;
      route.layer?.span.end();
      route.layer = { name: event.layer, span: tracer.startSpan(`${SPAN.layer} ${event.layer}`, { attributes: { [ATTR.layer]: event.layer } }, route.context) };
    },
    onLayerVerdict(event: LayerVerdictEvent) {
      const route = open.get(event.eventId);
      if (route) endLayer(route, event.attempt);
    },
    onDecision(decision: Decision) {
      let route = open.get(decision.eventId);
      if (!route) {
        // Only decisions observed: build the whole trace from the decision.
        route = startRoute(decision.eventId, decision.task.id !== undefined ? { [ATTR.taskId]: decision.task.id } : {});
        for (const attempt of decision.attempts) endLayer(route, attempt);
      }
      open.delete(decision.eventId);
      route.layer?.span.end();
      const attributes: Attributes = {
        [ATTR.expert]: decision.expert,
        [ATTR.layer]: decision.layer,
        [ATTR.confidence]: decision.confidence,
        [ATTR.attempts]: decision.attempts.length,
        [ATTR.shadow]: decision.shadow === true,
      };
      if (decision.clarification) attributes[ATTR.clarificationReason] = decision.clarification.reason;
      if (decision.experiment) {
        attributes[ATTR.experiment] = decision.experiment.name;
        attributes[ATTR.variant] = decision.experiment.variant;
      }
      route.span.setAttributes(attributes);
      route.span.end();
      routes.add(1, { [ATTR.layer]: decision.layer, [ATTR.expert]: decision.expert });
      routeDuration.record(decision.latencyMs, { [ATTR.layer]: decision.layer });
    },
  };
}
