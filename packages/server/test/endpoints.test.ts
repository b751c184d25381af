import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { createServer, type MoeRouterServer } from "../src/index.js";
import { testRouter } from "./support/router.js";

let service: MoeRouterServer | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

async function start(router = testRouter()) {
  service = await createServer({ router, logLevel: "silent" });
  return { app: service.app, router };
}

function logLines(path: string): Array<Record<string, unknown>> {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("POST /v1/route", () => {
  it("answers with the decision output and has stored the decision before answering", async () => {
    const { app, router } = await start();
    const response = await app.inject({ method: "POST", url: "/v1/route", payload: { description: "Deploy API to production", id: "task-1", priority: "high" } });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
    const body = response.json();
    expect(body).toMatchObject({ master: "cicd-master", layer: "keyword", task_id: "task-1" });
    expect(typeof body.event_id).toBe("string");
    // Durable on 200: the line is in the file already, no flush needed.
    const decision = logLines(router.path).find((r) => r.event_id === body.event_id);
    expect(decision).toMatchObject({ record_type: "decision", task_id: "task-1", task_metadata: { priority: "high" } });
  });

  it("defaults the priority to medium, as the CLI does", async () => {
    const { app, router } = await start();
    const body = (await app.inject({ method: "POST", url: "/v1/route", payload: { description: "Fix login bug" } })).json();
    expect(logLines(router.path).find((r) => r.event_id === body.event_id)).toMatchObject({ task_metadata: { priority: "medium" } });
  });

  it.each([
    ["an empty description", { description: "" }, "MOE_INVALID_REQUEST"],
    ["a blank description", { description: "   " }, "MOE_INVALID_TASK"],
    ["a number as description", { description: 42 }, "MOE_INVALID_REQUEST"],
    ["no description", { id: "x" }, "MOE_INVALID_REQUEST"],
    ["an unknown field", { description: "Fix it", prio: "high" }, "MOE_INVALID_REQUEST"],
    ["metadata that is not an object", { description: "Fix it", metadata: "x" }, "MOE_INVALID_REQUEST"],
    ["a too long description", { description: "x".repeat(10_001) }, "MOE_TASK_TOO_LONG"],
  ])("400 for %s", async (_what, payload, code) => {
    const { app } = await start();
    const response = await app.inject({ method: "POST", url: "/v1/route", payload });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: { code, message: expect.any(String) } });
  });

  it("400 for a body that is not JSON or not an object, 415 for a media type without a parser", async () => {
    const { app } = await start();
    const broken = await app.inject({ method: "POST", url: "/v1/route", headers: { "content-type": "application/json" }, payload: "{not json" });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe("MOE_INVALID_REQUEST");
    const text = await app.inject({ method: "POST", url: "/v1/route", headers: { "content-type": "text/plain" }, payload: "Deploy" });
    expect(text.statusCode).toBe(400);
    expect(text.json().error.code).toBe("MOE_INVALID_REQUEST");
    const xml = await app.inject({ method: "POST", url: "/v1/route", headers: { "content-type": "application/xml" }, payload: "<task/>" });
    expect(xml.statusCode).toBe(415);
    expect(xml.json().error.code).toBe("MOE_INVALID_REQUEST");
  });
});

describe("POST /v1/route/batch", () => {
  it("routes every task in order, all stored on 200", async () => {
    const { app, router } = await start();
    const tasks = [{ description: "Deploy API to production" }, { description: "Fix SQL injection vulnerability", id: "t2" }, { description: "what is the weather" }];
    const response = await app.inject({ method: "POST", url: "/v1/route/batch", payload: { tasks } });
    expect(response.statusCode).toBe(200);
    const { decisions } = response.json<{ decisions: Array<Record<string, unknown>> }>();
    expect(decisions.map((d) => d.master)).toEqual(["cicd-master", "security-master", "coordinator-master"]);
    expect(decisions[1]!.task_id).toBe("t2");
    const stored = new Set(logLines(router.path).map((r) => r.event_id));
    for (const d of decisions) expect(stored.has(d.event_id)).toBe(true);
  });

  it("400 for more than 1000 tasks or none", async () => {
    const { app } = await start();
    const many = await app.inject({ method: "POST", url: "/v1/route/batch", payload: { tasks: Array.from({ length: 1001 }, () => ({ description: "a" })) } });
    expect(many.statusCode).toBe(400);
    expect(many.json().error.message).toMatch(/1000/);
    expect((await app.inject({ method: "POST", url: "/v1/route/batch", payload: { tasks: [] } })).statusCode).toBe(400);
  });
});

