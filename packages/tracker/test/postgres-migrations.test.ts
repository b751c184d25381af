import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresStore } from "../src/index.js";
import { DATABASE_SCHEMA_VERSION, MIGRATIONS } from "../src/stores/postgres/sql/migrations.js";
import { postgresUnavailable, startPostgres, type PostgresServer } from "./support/postgres.js";
import { decisionRecord, outcomeRecord } from "./support/records.js";

const unavailable = postgresUnavailable();
if (unavailable) console.warn(`Skipping the PostgreSQL migration test: ${unavailable}.`);

/** The schema as releases before versioning created it: two tables, no version table, no outcome timestamp index. */
const OLD_SCHEMA = (p: string) => `CREATE TABLE ${p}_decisions (seq bigserial PRIMARY KEY, event_id text NOT NULL UNIQUE, "timestamp" timestamptz NOT NULL,
  routing_layer text NOT NULL, selected_master text NOT NULL, schema_version integer NOT NULL, record jsonb NOT NULL);
CREATE INDEX ${p}_decisions_timestamp_idx ON ${p}_decisions ("timestamp");
CREATE INDEX ${p}_decisions_layer_idx ON ${p}_decisions (routing_layer, "timestamp");
CREATE TABLE ${p}_outcomes (seq bigserial PRIMARY KEY, event_id text NOT NULL, "timestamp" timestamptz NOT NULL, record jsonb NOT NULL);
CREATE INDEX ${p}_outcomes_event_idx ON ${p}_outcomes (event_id, seq);`;

describe.skipIf(unavailable !== undefined)("PostgreSQL schema migrations", () => {
  let server: PostgresServer | undefined;
  let client: pg.Client;
  beforeAll(async () => {
    server = await startPostgres();
    client = new pg.Client({ connectionString: server.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await server?.stop();
  });

  const versions = async (p: string) => (await client.query(`SELECT version FROM ${p}_schema_version ORDER BY version`)).rows.map((r) => r.version as number);
  const indexes = async (p: string) => (await client.query(`SELECT indexname FROM pg_indexes WHERE tablename LIKE '${p}_%' ORDER BY indexname`)).rows.map((r) => r.indexname as string);

  it("creates a fresh database at the newest version, with every index", async () => {
    const store = await postgresStore({ connectionString: server!.url, tablePrefix: "fresh_schema" });
    await store.close();
    expect(await versions("fresh_schema")).toEqual(MIGRATIONS.map((m) => m.version));
    expect(DATABASE_SCHEMA_VERSION).toBe(MIGRATIONS.length);
    expect(await indexes("fresh_schema")).toEqual(
      expect.arrayContaining([
        "fresh_schema_decisions_timestamp_idx",
        "fresh_schema_decisions_layer_idx",
        "fresh_schema_decisions_event_id_key",
        "fresh_schema_outcomes_event_idx",
        "fresh_schema_outcomes_timestamp_idx",
      ]),
    );
  });

  it("adopts a database created before versioning: keeps its rows, adds what is missing, once", async () => {
    const p = "old_schema";
    await client.query(OLD_SCHEMA(p));
    const old = decisionRecord(new Date("2026-01-01T00:00:00Z"));
    await client.query(`INSERT INTO ${p}_decisions (event_id, "timestamp", routing_layer, selected_master, schema_version, record) VALUES ($1, $2, $3, $4, 1, $5)`, [
      old.event_id,
      old.timestamp,
      old.routing_layer,
      old.selected_master,
      JSON.stringify(old),
    ]);
    expect(await indexes(p)).not.toContain(`${p}_outcomes_timestamp_idx`);

    const store = await postgresStore({ connectionString: server!.url, tablePrefix: p });
    expect(await versions(p)).toEqual([1, 2]);
    expect(await indexes(p)).toContain(`${p}_outcomes_timestamp_idx`);
    store.append(outcomeRecord(old.event_id, new Date("2026-01-01T01:00:00Z")));
    await store.flush();
    const report = await store.analyze!({ now: Date.parse("2026-01-02T00:00:00Z") });
    expect(report.overall).toMatchObject({ decisions: 1, withOutcome: 1 });
    await store.close();

    // Opening again (and several at once) applies nothing twice.
    const again = await Promise.all([1, 2, 3].map(() => postgresStore({ connectionString: server!.url, tablePrefix: p })));
    for (const s of again) await s.close();
    expect(await versions(p)).toEqual([1, 2]);
  });

  it("leaves a database migrated further by a newer release alone", async () => {
    const p = "newer_schema";
    await (await postgresStore({ connectionString: server!.url, tablePrefix: p })).close();
    await client.query(`INSERT INTO ${p}_schema_version (version, name) VALUES (99, 'from the future')`);
    const store = await postgresStore({ connectionString: server!.url, tablePrefix: p });
    store.append(decisionRecord());
    await store.flush();
    expect((await store.recentEvents(5)).length).toBe(1);
    await store.close();
    expect(await versions(p)).toEqual([1, 2, 99]);
  });
});
