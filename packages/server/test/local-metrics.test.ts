import { Counter, Histogram, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { LocalCounter, LocalHistogram } from "../src/internal/local-metrics.js";

const BUCKETS = [0.00001, 0.0001, 0.001, 0.01, 0.1, 1];
// On a bound, between bounds, above the top, zero; several label values, in no order.
const SAMPLES: Array<[string, number]> = [
  ["keyword", 0.00001],
  ["keyword", 0.00002],
  ["semantic", 0.5],
  ["keyword", 0],
  ["semantic", 3],
  ["rag", 0.001],
  ["keyword", 0.00009],
  ["semantic", 0.1],
];

function pair(): { local: Registry; reference: Registry } {
  return { local: new Registry(), reference: new Registry() };
}

describe("LocalHistogram", () => {
  it("exposes exactly what prom-client's Histogram exposes for the same observations", async () => {
    const { local, reference } = pair();
    const mine = new LocalHistogram({ name: "latency_seconds", help: "Latency.", labelName: "layer", buckets: BUCKETS, registers: [local] });
    const theirs = new Histogram({ name: "latency_seconds", help: "Latency.", labelNames: ["layer"], buckets: BUCKETS, registers: [reference] });
    for (const [layer, value] of SAMPLES) {
      mine.cell(layer).observe(value);
      theirs.observe({ layer }, value);
    }
    expect(await local.metrics()).toBe(await reference.metrics());
    expect(await local.getMetricsAsJSON()).toEqual(await reference.getMetricsAsJSON());
    expect(await local.metrics()).toMatch(/^latency_seconds_bucket\{le="\+Inf",layer="semantic"\} 3$/m);
  });

  it("scraping does not change the figures; reset empties them", async () => {
    const registry = new Registry();
    const histogram = new LocalHistogram({ name: "h", help: "h", labelName: "layer", buckets: BUCKETS, registers: [registry] });
    histogram.cell("keyword").observe(0.00002);
    const first = await registry.metrics();
    expect(await registry.metrics()).toBe(first);
    expect(first).toMatch(/^h_count\{layer="keyword"\} 1$/m);
    registry.resetMetrics();
    expect(await registry.metrics()).not.toMatch(/h_count/);
  });

  it("ignores a value that is not a finite number instead of breaking the request", async () => {
    const registry = new Registry();
    const histogram = new LocalHistogram({ name: "h", help: "h", labelName: "layer", buckets: BUCKETS, registers: [registry] });
    histogram.cell("keyword").observe(Number.NaN);
    histogram.cell("keyword").observe(0.5);
    expect(await registry.metrics()).toMatch(/^h_count\{layer="keyword"\} 1$/m);
  });
});

describe("LocalCounter", () => {
  it("shows at each scrape every increment since the last one, as prom-client's Counter does", async () => {
    const { local, reference } = pair();
    const mine = new LocalCounter({ name: "routes_total", help: "Routes.", labelNames: ["layer", "expert"], registers: [local] });
    const theirs = new Counter({ name: "routes_total", help: "Routes.", labelNames: ["layer", "expert"], registers: [reference] });
    const route = (layer: string, expert: string) => {
      mine.cell(`${layer}\u0000${expert}`, () => ({ layer, expert })).pending++;
      theirs.inc({ layer, expert });
    };
    route("keyword", "cicd-master");
    route("keyword", "cicd-master");
    route("clarification", "coordinator-master");
    expect(await local.metrics()).toBe(await reference.metrics());
    // A second scrape without new increments must not count them again.
    expect(await local.metrics()).toBe(await reference.metrics());
    route("keyword", "cicd-master");
    expect(await local.metrics()).toBe(await reference.metrics());
    expect(await local.metrics()).toMatch(/^routes_total\{layer="keyword",expert="cicd-master"\} 3$/m);
  });
});
