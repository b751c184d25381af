import type { RoutingEvent } from "@moe-router/tracker";
import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { SnapshotCache } from "../src/dashboard/cache.js";
import { DASHBOARD_CSP } from "../src/dashboard/page.js";
import { dashboardPlugin } from "../src/dashboard/plugin.js";
import { SeriesAccumulator } from "../src/dashboard/series.js";
import { buildSnapshot, type DashboardSnapshot } from "../src/dashboard/snapshot.js";
import type { RouterHandle, ServerPluginContext } from "../src/types.js";

const NOW = Date.parse("2026-11-30T12:30:30.000Z");
let counter = 0;

/** A decision record: keyword decides (or, with layer "clarification", nobody does). */
function event(minutesAgo: number, options: { layer?: string; correct?: boolean; correctedTo?: string; latency?: number; description?: string } = {}): RoutingEvent {
  const layer = options.layer ?? "keyword";
  counter++;
  return {
    schema_version: 1,
    record_type: "decision",
    event_id: `evt-${counter}`,
    timestamp: new Date(NOW - minutesAgo * 60_000).toISOString(),
    task_description: options.description ?? `task ${counter}`,
    selected_master: layer === "clarification" ? "coordinator-master" : "cicd-master",
    routing_layer: layer,
    confidence: layer === "clarification" ? 0.3 : 0.9,
    layer_attempts: [
      { layer_name: "keyword", selected_master: "cicd-master", confidence: layer === "clarification" ? 0.3 : 0.9, threshold: 0.85, success: layer !== "clarification", latency_ms: 0.05 },
    ],
    total_latency_ms: options.latency ?? 1,
    ...(options.correct !== undefined || options.correctedTo
      ? { outcome: { task_completed: true, was_correct_master: options.correct ?? false, ...(options.correctedTo ? { user_corrected_to: options.correctedTo } : {}) } }
      : {}),
  };
}

/** Newest first, as stores read. */
function source(events: RoutingEvent[]) {
  const sorted = [...events].sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp));
  return {
    reads: 0,
    read(range?: { since?: Date }) {
      this.reads++;
      return sorted.filter((e) => !range?.since || Date.parse(e.timestamp) >= range.since.getTime());
    },
  };
}

describe("dashboard series", () => {
  it("buckets decisions per minute, with clarification rate, accuracy from outcomes and p95 latency", () => {
    const minutes = new SeriesAccumulator({ bucketMs: 60_000, buckets: 60 }, NOW);
    const latencies = Array.from({ length: 20 }, (_, i) => i + 1);
    for (const latency of latencies) minutes.add(event(0, { latency }));
    minutes.add(event(0, { layer: "clarification", correct: false }));
    minutes.add(event(2, { correct: true }));
    minutes.add(event(2, { correct: true, correctedTo: "security-master" })); // a correction overrides "correct"
    minutes.add(event(61)); // before the first bucket
    const points = minutes.result();
    expect(points).toHaveLength(60);
    expect(points[59]).toMatchObject({ start: "2026-11-30T12:30:00.000Z", decisions: 21, clarifications: 1, judged: 1, correct: 0, accuracy: 0 });
    // The tracker's accumulator: nearest-rank p95 within 0.5 % (a sparse histogram, bounded memory).
    expect(Math.abs(points[59]!.p95LatencyMs! - 19) / 19).toBeLessThan(0.005);
    expect(points[59]!.clarificationRate).toBeCloseTo(1 / 21);
    expect(points[57]).toMatchObject({ start: "2026-11-30T12:28:00.000Z", decisions: 2, judged: 2, correct: 1, accuracy: 0.5 });
    expect(points[0]).toMatchObject({ start: "2026-11-30T11:31:00.000Z", decisions: 0, clarificationRate: null, accuracy: null, p95LatencyMs: null });
  });

  it("builds the snapshot in one read: layers from the analysis, hourly and per-minute series, recent decisions", async () => {
    const events = [event(1, { correct: true }), event(5, { layer: "clarification" }), event(90, { correct: false, correctedTo: "security-master" }), event(60 * 30)];
    const store = source(events);
    const snapshot = await buildSnapshot(store, { windowHours: 24, recent: 2, descriptionChars: 5, now: NOW });
    expect(store.reads).toBe(1);
    expect(snapshot.totals).toMatchObject({ decisions: 3, withOutcome: 2, judged: 2, accuracy: 0.5 });
    expect(snapshot.layers.map((l) => l.layer)).toEqual(["keyword"]);
    expect(snapshot.layers[0]).toMatchObject({ attempts: 3, accepted: 2, judged: 2, accuracy: 0.5 });
    expect(snapshot.hourly).toHaveLength(24);
    expect(snapshot.hourly[23]).toMatchObject({ start: "2026-11-30T12:00:00.000Z", decisions: 2 });
    expect(snapshot.hourly[22]).toMatchObject({ start: "2026-11-30T11:00:00.000Z", decisions: 1, judged: 1, accuracy: 0 });
    expect(snapshot.hourly[21]).toMatchObject({ decisions: 0 });
    expect(snapshot.minutely.reduce((sum, p) => sum + p.decisions, 0)).toBe(2);
    expect(snapshot.recent.map((d) => d.eventId)).toEqual([events[0]!.event_id, events[1]!.event_id]);
    expect(snapshot.recent[0]).toMatchObject({ correct: true, layer: "keyword" });
    expect(snapshot.recent[0]!.description).toHaveLength(5);
  });
});

