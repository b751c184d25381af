/**
 * A 200 means durable: the real `moe-router serve` is loaded with concurrent routes and
 * outcomes, killed with SIGKILL mid-load, and every acknowledged decision and outcome must be
 * in the store afterwards (JSONL always; PostgreSQL where a server can be started).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { postgresStore } from "@moe-router/tracker";
import { Pool } from "undici";
import { afterAll, describe, expect, it } from "vitest";
import { postgresUnavailable, startPostgres, type PostgresServer } from "../../../tools/test-support/postgres.js";
import { startServe, type ServeProcess } from "./support/serve-process.js";

const TASKS = ["Deploy API to production", "Fix SQL injection vulnerability", "Update inventory count for the warehouse", "Implement dark mode for the settings page", "Plan the team offsite"];

interface Acknowledged {
  readonly decisions: Set<string>;
  readonly outcomes: Set<string>;
  readonly failedAfterKill: number;
}

/** Loads the server from `connections` loops until `killAfterMs`, then SIGKILLs it while requests are in flight. */
async function loadThenKill(serve: ServeProcess, connections: number, killAfterMs: number): Promise<Acknowledged> {
  const pool = new Pool(serve.url, { connections });
  const decisions = new Set<string>();
  const outcomes = new Set<string>();
  let killed = false;
  let failedAfterKill = 0;
  let i = 0;
  const post = async (path: string, body: unknown) => {
    const response = await pool.request({ path, method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const text = await response.body.text();
    return { status: response.statusCode, json: response.statusCode === 200 ? (JSON.parse(text) as { event_id: string }) : undefined };
  };
  const worker = async () => {
    while (!killed) {
      const n = i++;
      try {
        const routed = await post("/v1/route", { description: `${TASKS[n % TASKS.length]} #${n}`, id: `task-${n}` });
        if (routed.status === 200) decisions.add(routed.json!.event_id);
        if (routed.status === 200 && n % 2 === 0) {
          const outcome = await post("/v1/outcomes", { event_id: routed.json!.event_id, completed: true, correct: n % 4 === 0 });
          if (outcome.status === 200) outcomes.add(routed.json!.event_id);
        }
      } catch {
        if (killed) failedAfterKill++;
        else throw new Error("a request failed before the kill");
      }
    }
  };
  const workers = Array.from({ length: connections }, worker);
  await new Promise((resolve) => setTimeout(resolve, killAfterMs));
  // Kill first, then let the loops notice: the requests in flight now are never answered.
  serve.child.kill("SIGKILL");
  killed = true;
  await serve.exited;
  await Promise.allSettled(workers);
  await pool.destroy().catch(() => undefined);
  return { decisions, outcomes, failedAfterKill };
}

function keywordConfig(dir: string, store: string): string {
  const file = join(dir, "moe-router.json");
  writeFileSync(file, JSON.stringify({ layers: [{ package: "@moe-router/layer-keyword", threshold: 0.85 }], tracking: { store } }));
  return file;
}

describe("SIGKILL under load loses no acknowledged record", () => {
  it("JSONL: every acknowledged decision and outcome is in the log", async () => {
    const dir = mkdtempSync(join(tmpdir(), "moe-serve-kill-"));
    const log = join(dir, "events.jsonl");
    const serve = await startServe(["--config", keywordConfig(dir, log), "--log-level", "warn"], { cwd: dir });
    const acked = await loadThenKill(serve, 32, 1500);
    expect(acked.decisions.size).toBeGreaterThan(100);
    expect(acked.outcomes.size).toBeGreaterThan(20);
    const lines = readFileSync(log, "utf8").split("\n");
    const stored = { decisions: new Set<string>(), outcomes: new Set<string>() };
    for (const line of lines) {
      if (!line) continue;
      let record: { record_type?: string; event_id?: string };
      try {
        record = JSON.parse(line);
      } catch {
        continue; // a line torn by the kill (never an acknowledged one: those were written whole before the 200)
      }
      if (record.record_type === "decision") stored.decisions.add(record.event_id!);
      if (record.record_type === "outcome") stored.outcomes.add(record.event_id!);
    }
    const lostDecisions = [...acked.decisions].filter((id) => !stored.decisions.has(id));
    const lostOutcomes = [...acked.outcomes].filter((id) => !stored.outcomes.has(id));
    expect(lostDecisions).toEqual([]);
    expect(lostOutcomes).toEqual([]);
  }, 120_000);

  const skipPg = postgresUnavailable();
  describe.skipIf(skipPg !== undefined)(`PostgreSQL${skipPg ? ` (skipped: ${skipPg})` : ""}`, () => {
    let pg: PostgresServer | undefined;
    afterAll(async () => {
      await pg?.stop();
    });

    it("every acknowledged decision and outcome is in the database", async () => {
      pg = await startPostgres();
      const dir = mkdtempSync(join(tmpdir(), "moe-serve-kill-pg-"));
      const prefix = `kill_${process.pid}_${Date.now() % 100000}`;
      const spec = `${pg.url}${pg.url.includes("?") ? "&" : "?"}tablePrefix=${prefix}`;
      const serve = await startServe(["--config", keywordConfig(dir, spec), "--log-level", "warn"], { cwd: dir });
      const acked = await loadThenKill(serve, 16, 1500);
      expect(acked.decisions.size).toBeGreaterThan(20);
      const store = await postgresStore({ connectionString: pg.url, tablePrefix: prefix });
      try {
        const missingDecisions: string[] = [];
        const missingOutcomes: string[] = [];
        for (const id of acked.decisions) {
          const event = await store.get(id);
          if (!event) missingDecisions.push(id);
          else if (acked.outcomes.has(id) && !event.outcome) missingOutcomes.push(id);
        }
        expect(missingDecisions).toEqual([]);
        expect(missingOutcomes).toEqual([]);
      } finally {
        await store.close();
      }
    }, 120_000);
  });
});
