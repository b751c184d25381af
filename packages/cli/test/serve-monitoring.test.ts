import { mkdirSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createServer, type MoeRouterServer } from "@moe-router/server";
import { openRouter, type Router } from "@moe-router/router";
import { generateSampleRecords, parseDegradation } from "@moe-router/tracker";
import { serviceAlertMonitor, serviceObservers } from "../src/monitoring.js";
import { tempCwd } from "./support/io.js";
import { asReal } from "./support/tracking.js";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

/** A loopback webhook receiver collecting the JSON bodies it gets. */
async function receiver(): Promise<{ url: string; bodies: Record<string, unknown>[] }> {
  const bodies: Record<string, unknown>[] = [];
  const server: Server = createHttpServer((request, response) => {
    let text = "";
    request.on("data", (chunk) => (text += chunk));
    request.on("end", () => {
      bodies.push(JSON.parse(text));
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanup.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies };
}

describe("moe-router serve: alert monitor and OpenTelemetry from the config", () => {
  it("evaluates the config's rules on the router's store, POSTs the webhook, and serves the gauge and /v1/alerts", async () => {
    const cwd = tempCwd("moe-serve-alerts-");
    mkdirSync(join(cwd, ".moe-router"));
    const end = new Date();
    const records = asReal(generateSampleRecords({ count: 6000, seed: 4, days: 3, end, drift: 0, degrade: [parseDegradation("keyword:0.5@-24h", end)] }));
    writeFileSync(join(cwd, ".moe-router/events.jsonl"), `${[...records].map((r) => JSON.stringify(r)).join("\n")}\n`);
    const hook = await receiver();
    writeFileSync(
      join(cwd, "moe.json"),
      JSON.stringify({
        layers: [{ package: "@moe-router/layer-keyword", threshold: 0.85 }],
        alerts: [
          { name: "keyword-accuracy", metric: "accuracy", layer: "keyword", window: "24h", below: 0.85, min_samples: 50 },
          { name: "clarification-spike", metric: "clarification_rate", window: "24h", above: 0.5, min_samples: 50 },
        ],
        alertMonitor: { intervalMs: 60_000, webhook: { url: hook.url, attempts: 2, backoffMs: 10 } },
      }),
    );
    const router: Router = await openRouter({ config: "moe.json", cwd });
    cleanup.push(() => router.close());
    const lines: string[] = [];
    const monitor = serviceAlertMonitor(router, cwd, { warn: (_f, m) => lines.push(`warn ${m}`), info: (_f, m) => lines.push(`info ${m}`) })!;
    expect(monitor).toBeDefined();
    cleanup.push(() => monitor.close());
    const service: MoeRouterServer = await createServer({ router, logLevel: "silent", alerts: monitor });
    cleanup.push(() => service.close());
    await monitor.evaluate();
    await monitor.flush();
    expect(monitor.firing()).toEqual(["keyword-accuracy"]);
    expect(hook.bodies).toHaveLength(1);
    expect(hook.bodies[0]).toMatchObject({ type: "moe-router.alert", status: "firing", rule: { name: "keyword-accuracy" }, evaluation: { state: "firing" } });
    expect(lines).toContain("warn alert keyword-accuracy started firing");
    const metrics = (await service.app.inject({ method: "GET", url: "/metrics" })).body;
    expect(metrics).toContain('moe_router_alert_firing{rule="keyword-accuracy"} 1');
    expect(metrics).toContain('moe_router_alert_firing{rule="clarification-spike"} 0');
    const alerts = (await service.app.inject({ method: "GET", url: "/v1/alerts" })).json();
    expect(alerts.firing).toEqual(["keyword-accuracy"]);
    expect(alerts.alerts[0].last.samples).toBeGreaterThanOrEqual(50);
  });

  it("runs no monitor without rules, warns when tracking is off, and adds the OpenTelemetry observer only when enabled", async () => {
    const cwd = tempCwd("moe-serve-alerts-off-");
    const plain = await openRouter({ cwd });
    cleanup.push(() => plain.close());
    expect(serviceAlertMonitor(plain, cwd, { warn: () => {}, info: () => {} })).toBeUndefined();
    const rule = { name: "a", metric: "accuracy", window: "1h", below: 0.5 };
    writeFileSync(join(cwd, "off.json"), JSON.stringify({ layers: [{ package: "@moe-router/layer-keyword", threshold: 0.85 }], tracking: { enabled: false }, alerts: [rule] }));
    const untracked = await openRouter({ config: "off.json", cwd });
    cleanup.push(() => untracked.close());
    const warnings: string[] = [];
    expect(serviceAlertMonitor(untracked, cwd, { warn: (_f, m) => warnings.push(m), info: () => {} })).toBeUndefined();
    expect(warnings[0]).toContain("tracking is off");
    expect(serviceObservers({ layers: [], otel: { enabled: true } })).toHaveLength(1);
    expect(serviceObservers({ layers: [], otel: { enabled: false } })).toHaveLength(0);
    expect(serviceObservers({ layers: [] })).toHaveLength(0);
  });
});
