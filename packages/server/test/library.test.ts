import { readFileSync } from "node:fs";
import type { Layer } from "@moe-router/core";
import { afterEach, describe, expect, it } from "vitest";
import { createServer, startServer, type MoeRouterServer, type RunningServer, type ServerPlugin } from "../src/index.js";
import { testRouter } from "./support/router.js";

let service: MoeRouterServer | RunningServer | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

function slowLayer(ms: number): Layer & { started: number } {
  const layer = {
    name: "slow",
    capabilities: { async: true },
    started: 0,
    route: () => {
      layer.started++;
      return new Promise<{ expert: string; confidence: number }>((resolve) => setTimeout(() => resolve({ expert: "development-master", confidence: 0.95 }), ms));
    },
  };
  return layer;
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("startServer().close()", () => {
  it("answers the requests in flight, has them stored, refuses new connections; closeRouter closes the router", async () => {
    const slow = slowLayer(300);
    const router = testRouter({ layers: [{ layer: slow, threshold: 0.9 }] });
    const running = await startServer({ router, port: 0, logLevel: "silent", closeRouter: true, shutdownTimeoutMs: 8000 });
    const inFlight = Array.from({ length: 5 }, (_, i) =>
      fetch(`${running.url}/v1/route`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ description: `task ${i}` }) }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { event_id: string },
      })),
    );
    // All five are being routed (in the slow layer) when the stop begins.
    await until(() => slow.started === 5);
    const stopping = Date.now();
    await running.close();
    // fetch keeps its connections alive; answers during the stop close them, so the stop does not wait for the timeout.
    expect(Date.now() - stopping).toBeLessThan(4000);
    const answers = await Promise.all(inFlight);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    const stored = readFileSync(router.path, "utf8");
    for (const a of answers) expect(stored).toContain(a.body.event_id);
    expect(router.closed).toBe(true);
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
    await running.close(); // idempotent
  });

  it("a request that arrives while stopping gets 503 MOE_NOT_READY; readyz says it is stopping", async () => {
    service = await createServer({ router: testRouter({ layers: [{ layer: slowLayer(300), threshold: 0.9 }] }), logLevel: "silent" });
    const { app } = service;
    const slow = app.inject({ method: "POST", url: "/v1/route", payload: { description: "slow" } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closing = service.close();
    const late = await app.inject({ method: "POST", url: "/v1/route", payload: { description: "late" } }).catch((error: unknown) => error);
    expect((await slow).statusCode).toBe(200);
    await closing;
    // inject() after close may be refused by fastify itself; if it answered, it said 503.
    if (late && typeof late === "object" && "statusCode" in late) expect((late as { statusCode: number }).statusCode).toBe(503);
  });
});

describe("plugins", () => {
  it("a plugin adds a route behind the same auth and error format, and hears decisions and outcomes", async () => {
    const heard: string[] = [];
    const plugin: ServerPlugin = {
      name: "recent",
      register(app, context) {
        const recent: string[] = [];
        context.onDecision((decision) => {
          recent.push(decision.expert);
          heard.push(`decision:${decision.expert}`);
        });
        context.onOutcome((outcome) => heard.push(`outcome:${outcome.record.event_id === undefined ? "?" : "ok"}`));
        app.get("/recent", async () => ({ recent }));
      },
    };
    const token = "plugin-test-token-0123456789";
    service = await createServer({ router: testRouter(), token, plugins: [plugin], logLevel: "silent" });
    const { app } = service;
    const headers = { authorization: `Bearer ${token}` };
    expect((await app.inject({ method: "GET", url: "/recent" })).statusCode).toBe(401);
    const routed = (await app.inject({ method: "POST", url: "/v1/route", headers, payload: { description: "Deploy API to production" } })).json();
    await app.inject({ method: "POST", url: "/v1/outcomes", headers, payload: { event_id: routed.event_id, completed: true, correct: true } });
    expect((await app.inject({ method: "GET", url: "/recent", headers })).json()).toEqual({ recent: ["cicd-master"] });
    expect(heard).toEqual(["decision:cicd-master", "outcome:ok"]);
  });
});

describe("options", () => {
  it("refuses unknown options and a router without the needed methods", async () => {
    await expect(createServer({ router: testRouter(), bodylimit: 5 } as never)).rejects.toMatchObject({ code: "MOE_UNKNOWN_OPTION" });
    await expect(createServer({ router: {} as never })).rejects.toMatchObject({ code: "MOE_INVALID_CONFIG" });
    await expect(createServer({ router: testRouter(), bodyLimit: -1 })).rejects.toMatchObject({ code: "MOE_INVALID_CONFIG" });
  });

  it("refuses a port in use with a coded error", async () => {
    const first = await startServer({ router: testRouter(), port: 0, logLevel: "silent" });
    service = first;
    await expect(startServer({ router: testRouter(), port: first.port, logLevel: "silent" })).rejects.toMatchObject({ code: "MOE_INVALID_CONFIG", message: expect.stringMatching(/in use/) });
  });
});
