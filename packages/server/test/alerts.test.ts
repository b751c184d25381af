import { afterEach, describe, expect, it } from "vitest";
import { createServer, type AlertRuleState, type MoeRouterServer } from "../src/index.js";
import { testRouter } from "./support/router.js";

let service: MoeRouterServer | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

/** A monitor's states, changeable by the test. */
function fakeMonitor() {
  const states = new Map<string, AlertRuleState>([
    ["keyword-accuracy", { firing: true, since: "2026-11-20T03:00:00.000Z", last: { state: "firing", value: 0.7, bound: 0.76, limit: 0.85, samples: 400 } }],
    ["slow-rag", { firing: false, since: null, last: { state: "ok", value: 64, bound: 50, limit: 200, samples: 90 } }],
  ]);
  return { states, rules: () => states };
}

describe("alerts in the service", () => {
  it("exposes moe_router_alert_firing{rule} in /metrics, read at each scrape", async () => {
    const monitor = fakeMonitor();
    service = await createServer({ router: testRouter(), logLevel: "silent", alerts: monitor });
    const scrape = async () => (await service!.app.inject({ method: "GET", url: "/metrics" })).body;
    let text = await scrape();
    expect(text).toContain("# TYPE moe_router_alert_firing gauge");
    expect(text).toContain('moe_router_alert_firing{rule="keyword-accuracy"} 1');
    expect(text).toContain('moe_router_alert_firing{rule="slow-rag"} 0');
    monitor.states.set("keyword-accuracy", { firing: false, since: null, last: null });
    text = await scrape();
    expect(text).toContain('moe_router_alert_firing{rule="keyword-accuracy"} 0');
  });

  it("lists the rules' states at GET /v1/alerts, firing ones named", async () => {
    service = await createServer({ router: testRouter(), logLevel: "silent", alerts: fakeMonitor() });
    const response = await service.app.inject({ method: "GET", url: "/v1/alerts" });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.monitored).toBe(true);
    expect(body.firing).toEqual(["keyword-accuracy"]);
    expect(body.alerts).toEqual([
      { rule: "keyword-accuracy", firing: true, since: "2026-11-20T03:00:00.000Z", last: { state: "firing", value: 0.7, bound: 0.76, limit: 0.85, samples: 400 } },
      { rule: "slow-rag", firing: false, since: null, last: { state: "ok", value: 64, bound: 50, limit: 200, samples: 90 } },
    ]);
    const openapi = (await service.app.inject({ method: "GET", url: "/openapi.json" })).json();
    expect(openapi.paths["/v1/alerts"].get.operationId).toBe("getAlerts");
  });

  it("says nothing is monitored without a monitor, needs the token like the API, and refuses a bad monitor", async () => {
    service = await createServer({ router: testRouter(), logLevel: "silent", token: "a-token-of-sixteen-chars" });
    expect((await service.app.inject({ method: "GET", url: "/v1/alerts" })).statusCode).toBe(401);
    const response = await service.app.inject({ method: "GET", url: "/v1/alerts", headers: { authorization: "Bearer a-token-of-sixteen-chars" } });
    expect(response.json()).toEqual({ monitored: false, alerts: [] });
    expect((await service.app.inject({ method: "GET", url: "/metrics", headers: { authorization: "Bearer a-token-of-sixteen-chars" } })).body).not.toContain("moe_router_alert_firing");
    await expect(createServer({ router: testRouter(), alerts: {} as never })).rejects.toThrow(/must be an alert monitor/);
  });
});
