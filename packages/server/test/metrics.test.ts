import { afterEach, describe, expect, it } from "vitest";
import { createServer, type MoeRouterServer } from "../src/index.js";
import { testRouter } from "./support/router.js";

let service: MoeRouterServer | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

function value(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("GET /metrics", () => {
  it("counts routes, layer latency, clarifications, outcomes, store records and sliding-window accuracy", async () => {
    service = await createServer({ router: testRouter(), logLevel: "silent" });
    const { app } = service;
    const route = async (description: string) => (await app.inject({ method: "POST", url: "/v1/route", payload: { description } })).json();
    const deploy = await route("Deploy API to production");
    const deploy2 = await route("Deploy the web app to production");
    await route("what is the weather like");
    await app.inject({ method: "POST", url: "/v1/outcomes", payload: { event_id: deploy.event_id, completed: true, correct: true } });
    await app.inject({ method: "POST", url: "/v1/outcomes", payload: { event_id: deploy2.event_id, completed: true, corrected_to: "development-master" } });

    const response = await app.inject({ method: "GET", url: "/metrics" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/plain/);
    const text = response.body;
    expect(value(text, 'moe_router_routes_total{layer="keyword",expert="cicd-master"}')).toBe(2);
    expect(value(text, 'moe_router_routes_total{layer="clarification",expert="coordinator-master"}')).toBe(1);
    expect(value(text, 'moe_router_layer_latency_seconds_count{layer="keyword"}')).toBe(3);
    expect(value(text, 'moe_router_layer_latency_seconds_count{layer="memory"}')).toBe(3);
    expect(value(text, 'moe_router_clarifications_total{reason="low_confidence_cascade"}')).toBe(1);
    expect(value(text, 'moe_router_outcomes_total{layer="keyword",correctness="correct"}')).toBe(1);
    expect(value(text, 'moe_router_outcomes_total{layer="keyword",correctness="incorrect"}')).toBe(1);
    expect(value(text, 'moe_router_layer_accuracy{layer="keyword"}')).toBe(0.5);
    expect(value(text, 'moe_router_layer_accuracy_samples{layer="keyword"}')).toBe(2);
    // 3 decisions + 2 outcomes written durably.
    expect(value(text, "moe_router_store_records_written_total")).toBe(5);
    expect(value(text, "moe_router_store_records_failed_total")).toBe(0);
    expect(value(text, "moe_router_store_records_dropped_total")).toBe(0);
    // Group commit: each route waited for one acknowledgement; sequential requests, one flush each at most.
    expect(value(text, "moe_router_ack_requests_total")).toBe(3);
    expect(value(text, "moe_router_ack_flushes_total")).toBeGreaterThanOrEqual(1);
    expect(value(text, "moe_router_ack_flushes_total")).toBeLessThanOrEqual(3);
    // prom-client's process defaults.
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it("the accuracy window keeps only the most recent outcomes", async () => {
    service = await createServer({ router: testRouter(), accuracyWindow: 2, logLevel: "silent" });
    const { app } = service;
    for (const correct of [false, true, true]) {
      const routed = (await app.inject({ method: "POST", url: "/v1/route", payload: { description: "Deploy API to production" } })).json();
      await app.inject({ method: "POST", url: "/v1/outcomes", payload: { event_id: routed.event_id, completed: true, correct } });
    }
    const text = (await app.inject({ method: "GET", url: "/metrics" })).body;
    expect(value(text, 'moe_router_layer_accuracy{layer="keyword"}')).toBe(1);
    expect(value(text, 'moe_router_layer_accuracy_samples{layer="keyword"}')).toBe(2);
  });
});