describe("dashboard and sample data (issue 13)", () => {
  it("leaves generated sample decisions out of every figure and counts them; includeSynthetic counts them", async () => {
    const real = [event(1, { correct: true }), event(3, { correct: true })];
    const samples = Array.from({ length: 5 }, (_, i) => ({ ...event(2 + i, { correct: false }), synthetic: true }));
    const store = source([...real, ...samples, { ...event(60 * 30), synthetic: true }]);
    const snapshot = await buildSnapshot(store, { windowHours: 24, recent: 10, descriptionChars: 20, now: NOW });
    expect(snapshot.totals).toMatchObject({ decisions: 2, judged: 2, accuracy: 1 });
    expect(snapshot.syntheticExcluded).toBe(5);
    expect(snapshot.recent.map((d) => d.eventId)).toEqual(real.map((e) => e.event_id));
    expect(snapshot.minutely.reduce((sum, p) => sum + p.decisions, 0)).toBe(2);
    expect(snapshot.hourly.reduce((sum, p) => sum + p.decisions, 0)).toBe(2);
    const all = await buildSnapshot(store, { windowHours: 24, recent: 10, descriptionChars: 20, now: NOW, includeSynthetic: true });
    expect(all.totals).toMatchObject({ decisions: 7, judged: 7 });
    expect(all.syntheticExcluded).toBe(0);
  });
});

describe("snapshot cache", () => {
  it("serves one computation to concurrent callers, reuses it while fresh or idle, recomputes after a change", async () => {
    let time = 0;
    let computed = 0;
    const cache = new SnapshotCache(async () => ++computed, { freshMs: 1000, idleMs: 5000, clock: () => time });
    expect(await Promise.all([cache.get(), cache.get(), cache.get()])).toEqual([1, 1, 1]);
    time = 2000;
    expect(await cache.get()).toBe(1); // idle: nothing changed here
    cache.markChanged();
    expect(await cache.get()).toBe(2);
    time = 2500;
    cache.markChanged();
    expect(await cache.get()).toBe(2); // still fresh
    time = 6000;
    expect(await cache.get()).toBe(3);
    time = 12_000;
    expect(await cache.get()).toBe(4); // idle too long: other instances may have written
  });

  it("keeps a snapshot that was slow to compute for costFactor times its cost", async () => {
    let time = 0;
    let computed = 0;
    const cache = new SnapshotCache(
      async () => {
        time += 2000; // the store read took 2 s
        return ++computed;
      },
      { freshMs: 1000, idleMs: 5000, costFactor: 4, clock: () => time },
    );
    expect(await cache.get()).toBe(1);
    cache.markChanged();
    time = 7000;
    expect(await cache.get()).toBe(1); // 7 s after the start < 4 x 2 s
    time = 8500;
    expect(await cache.get()).toBe(2);
  });

  it("does not keep a failure", async () => {
    let fail = true;
    const cache = new SnapshotCache(
      async () => {
        if (fail) throw new Error("store down");
        return 7;
      },
      { freshMs: 1000, idleMs: 5000 },
    );
    await expect(cache.get()).rejects.toThrow("store down");
    fail = false;
    expect(await cache.get()).toBe(7);
  });
});

