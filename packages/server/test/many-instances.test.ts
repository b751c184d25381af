/**
 * Two servers on one PostgreSQL behave as one router: an outcome posted to B for A's
 * decision is joined, and a correction posted to A reaches B's learnable layer.
 */
import { postgresStore } from "@moe-router/tracker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../src/index.js";
import { postgresUnavailable, startPostgres, type PostgresServer } from "../../../tools/test-support/postgres.js";
import { keywordLayer } from "@moe-router/layer-keyword";
import { memoryLayer, testRouter } from "./support/router.js";

const unavailable = postgresUnavailable();
if (unavailable) console.warn(`Skipping the many-instances tests: ${unavailable}.`);

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(unavailable !== undefined)("two servers on one PostgreSQL store", () => {
  let pg: PostgresServer | undefined;
  const servers: RunningServer[] = [];
  const routers: ReturnType<typeof testRouter>[] = [];
  const memories: ReturnType<typeof memoryLayer>[] = [];
  beforeAll(async () => {
    pg = await startPostgres();
    const tablePrefix = `fleet_${process.pid}_${Date.now() % 100_000}`;
    for (let i = 0; i < 2; i++) {
      const memory = memoryLayer();
      memories.push(memory);
      const layers = [
        { layer: memory, threshold: 0.9 },
        { layer: keywordLayer(), threshold: 0.85 },
      ];
      const router = testRouter({ layers, store: await postgresStore({ connectionString: pg.url, tablePrefix }) });
      routers.push(router);
      servers.push(await startServer({ router, port: 0, logLevel: "silent", learnDelayMs: 10, sharedCorrections: { intervalMs: 200 } }));
    }
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    for (const router of routers) await router.close();
    await pg?.stop();
  });

  const post = async (server: RunningServer, path: string, body: unknown) => {
    const response = await fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const event = async (server: RunningServer, id: string) => (await fetch(`${server.url}/v1/events/${id}`)).json() as Promise<Record<string, unknown>>;

  it("joins an outcome posted to B with the decision A routed", async () => {
    const [a, b] = servers as [RunningServer, RunningServer];
    const routed = await post(a, "/v1/route", { description: "Deploy API to production" });
    expect(routed.status).toBe(200);
    const id = routed.body.event_id as string;
    const outcome = await post(b, "/v1/outcomes", { event_id: id, completed: true, correct: true, minutes: 12 });
    expect(outcome.status).toBe(200);
    for (const server of [a, b]) {
      expect(await event(server, id)).toMatchObject({ event_id: id, selected_master: "cicd-master", outcome: { task_completed: true, was_correct_master: true, completion_time_minutes: 12 } });
    }
    expect((await post(b, "/v1/outcomes", { event_id: "evt-nobody-routed", completed: true })).status).toBe(404);
  });

  it("teaches B a correction posted to A, and A learns it once (online, not again from the store)", async () => {
    const [a, b] = servers as [RunningServer, RunningServer];
    const task = { description: "Rotate the credentials of the vendor portal" };
    const first = await post(a, "/v1/route", task);
    expect(first.body.master).toBe("coordinator-master");
    expect((await post(b, "/v1/route", task)).body.master).toBe("coordinator-master");
    expect((await post(a, "/v1/outcomes", { event_id: first.body.event_id, completed: false, corrected_to: "security-master" })).status).toBe(200);

    const onB = await until("B to learn A's correction", async () => {
      const routed = await post(b, "/v1/route", task);
      return routed.body.master === "security-master" ? routed.body : undefined;
    });
    expect(onB.layer).toBe("memory");
    await until("A to learn its own correction", async () => ((await post(a, "/v1/route", task)).body.master === "security-master" ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 600)); // a few more polls: nothing is learned twice
    for (const memory of memories) expect(memory.learned.filter((e) => e.text === task.description)).toEqual([{ text: task.description, expert: "security-master", source: "outcome" }]);
  });
});
