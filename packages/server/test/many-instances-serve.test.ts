/**
 * Two real `moe-router serve` processes on one PostgreSQL server behave as one router:
 * events (an outcome posted to B joins A's decision), thresholds (a new version written to
 * the shared table reaches both without a restart) and corrections (one posted to A is
 * learned by B) are shared. Each instance has its own working and data directory.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { postgresThresholdsStore } from "@moe-router/tuner";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresUnavailable, startPostgres, type PostgresServer } from "../../../tools/test-support/postgres.js";
import { startServe, type ServeProcess } from "./support/serve-process.js";

const unavailable = postgresUnavailable();
if (unavailable) console.warn(`Skipping the two moe-router serve processes test: ${unavailable}.`);

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

const CORRECTED_TASK = "Reconcile the quarterly vendor invoices against the purchase orders";

describe.skipIf(unavailable !== undefined)("two moe-router serve processes on one PostgreSQL", () => {
  let pg: PostgresServer | undefined;
  const dirs: string[] = [];
  const instances: ServeProcess[] = [];
  let tablePrefix = "";
  beforeAll(async () => {
    pg = await startPostgres();
    tablePrefix = `serve_${process.pid}_${Date.now() % 100_000}`;
    const spec = `${pg.url}${pg.url.includes("?") ? "&" : "?"}tablePrefix=${tablePrefix}`;
    const config = [
      "experts: [security-master, cicd-master, inventory-master, development-master, coordinator-master]",
      "fallback: { expert: coordinator-master, ambiguityMargin: 0.1 }",
      'embedder: { package: "@moe-router/embeddings", options: { kind: hashed, cache: 2000 } }',
      "layers:",
      '  - { package: "@moe-router/layer-keyword", threshold: 0.85 }',
      '  - { package: "@moe-router/layer-semantic", threshold: 0.70 }',
      `tracking: { store: "${spec}" }`,
      `thresholdsStore: "${spec}"`,
      "dataDir: .moe-router",
    ].join("\n");
    for (let i = 0; i < 2; i++) {
      const dir = mkdtempSync(join(tmpdir(), "moe-fleet-"));
      dirs.push(dir);
      mkdirSync(join(dir, ".moe-router"));
      writeFileSync(join(dir, "moe.yaml"), config);
    }
    // Started one after the other: both create the shared tables on first use.
    for (const dir of dirs) instances.push(await startServe(["--config", "moe.yaml", "--thresholds-interval", "200", "--log-level", "warn"], { cwd: dir }));
  }, 120_000);
  afterAll(async () => {
    for (const instance of instances) {
      instance.child.kill("SIGTERM");
      await instance.exited;
    }
    await pg?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const post = async (instance: ServeProcess, path: string, body: unknown) => {
    const response = await fetch(`${instance.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const get = async (instance: ServeProcess, path: string) => (await fetch(`${instance.url}${path}`)).json() as Promise<Record<string, unknown>>;

  it("joins an outcome posted to B with the decision routed by A; both serve the joined event", async () => {
    const [a, b] = instances as [ServeProcess, ServeProcess];
    const routed = await post(a, "/v1/route", { description: "Deploy API to production" });
    expect(routed.status).toBe(200);
    expect(routed.body.master).toBe("cicd-master");
    const id = routed.body.event_id as string;
    expect((await post(b, "/v1/outcomes", { event_id: id, completed: true, correct: true, minutes: 20 })).status).toBe(200);
    for (const instance of [a, b]) {
      expect(await get(instance, `/v1/events/${id}`)).toMatchObject({ event_id: id, routing_layer: "keyword", outcome: { was_correct_master: true, completion_time_minutes: 20 } });
    }
  });

  it("applies a new version of the shared thresholds on both instances without a restart", async () => {
    const store = await postgresThresholdsStore({ connectionString: pg!.url, tablePrefix });
    try {
      const now = new Date().toISOString();
      await store.write(
        { version: 1, updated_at: now, thresholds: { keyword: 0.9, semantic: 0.75 } },
        { time: now, action: "apply", before: { keyword: 0.85, semantic: 0.7 }, after: { keyword: 0.9, semantic: 0.75 }, reason: "test", samples: {} },
      );
    } finally {
      await store.close();
    }
    for (const instance of instances) {
      const config = await until("the new thresholds", async () => {
        const body = (await get(instance, "/v1/config")) as { layers: { layer: string; threshold: number }[]; source: string };
        return body.layers.find((l) => l.layer === "keyword")?.threshold === 0.9 ? body : undefined;
      });
      expect(config.layers.map((l) => [l.layer, l.threshold])).toEqual([
        ["keyword", 0.9],
        ["semantic", 0.75],
      ]);
      expect(config.source).toMatch(/thresholds table/);
    }
  });

  it("teaches B a correction posted to A", async () => {
    const [a, b] = instances as [ServeProcess, ServeProcess];
    const before = await post(b, "/v1/route", { description: CORRECTED_TASK });
    expect(before.body.master).not.toBe("inventory-master");
    const routed = await post(a, "/v1/route", { description: CORRECTED_TASK });
    const corrected = await post(a, "/v1/outcomes", { event_id: routed.body.event_id, completed: true, corrected_to: "inventory-master" });
    expect(corrected.status).toBe(200);
    const onB = await until("B to learn the correction A recorded", async () => {
      const again = await post(b, "/v1/route", { description: CORRECTED_TASK });
      return again.body.master === "inventory-master" ? again.body : undefined;
    });
    expect(onB.layer).toBe("semantic");
    // A learns it too (online, batched after up to a second), and routes it the same way.
    await until("A to learn its own correction", async () => ((await post(a, "/v1/route", { description: CORRECTED_TASK })).body.master === "inventory-master" ? true : undefined));
  });
});