function context(router: Partial<RouterHandle> = {}): ServerPluginContext & { emit(): void } {
  const listeners = new Set<() => void>();
  return {
    router: router as RouterHandle,
    onDecision(listener) {
      const l = () => listener(undefined as never);
      listeners.add(l);
      return () => void listeners.delete(l);
    },
    onOutcome: () => () => undefined,
    emit: () => listeners.forEach((l) => l()),
  };
}

describe("dashboard plugin", () => {
  it("serves the page, script, style and data with a strict CSP and no inline script", async () => {
    const app = Fastify();
    const events = source([event(1, { correct: true, description: '<img src=x onerror="alert(1)">' })]);
    await dashboardPlugin({ events, now: () => NOW, alerts: () => [{ name: "keyword-accuracy", message: "accuracy 0.71 < 0.85" }] }).register(app, context());
    const page = await app.inject({ method: "GET", url: "/dashboard" });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.headers["content-security-policy"]).toBe(DASHBOARD_CSP);
    expect(DASHBOARD_CSP).toContain("script-src 'self'");
    expect(DASHBOARD_CSP).not.toContain("unsafe");
    expect(page.headers["x-content-type-options"]).toBe("nosniff");
    expect(page.body).not.toMatch(/<script>|<style|\sstyle=|\son\w+=/);
    expect(page.body).toContain('<script src="/dashboard/app.js" defer></script>');
    const script = await app.inject({ method: "GET", url: "/dashboard/app.js" });
    expect(script.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(script.body).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
    expect((await app.inject({ method: "GET", url: "/dashboard/app.css" })).headers["content-type"]).toBe("text/css; charset=utf-8");
    const data = await app.inject({ method: "GET", url: "/dashboard/data" });
    expect(data.statusCode).toBe(200);
    const snapshot = data.json<DashboardSnapshot>();
    expect(snapshot.totals.decisions).toBe(1);
    expect(snapshot.recent[0]!.description).toBe('<img src=x onerror="alert(1)">');
    expect(snapshot.alerts).toEqual([{ name: "keyword-accuracy", message: "accuracy 0.71 < 0.85" }]);
    await app.close();
  });

  it("reads the router's events by default and recomputes after a decision here", async () => {
    const events: RoutingEvent[] = [event(1)];
    const app = Fastify();
    const ctx = context({ read: (range?: { since?: Date }) => source(events).read(range) } as Partial<RouterHandle>);
    await dashboardPlugin({ now: () => NOW }).register(app, ctx);
    const first = (await app.inject({ method: "GET", url: "/dashboard/data" })).json<DashboardSnapshot>();
    expect(first.totals.decisions).toBe(1);
    expect(first.alerts).toBeNull();
    events.push(event(0));
    ctx.emit();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = (await app.inject({ method: "GET", url: "/dashboard/data" })).json<DashboardSnapshot>();
    expect(second.totals.decisions).toBe(2);
    await app.close();
  });

  it("answers a coded error when tracking is off, and refuses bad options", async () => {
    const app = Fastify();
    await dashboardPlugin().register(app, context());
    const data = await app.inject({ method: "GET", url: "/dashboard/data" });
    expect(data.statusCode).toBeGreaterThanOrEqual(500);
    await app.close();
    expect(() => dashboardPlugin({ refreshMs: 5 })).toThrow(/refreshMs/);
    expect(() => dashboardPlugin({ windowHours: -1 })).toThrow(/windowHours/);
  });
});

describe("firingAlerts", () => {
  it("lists the firing rules of a monitor with what was measured against which limit", async () => {
    const { firingAlerts } = await import("../src/dashboard/alerts.js");
    const rules = new Map([
      ["keyword-accuracy", { firing: true, since: "2026-11-30T11:00:00.000Z", last: { metric: "accuracy", layer: "keyword", value: 0.71, direction: "below" as const, limit: 0.85, samples: 120 } }],
      ["slow-rag", { firing: false, since: null, last: null }],
      ["slow", { firing: true, since: null, last: { metric: "latency_p95_ms", layer: null, value: 250, direction: "above" as const, limit: 200, samples: 80 } }],
    ]);
    expect(firingAlerts({ rules: () => rules })()).toEqual([
      { name: "keyword-accuracy", message: "accuracy of keyword 71.0% < 85.0% (120 samples)", since: "2026-11-30T11:00:00.000Z", value: 0.71 },
      { name: "slow", message: "latency_p95_ms 250.0 ms > 200.0 ms (80 samples)", value: 250 },
    ]);
  });
});
