import { context, ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { AggregationTemporality, MeterProvider, MetricReader, type DataPointType, type HistogramMetricData, type SumMetricData } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { createCascade, type Layer } from "@moe-router/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ATTR, METRIC, otelObserver } from "../src/index.js";

/** A metric reader the test pulls from. */
class PullReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

const keyword: Layer = { name: "keyword", route: (task) => (task.description.includes("deploy") ? { expert: "cicd-master", confidence: 0.95 } : { expert: "development-master", confidence: 0.2 }) };
const broken: Layer = {
  name: "semantic",
  route: () => {
    throw new Error("index missing");
  },
};
const slow: Layer = {
  name: "rag",
  capabilities: { async: true },
  route: async () => {
    await new Promise((resolve) => setTimeout(resolve, 15));
    return { expert: "security-master", confidence: 0.9 };
  },
};

describe("OpenTelemetry observer", () => {
  let exporter: InMemorySpanExporter;
  let provider: BasicTracerProvider;
  let reader: PullReader;
  let meters: MeterProvider;
  beforeEach(() => {
    exporter = new InMemorySpanExporter();
    provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    reader = new PullReader();
    meters = new MeterProvider({ readers: [reader] });
  });
  afterEach(async () => {
    await provider.shutdown();
    await meters.shutdown();
  });

  const cascadeWith = (options: Parameters<typeof otelObserver>[0] = {}, shadowShare = 0) =>
    createCascade({
      layers: [
        { layer: keyword, threshold: 0.85 },
        { layer: broken, threshold: 0.7 },
        { layer: slow, threshold: 0.85 },
      ],
      observers: [otelObserver({ tracer: provider.getTracer("test"), meter: meters.getMeter("test"), ...options })],
      shadowShare,
    });

  const byName = (spans: ReadableSpan[], name: string) => spans.filter((s) => s.name === name);

  it("emits a route span with a child span per layer attempt and their attributes", async () => {
    const decision = await cascadeWith().route({ id: "t-1", description: "Fix the login bug" });
    const spans = exporter.getFinishedSpans();
    const [route] = byName(spans, "moe_router.route");
    expect(route).toBeDefined();
    expect(route!.attributes).toMatchObject({
      [ATTR.eventId]: decision.eventId,
      [ATTR.taskId]: "t-1",
      [ATTR.expert]: "security-master",
      [ATTR.layer]: "rag",
      [ATTR.attempts]: 3,
      [ATTR.shadow]: false,
    });
    expect(route!.attributes[ATTR.description]).toBeUndefined();
    const layers = spans.filter((s) => s.name.startsWith("moe_router.layer "));
    expect(layers.map((s) => s.name)).toEqual(["moe_router.layer keyword", "moe_router.layer semantic", "moe_router.layer rag"]);
    for (const span of layers) {
      expect(span.parentSpanContext?.spanId).toBe(route!.spanContext().spanId);
      expect(span.spanContext().traceId).toBe(route!.spanContext().traceId);
    }
    const [kw, sem, rag] = layers;
    expect(kw!.attributes).toMatchObject({
      [ATTR.layer]: "keyword",
      [ATTR.expert]: "development-master",
      [ATTR.confidence]: 0.2,
      [ATTR.threshold]: 0.85,
      [ATTR.accepted]: false,
      [ATTR.shadow]: false,
    });
    expect(sem!.attributes).toMatchObject({ [ATTR.layer]: "semantic", [ATTR.errorCode]: "MOE_LAYER_FAILED", [ATTR.accepted]: false });
    expect(sem!.status).toMatchObject({ code: 2 });
    expect(rag!.attributes).toMatchObject({ [ATTR.expert]: "security-master", [ATTR.accepted]: true });
    // The async layer's span covers its work (15 ms), and the route covers all of them.
    const ms = (span: ReadableSpan) => span.duration[0] * 1000 + span.duration[1] / 1e6;
    expect(ms(rag!)).toBeGreaterThanOrEqual(10);
    expect(ms(route!)).toBeGreaterThanOrEqual(ms(rag!));
  });

  it("marks shadow attempts and the clarification fallback", async () => {
    const cascade = cascadeWith({ recordDescription: true }, 1);
    await cascade.route({ description: "deploy billing" });
    const spans = exporter.getFinishedSpans();
    const [route] = byName(spans, "moe_router.route");
    expect(route!.attributes).toMatchObject({ [ATTR.layer]: "keyword", [ATTR.shadow]: true, [ATTR.description]: "deploy billing" });
    expect(byName(spans, "moe_router.layer rag")[0]!.attributes).toMatchObject({ [ATTR.shadow]: true, [ATTR.accepted]: false });
    exporter.reset();
    const clarifying = createCascade({ layers: [{ layer: keyword, threshold: 0.99 }], observers: [otelObserver({ tracer: provider.getTracer("test"), meter: meters.getMeter("test") })] });
    await clarifying.route({ description: "help" });
    expect(byName(exporter.getFinishedSpans(), "moe_router.route")[0]!.attributes).toMatchObject({ [ATTR.layer]: "clarification", [ATTR.clarificationReason]: "low_confidence_cascade" });
  });

  it("records the route counter and the route and layer duration histograms", async () => {
    const cascade = cascadeWith();
    await cascade.route({ description: "deploy billing" });
    await cascade.route({ description: "deploy search" });
    await cascade.route({ description: "Fix the login bug" });
    const { resourceMetrics } = await reader.collect();
    const all = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
    const routes = all.find((m) => m.descriptor.name === METRIC.routes) as SumMetricData;
    const points = routes.dataPoints.map((p) => [p.attributes[ATTR.layer], p.attributes[ATTR.expert], p.value]).sort();
    expect(points).toEqual([
      ["keyword", "cicd-master", 2],
      ["rag", "security-master", 1],
    ]);
    const duration = all.find((m) => m.descriptor.name === METRIC.routeDuration) as HistogramMetricData;
    expect(duration.descriptor.unit).toBe("ms");
    expect(duration.dataPoints.reduce((sum, p) => sum + p.value.count, 0)).toBe(3);
    const layer = all.find((m) => m.descriptor.name === METRIC.layerDuration) as HistogramMetricData;
    const results = Object.fromEntries(layer.dataPoints.map((p) => [`${p.attributes[ATTR.layer]}/${p.attributes[ATTR.result]}`, p.value.count]));
    expect(results).toEqual({ "keyword/accepted": 2, "keyword/escalated": 1, "semantic/error": 1, "rag/accepted": 1 });
    expect(routes.dataPointType satisfies DataPointType).toBeDefined();
  });

  it("parents the route span on the active context (e.g. an HTTP request span)", async () => {
    const tracer = provider.getTracer("test");
    const request = tracer.startSpan("HTTP POST /v1/route");
    const cascade = cascadeWith({ parentContext: () => trace.setSpan(ROOT_CONTEXT, request) });
    await context.with(ROOT_CONTEXT, () => cascade.route({ description: "deploy billing" }));
    request.end();
    const [route] = byName(exporter.getFinishedSpans(), "moe_router.route");
    expect(route!.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
  });

  it("builds the trace from the decision alone when it saw no start, and ends abandoned routes", async () => {
    const observer = otelObserver({ tracer: provider.getTracer("test"), meter: meters.getMeter("test"), maxOpenRoutes: 2 });
    const decision = await createCascade({ layers: [{ layer: keyword, threshold: 0.85 }] }).route({ description: "deploy x" });
    observer.onDecision!(decision);
    expect(byName(exporter.getFinishedSpans(), "moe_router.layer keyword")).toHaveLength(1);
    exporter.reset();
    for (const id of ["a", "b", "c"]) observer.onRouteStart!({ eventId: id, task: { description: "x" }, timestamp: new Date().toISOString() });
    const ended = byName(exporter.getFinishedSpans(), "moe_router.route");
    expect(ended).toHaveLength(1);
    expect(ended[0]!.attributes[ATTR.eventId]).toBe("a");
    expect(ended[0]!.status.message).toContain("abandoned");
    expect(() => otelObserver({ maxOpenRoutes: 0 })).toThrow(/maxOpenRoutes/);
  });

  it("is a no-op without a registered SDK (the API's defaults)", async () => {
    const cascade = createCascade({ layers: [{ layer: keyword, threshold: 0.85 }], observers: [otelObserver()] });
    const decision = await cascade.route({ description: "deploy x" });
    expect(decision.expert).toBe("cicd-master");
    expect(cascade.stats().observerErrors).toBe(0);
  });
});
