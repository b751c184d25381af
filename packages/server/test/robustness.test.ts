import { readFileSync } from "node:fs";
import { ErrorCode, MoeRouterError, type Layer } from "@moe-router/core";
import { keywordLayer } from "@moe-router/layer-keyword";
import type { EventStore } from "@moe-router/tracker";
import { afterEach, describe, expect, it } from "vitest";
import { createServer, type MoeRouterServer } from "../src/index.js";
import { testRouter } from "./support/router.js";

let service: MoeRouterServer | undefined;
afterEach(async () => {
  await service?.close().catch(() => undefined);
  service = undefined;
});

/** A layer whose details are awkward for JSON: circular, BigInt, a throwing getter. */
function awkwardLayer(): Layer {
  return {
    name: "awkward",
    route() {
      const circular: Record<string, unknown> = { name: "loop" };
      circular.self = circular;
      const details: Record<string, unknown> = { circular, big: 12345678901234567890n, list: [1, circular] };
      Object.defineProperty(details, "broken", {
        enumerable: true,
        get: () => {
          throw new Error("getter exploded");
        },
      });
      return { expert: "security-master", confidence: 0.99, details };
    },
  };
}

function throwingLayer(): Layer {
  return {
    name: "thrower",
    route() {
      throw new Error("layer exploded");
    },
  };
}

/** A store whose flush fails or never settles. */
function brokenStore(mode: "fail" | "hang"): EventStore {
  const stats = { appended: 0, written: 0, failed: 0, dropped: 0, pending: 0, tornLines: 0, invalidRecords: 0, invalidFields: 0, duplicates: 0 };
  return {
    description: "broken store",
    append() {
      stats.appended++;
    },
    flush: () => (mode === "fail" ? Promise.reject(new MoeRouterError(ErrorCode.STORE_FAILED, "disk full")) : new Promise<void>(() => {})),
    async *read() {},
    recentEvents: async () => [],
    get: async () => undefined,
    onError: () => () => {},
    stats: () => stats,
    close: async () => {},
  };
}

describe("a failing layer or store", () => {
  it("a throwing layer becomes an errored attempt; the route still answers 200", async () => {
    service = await createServer({
      router: testRouter({
        layers: [
          { layer: throwingLayer(), threshold: 0.5 },
          { layer: keywordLayer(), threshold: 0.85 },
        ],
      }),
      logLevel: "silent",
    });
    const response = await service.app.inject({ method: "POST", url: "/v1/route", payload: { description: "Deploy API to production" } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ master: "cicd-master", layer: "keyword" });
    const metrics = (await service.app.inject({ method: "GET", url: "/metrics" })).body;
    expect(metrics).toMatch(/moe_router_layer_errors_total\{layer="thrower",code="MOE_LAYER_FAILED"\} 1/);
  });

  it("a layer that never answers is cut off at its time budget; the request does not hang", async () => {
    const hanging: Layer = { name: "hanging", capabilities: { async: true }, route: () => new Promise(() => {}) };
    const router = testRouter({
      layers: [
        { layer: hanging, threshold: 0.5, timeoutMs: 100 },
        { layer: keywordLayer(), threshold: 0.85 },
      ],
    });
    service = await createServer({ router, logLevel: "silent" });
    const started = Date.now();
    const response = await service.app.inject({ method: "POST", url: "/v1/route", payload: { description: "Deploy API to production" } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ master: "cicd-master", layer: "keyword" });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("a store that fails its flush gives 503 MOE_STORE_FAILED with the unrecorded decision, and the process goes on", async () => {
    service = await createServer({ router: testRouter({ store: brokenStore("fail") }), logLevel: "silent" });
    const response = await service.app.inject({ method: "POST", url: "/v1/route", payload: { description: "Deploy API to production" } });
    expect(response.statusCode).toBe(503);
    const body = response.json();
    expect(body.error.code).toBe("MOE_STORE_FAILED");
    expect(body.decision).toMatchObject({ master: "cicd-master" });
    expect((await service.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
  });

  it("a store that never acknowledges does not hang the request: 503 after ackTimeoutMs", async () => {
    service = await createServer({ router: testRouter({ store: brokenStore("hang") }), ackTimeoutMs: 200, logLevel: "silent" });
    const started = Date.now();
    const response = await service.app.inject({ method: "POST", url: "/v1/route", payload: { description: "Deploy API to production" } });
    expect(response.statusCode).toBe(503);
    expect(response.json().error.message).toMatch(/200 ms/);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe("awkward layer details", () => {
  it("circular, BigInt and throwing-getter details neither crash the response nor lose the record", async () => {
    const router = testRouter({ layers: [{ layer: awkwardLayer(), threshold: 0.5 }] });
    service = await createServer({ router, logLevel: "silent" });
    const response = await service.app.inject({ method: "POST", url: "/v1/route", payload: { description: "anything at all" } });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.master).toBe("security-master");
    const details = body.attempts[0].details;
    expect(details.circular).toEqual({ name: "loop", self: "[Circular]" });
    expect(details.big).toBe("12345678901234567890");
    expect(details.broken).toMatch(/getter exploded/);
    const stored = readFileSync(router.path, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(stored.find((r) => r.event_id === body.event_id)?.layer_attempts[0].metadata.big).toBe("12345678901234567890");
    expect((await service.app.inject({ method: "GET", url: `/v1/events/${body.event_id}` })).statusCode).toBe(200);
  });
});
