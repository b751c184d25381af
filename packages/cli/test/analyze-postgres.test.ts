/**
 * `moe-router analyze --store postgres://...` computes the report in SQL (the store's
 * `analyze()`), not by streaming every row: told apart by a malformed outcome, which the SQL
 * path counts (as the JSONL reader does) and the streaming path does not see.
 */
import { generateSampleRecords, postgresStore, type OutcomeRecord } from "@moe-router/tracker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresUnavailable, startPostgres, type PostgresServer } from "../../../tools/test-support/postgres.js";
import { runCli, tempCwd } from "./support/io.js";

const unavailable = postgresUnavailable();
if (unavailable) console.warn(`Skipping analyze on PostgreSQL: ${unavailable}.`);

describe.skipIf(unavailable !== undefined)("moe-router analyze on PostgreSQL", () => {
  let pg: PostgresServer | undefined;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(async () => {
    await pg?.stop();
  });

  it("prints the store's SQL report", async () => {
    const tablePrefix = `analyze_${process.pid}`;
    const store = await postgresStore({ connectionString: pg!.url, tablePrefix });
    const records = [...generateSampleRecords({ count: 300, seed: 3, days: 2, end: new Date("2026-11-20T00:00:00Z") })];
    for (const record of records) store.append(record);
    const decision = records.find((r) => r.record_type === "decision")!;
    store.append({ schema_version: 1, record_type: "outcome", event_id: decision.event_id, timestamp: "2026-11-20T00:00:00.000Z", outcome: "done" } as unknown as OutcomeRecord);
    await store.flush();
    const expected = await store.analyze!({});
    await store.close();

    const result = await runCli(["analyze", "--json", "--include-synthetic", "--store", `${pg!.url}?tablePrefix=${tablePrefix}`], tempCwd());
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.dataIssues.invalidRecords).toBe(1);
    expect({ ...report, generatedAt: "", window: null }).toEqual({ ...expected, generatedAt: "", window: null });
    expect(result.stderr).toMatch(/1 .*record/i);
  });
});
