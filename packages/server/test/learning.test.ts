import { afterEach, describe, expect, it } from "vitest";
import { createServer, type MoeRouterServer } from "../src/index.js";
import { memoryLayer, testRouter } from "./support/router.js";
import { keywordLayer } from "@moe-router/layer-keyword";

let service: MoeRouterServer | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

async function until(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("online learning through the HTTP API", () => {
  it("a corrected outcome reaches the learnable layer, off the request path, and a later route reflects it", async () => {
    const memory = memoryLayer();
    const router = testRouter({
      layers: [
        { layer: memory, threshold: 0.9 },
        { layer: keywordLayer(), threshold: 0.85 },
      ],
    });
    service = await createServer({ router, learnDelayMs: 50, logLevel: "silent" });
    const { app } = service;
    const task = { description: "Rotate the TLS certificates on the edge proxies" };
    const first = (await app.inject({ method: "POST", url: "/v1/route", payload: task })).json();
    expect(first.master).not.toBe("security-master");

    const outcome = await app.inject({ method: "POST", url: "/v1/outcomes", payload: { event_id: first.event_id, completed: true, corrected_to: "security-master" } });
    expect(outcome.statusCode).toBe(200);
    // Answered before learning ran: learning is batched after the response.
    expect(memory.learned).toHaveLength(0);

    await until(async () => memory.learned.length === 1);
    expect(memory.learned[0]).toEqual({ text: task.description, expert: "security-master", source: "outcome" });
    const later = (await app.inject({ method: "POST", url: "/v1/route", payload: task })).json();
    expect(later).toMatchObject({ master: "security-master", layer: "memory" });
    const metrics = (await app.inject({ method: "GET", url: "/metrics" })).body;
    expect(metrics).toMatch(/moe_router_learn_examples_total\{result="learned"\} 1/);
  });

  it("batches corrections: many outcomes, few learn() calls", async () => {
    const calls: number[] = [];
    const router = testRouter();
    const learningRouter = { ...router, learn: async (options?: { since?: Date }) => void calls.push(options?.since ? 1 : 0) };
    service = await createServer({ router: learningRouter, learnBatchSize: 10, learnDelayMs: 5000, logLevel: "silent" });
    const { app } = service;
    const routed = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => (await app.inject({ method: "POST", url: "/v1/route", payload: { description: `Deploy service ${i} to production` } })).json()),
    );
    await Promise.all(routed.map((r) => app.inject({ method: "POST", url: "/v1/outcomes", payload: { event_id: r.event_id, completed: true, corrected_to: "development-master" } })));
    // 10 corrections, batch size 10: one learn() run, reading the store from the oldest decision on.
    await until(async () => calls.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(calls).toEqual([1]);
  });

  it("a failing learn() is counted and logged, never fails the outcome", async () => {
    const router = {
      ...testRouter(),
      learn: async (): Promise<unknown> => {
        throw new Error("learner down");
      },
    };
    service = await createServer({ router, learnDelayMs: 10, logLevel: "silent" });
    const { app } = service;
    const routed = (await app.inject({ method: "POST", url: "/v1/route", payload: { description: "Deploy API to production" } })).json();
    const outcome = await app.inject({ method: "POST", url: "/v1/outcomes", payload: { event_id: routed.event_id, completed: true, corrected_to: "development-master" } });
    expect(outcome.statusCode).toBe(200);
    await until(async () => /moe_router_learn_examples_total\{result="failed"\} 1/.test((await app.inject({ method: "GET", url: "/metrics" })).body));
  });
});
