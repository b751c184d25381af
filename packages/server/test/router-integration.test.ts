/**
 * The server over the real router (`openRouter` of @moe-router/router, the embedded default
 * cascade: keyword -> semantic -> clarification) through the HTTP API.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openRouter, type Router } from "@moe-router/router";
import { afterEach, describe, expect, it } from "vitest";
import { createServer, type MoeRouterServer } from "../src/index.js";
import { runCli } from "./support/serve-process.js";

let service: MoeRouterServer | undefined;
let router: Router | undefined;
afterEach(async () => {
  await service?.close();
  await router?.close();
  service = undefined;
  router = undefined;
});

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The decision output without what differs between two routes of the same task. */
function comparable(output: Record<string, unknown>): unknown {
  const { event_id: _id, latency_ms: _latency, ...rest } = output;
  return { ...rest, attempts: (rest.attempts as Array<Record<string, unknown>>).map(({ latency_ms: _l, ...attempt }) => attempt) };
}

describe("the server over openRouter()", () => {
  it("POST /v1/route answers exactly what `moe-router route` prints", async () => {
    const dir = mkdtempSync(join(tmpdir(), "moe-server-router-"));
    router = await openRouter({ cwd: dir });
    service = await createServer({ router, logLevel: "silent" });
    for (const description of ["Deploy API to production", "Plan the team offsite agenda", "Run a security audit of the payment service"]) {
      const http = (await service.app.inject({ method: "POST", url: "/v1/route", payload: { description, id: "t-1" } })).json<Record<string, unknown>>();
      const cli = await runCli(["route", description, "--task-id", "t-1", "--no-track"], dir);
      expect(cli.code, cli.stderr).toBe(0);
      expect(comparable(http)).toEqual(comparable(JSON.parse(cli.stdout) as Record<string, unknown>));
    }
  }, 60_000);

  it("GET /v1/config and /readyz come from the router", async () => {
    const dir = mkdtempSync(join(tmpdir(), "moe-server-router-"));
    router = await openRouter({ cwd: dir });
    service = await createServer({ router, logLevel: "silent" });
    const config = (await service.app.inject({ method: "GET", url: "/v1/config" })).json<{ layers: Array<{ layer: string; threshold: number; source: string }> }>();
    expect(config.layers.map((l) => [l.layer, l.threshold, l.source])).toEqual([
      ["keyword", 0.85, "config"],
      ["semantic", 0.7, "config"],
    ]);
    expect((await service.app.inject({ method: "GET", url: "/readyz" })).json()).toEqual({ status: "ready" });
  });

  it("a correction posted to /v1/outcomes is learned online: a later route of a similar task follows it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "moe-server-learn-"));
    router = await openRouter({ cwd: dir });
    service = await createServer({ router, learnDelayMs: 50, logLevel: "silent" });
    const { app } = service;
    const task = "Renew the expiring TLS certificates on the edge proxies";
    const similar = "Renew the expiring TLS certificates on the internal proxies";
    const before = (await app.inject({ method: "POST", url: "/v1/route", payload: { description: task } })).json<{ master: string; event_id: string }>();
    const beforeSimilar = (await app.inject({ method: "POST", url: "/v1/route", payload: { description: similar } })).json<{ master: string }>();
    const target = before.master === "security-master" ? "inventory-master" : "security-master";
    expect(beforeSimilar.master).not.toBe(target);
    const outcome = await app.inject({ method: "POST", url: "/v1/outcomes", payload: { event_id: before.event_id, completed: true, corrected_to: target } });
    expect(outcome.statusCode).toBe(200);
    await until(async () => /moe_router_learn_examples_total\{result="learned"\} 1/.test((await app.inject({ method: "GET", url: "/metrics" })).body), 10_000);
    const after = (await app.inject({ method: "POST", url: "/v1/route", payload: { description: similar } })).json<{ master: string; layer: string }>();
    expect(after).toMatchObject({ master: target, layer: "semantic" });
  }, 60_000);
});