describe("POST /v1/outcomes and GET /v1/events/{event_id}", () => {
  it("records an outcome durably and merges it into the event", async () => {
    const { app, router } = await start();
    const routed = (await app.inject({ method: "POST", url: "/v1/route", payload: { description: "Deploy API to production" } })).json();
    const response = await app.inject({ method: "POST", url: "/v1/outcomes", payload: { event_id: routed.event_id, completed: true, correct: true, minutes: 12, quality: 0.9 } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      event_id: routed.event_id,
      master: "cicd-master",
      layer: "keyword",
      task_description: "Deploy API to production",
      outcome: { task_completed: true, was_correct_master: true, completion_time_minutes: 12, quality_score: 0.9 },
    });
    expect(logLines(router.path).filter((r) => r.record_type === "outcome" && r.event_id === routed.event_id)).toHaveLength(1);
    const event = await app.inject({ method: "GET", url: `/v1/events/${routed.event_id}` });
    expect(event.statusCode).toBe(200);
    expect(event.json()).toMatchObject({ event_id: routed.event_id, selected_master: "cicd-master", routing_layer: "keyword", outcome: { was_correct_master: true } });
  });

  it("404 for an unknown event id, on both endpoints", async () => {
    const { app } = await start();
    const outcome = await app.inject({ method: "POST", url: "/v1/outcomes", payload: { event_id: "no-such-event", completed: true } });
    expect(outcome.statusCode).toBe(404);
    expect(outcome.json().error.code).toBe("MOE_NOT_FOUND");
    const event = await app.inject({ method: "GET", url: "/v1/events/no-such-event" });
    expect(event.statusCode).toBe(404);
    expect(event.json().error.code).toBe("MOE_NOT_FOUND");
  });

  it("400 for a contradictory or mistyped outcome", async () => {
    const { app } = await start();
    const routed = (await app.inject({ method: "POST", url: "/v1/route", payload: { description: "Deploy API to production" } })).json();
    const both = await app.inject({ method: "POST", url: "/v1/outcomes", payload: { event_id: routed.event_id, completed: true, correct: true, corrected_to: "security-master" } });
    expect(both.statusCode).toBe(400);
    const typed = await app.inject({ method: "POST", url: "/v1/outcomes", payload: { event_id: routed.event_id, completed: "yes" } });
    expect(typed.statusCode).toBe(400);
    expect(typed.json().error.code).toBe("MOE_INVALID_REQUEST");
    const quality = await app.inject({ method: "POST", url: "/v1/outcomes", payload: { event_id: routed.event_id, completed: true, quality: 2 } });
    expect(quality.statusCode).toBe(400);
  });
});

describe("probes, config, openapi, unknown paths", () => {
  it("healthz and readyz answer; readyz says why it is not ready", async () => {
    const router = { ...testRouter(), ready: () => ({ ok: false, reasons: ["store unreachable: connection refused"] }) };
    const { app } = await start(router);
    expect((await app.inject({ method: "GET", url: "/healthz" })).json()).toEqual({ status: "ok" });
    const ready = await app.inject({ method: "GET", url: "/readyz" });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ status: "not_ready", reason: "store unreachable: connection refused" });
  });

  it("readyz is 200 when the router is ready", async () => {
    const { app } = await start();
    const ready = await app.inject({ method: "GET", url: "/readyz" });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: "ready" });
  });

  it("GET /v1/config shows what the router reports", async () => {
    const { app } = await start();
    expect((await app.inject({ method: "GET", url: "/v1/config" })).json()).toEqual({ thresholds: { memory: 0.9, keyword: 0.85 } });
  });

  it("GET /openapi.json is OpenAPI 3.1 with the validating request schemas", async () => {
    const { app } = await start();
    const doc = (await app.inject({ method: "GET", url: "/openapi.json" })).json();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/v1/route", "/v1/route/batch", "/v1/outcomes", "/v1/events/{event_id}", "/healthz", "/readyz", "/metrics", "/v1/config"]));
    const schema = doc.paths["/v1/route"].post.requestBody.content["application/json"].schema;
    expect(schema.required).toEqual(["description"]);
    expect(schema.additionalProperties).toBe(false);
    expect(doc.paths["/v1/events/{event_id}"].get.parameters[0]).toMatchObject({ name: "event_id", in: "path" });
  });

  it("404 with a coded body for an unknown path", async () => {
    const { app } = await start();
    const response = await app.inject({ method: "GET", url: "/v2/nothing" });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe("MOE_NOT_FOUND");
  });
});
