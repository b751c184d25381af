/**
 * `moe-router tune` with the config's `thresholdsStore` on PostgreSQL: it reads the outcomes
 * from the shared event store, writes a new version of the shared thresholds (with history),
 * and every router opened on that config routes with them.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { postgresStore, type LogRecord } from "@moe-router/tracker";
import { postgresThresholdsStore } from "@moe-router/tuner";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresUnavailable, startPostgres, type PostgresServer } from "../../../tools/test-support/postgres.js";
import { runCli, tempCwd } from "./support/io.js";
import { writeKeywordLog } from "./tune-support.js";

const unavailable = postgresUnavailable();
if (unavailable) console.warn(`Skipping tune with a PostgreSQL thresholds store: ${unavailable}.`);

describe.skipIf(unavailable !== undefined)("moe-router tune with thresholdsStore on PostgreSQL", () => {
  let pg: PostgresServer | undefined;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(async () => {
    await pg?.stop();
  });

  it("writes a new version of the shared thresholds that routing then uses", async () => {
    const tablePrefix = `tune_${process.pid}`;
    const spec = `${pg!.url}?tablePrefix=${tablePrefix}`;
    // The outcomes live in the shared event store too.
    const cwd = tempCwd();
    const log = writeKeywordLog(cwd, { count: 400 });
    const events = await postgresStore({ connectionString: pg!.url, tablePrefix });
    for (const line of readFileSync(log, "utf8").trim().split("\n")) events.append(JSON.parse(line) as LogRecord);
    await events.close();
    writeFileSync(
      join(cwd, "moe.yaml"),
      [
        "experts: [security-master, cicd-master, inventory-master, development-master, coordinator-master]",
        "fallback: { expert: coordinator-master }",
        "layers:",
        '  - { package: "@moe-router/layer-keyword", threshold: 0.85 }',
        `tracking: { store: "${spec}" }`,
        `thresholdsStore: "${spec}"`,
      ].join("\n"),
    );

    const tuned = await runCli(["tune", "--config", "moe.yaml", "--store", spec], cwd);
    expect(tuned.stderr).toBe("");
    expect(tuned.code).toBe(0);
    expect(tuned.stdout).toMatch(/Applied: wrote .*table tune_\d+_thresholds/);

    const shared = await postgresThresholdsStore({ connectionString: pg!.url, tablePrefix });
    try {
      expect((await shared.read())?.thresholds).toEqual({ keyword: 0.8 });
      expect(await shared.history()).toHaveLength(1);
    } finally {
      await shared.close();
    }
    const routed = await runCli(["route", "Deploy API to production", "--config", "moe.yaml", "--no-track"], cwd);
    expect(routed.code).toBe(0);
    expect((JSON.parse(routed.stdout) as { attempts: { threshold: number }[] }).attempts[0]!.threshold).toBe(0.8);
  });
});
