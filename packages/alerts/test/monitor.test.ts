import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { RoutingEvent } from "@moe-router/tracker";
import { createAlertMonitor, type AlertNotification, type AlertRule } from "../src/index.js";
import { event, source } from "./support/events.js";

const START = Date.parse("2026-11-20T12:00:00.000Z");
const RULE: AlertRule = { name: "keyword-accuracy", metric: "accuracy", layer: "keyword", window: "1h", below: 0.85, min_samples: 50 };

/** A loopback HTTP receiver: answers each request with the next status of `statuses` (then 200). */
async function receiver(statuses: number[] = []): Promise<{ url: string; bodies: AlertNotification[]; requests: number; server: Server; close(): Promise<void> }> {
  const state = { bodies: [] as AlertNotification[], requests: 0 };
  const server = createServer((request: IncomingMessage, response) => {
    let text = "";
    request.on("data", (chunk) => (text += chunk));
    request.on("end", () => {
      state.requests++;
      const status = statuses.shift() ?? 200;
      if (status === 200) state.bodies.push(JSON.parse(text) as AlertNotification);
      if (status === 0) return; // never answer: the client's timeout must give up
      response.writeHead(status, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    get bodies() {
      return state.bodies;
    },
    get requests() {
      return state.requests;
    },
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A mutable log and a clock: `minute(n, share)` appends n keyword decisions at the clock, `share` of them right. */
function world() {
  const events: RoutingEvent[] = [];
  let now = START;
  return {
    events,
    clock: () => now,
    advance(ms: number) {
      now += ms;
    },
    add(n: number, rightShare: number) {
      for (let i = 0; i < n; i++) events.push(event({ at: now - 1 - i * 100, right: i < Math.round(n * rightShare) }));
    },
  };
}

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

describe("alert monitor", () => {
  it("notifies the webhook once per transition, in order, with hysteresis", async () => {
    const hook = await receiver();
    open.push(hook);
    const w = world();
    const changes: AlertNotification[] = [];
    const monitor = createAlertMonitor({ rules: [RULE], store: source(w.events), webhook: { url: hook.url }, onChange: (n) => changes.push(n), now: w.clock });
    open.push(monitor);
    w.add(200, 0.95);
    await monitor.evaluate();
    expect(monitor.firing()).toEqual([]);
    // The last hour turns bad: 70 % right, the upper bound well under 85 %.
    w.advance(3_600_000);
    w.add(200, 0.7);
    const [bad] = (await monitor.evaluate())!;
    expect(bad!.state).toBe("firing");
    expect(monitor.firing()).toEqual(["keyword-accuracy"]);
    // Still bad an hour later: no second notification.
    w.advance(3_600_000);
    w.add(200, 0.7);
    await monitor.evaluate();
    // 84 %: the bound is above the limit again ("ok" for a stateless check) but the value is
    // still under it, so the rule keeps firing (hysteresis).
    w.advance(3_600_000);
    w.add(200, 0.84);
    const [between] = (await monitor.evaluate())!;
    expect(between!.state).toBe("ok");
    expect(monitor.firing()).toEqual(["keyword-accuracy"]);
    // Too few samples says nothing: the state stays.
    w.advance(3_600_000);
    w.add(10, 1);
    expect((await monitor.evaluate())![0]!.state).toBe("insufficient_data");
    expect(monitor.firing()).toEqual(["keyword-accuracy"]);
    // Recovered: 95 %.
    w.advance(3_600_000);
    w.add(200, 0.95);
    await monitor.evaluate();
    expect(monitor.firing()).toEqual([]);
    await monitor.flush();
    expect(changes.map((c) => c.status)).toEqual(["firing", "resolved"]);
    expect(hook.bodies.map((b) => b.status)).toEqual(["firing", "resolved"]);
    const [firing, resolved] = hook.bodies;
    expect(firing).toMatchObject({
      type: "moe-router.alert",
      rule: RULE,
      evaluation: { rule: "keyword-accuracy", state: "firing", value: 0.7, samples: 200 },
      at: new Date(START + 3_600_000).toISOString(),
    });
    expect(resolved!.firingSince).toBe(firing!.at);
    expect(monitor.stats()).toMatchObject({ evaluations: 6, failures: 0, notificationsSent: 2, notificationsFailed: 0 });
    expect(monitor.rules().get("keyword-accuracy")).toMatchObject({ firing: false, since: null });
  });

  it("retries a failing webhook with backoff, and past requests that time out, without blocking evaluation", async () => {
    const hook = await receiver([503, 500, 200, 0, 0]);
    open.push(hook);
    const w = world();
    const errors: string[] = [];
    const monitor = createAlertMonitor({
      rules: [RULE, { ...RULE, name: "second" }],
      store: source(w.events),
      webhook: { url: hook.url, attempts: 3, backoffMs: 20, timeoutMs: 200 },
      onError: (error) => errors.push(error.code),
      now: w.clock,
    });
    open.push(monitor);
    w.add(200, 0.5);
    const started = performance.now();
    await monitor.evaluate();
    // Evaluating does not wait for deliveries.
    expect(performance.now() - started).toBeLessThan(1_000);
    await monitor.flush();
    // First notification: 503, 500, then 200. Second: two timeouts and a 200.
    expect(hook.requests).toBe(6);
    expect(hook.bodies.map((b) => b.rule.name)).toEqual(["keyword-accuracy", "second"]);
    expect(monitor.stats()).toMatchObject({ notificationsSent: 2, notificationsFailed: 0 });
    expect(errors).toEqual([]);
  });

  it("counts a webhook that refuses, an unreachable store and a throwing listener, never throwing", async () => {
    const hook = await receiver([400]);
    open.push(hook);
    const w = world();
    let broken = false;
    const store = {
      *read(range?: { since?: Date; until?: Date }) {
        if (broken) throw new Error("disk gone");
        yield* source(w.events).read(range);
      },
    };
    const errors: string[] = [];
    const monitor = createAlertMonitor({
      rules: [RULE],
      store,
      webhook: { url: hook.url, attempts: 3, backoffMs: 10 },
      onChange: () => {
        throw new Error("listener bug");
      },
      onError: (e) => errors.push(`${e.code} ${e.message}`),
      now: w.clock,
    });
    open.push(monitor);
    w.add(200, 0.5);
    await monitor.evaluate();
    await monitor.flush();
    // A 400 is not retried: the receiver will not change its mind.
    expect(hook.requests).toBe(1);
    broken = true;
    expect(await monitor.evaluate()).toBeUndefined();
    expect(monitor.firing()).toEqual(["keyword-accuracy"]);
    expect(monitor.stats()).toMatchObject({ evaluations: 1, failures: 1, notificationsSent: 0, notificationsFailed: 1, lastError: { code: "MOE_STORE_FAILED" } });
    expect(errors.some((m) => m.includes("onChange listener threw"))).toBe(true);
    expect(errors.some((m) => m.startsWith("MOE_NOTIFY_FAILED") && m.includes("did not accept") && m.includes("HTTP 400"))).toBe(true);
    expect(errors.some((m) => m.includes("disk gone"))).toBe(true);
  });

  it("evaluates on its own every intervalMs once started, and stops on close", async () => {
    const w = world();
    w.add(100, 0.5);
    const monitor = createAlertMonitor({ rules: [RULE], store: source(w.events), intervalMs: 100, now: w.clock });
    monitor.start();
    monitor.start();
    await new Promise((resolve) => setTimeout(resolve, 450));
    await monitor.close();
    const { evaluations } = monitor.stats();
    expect(evaluations).toBeGreaterThanOrEqual(2);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(monitor.stats().evaluations).toBe(evaluations);
    expect(monitor.firing()).toEqual(["keyword-accuracy"]);
  });

  it("refuses bad rules and options at creation with coded errors", () => {
    const w = world();
    expect(() => createAlertMonitor({ rules: [{ ...RULE, window: "soon" }], store: source(w.events) })).toThrow(/window must be a duration/);
    expect(() => createAlertMonitor({ rules: [RULE], store: source(w.events), webhook: { url: "ftp://x" } })).toThrow(/http\(s\) URL/);
    expect(() => createAlertMonitor({ rules: [RULE], store: {} as never })).toThrow(/event store/);
    expect(() => createAlertMonitor({ rules: [RULE], store: source(w.events), intervalMs: 5 })).toThrow(/intervalMs/);
  });
});
