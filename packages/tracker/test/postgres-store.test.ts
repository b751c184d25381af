import { isMoeRouterError } from "@moe-router/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresStore } from "../src/index.js";
import { eventStoreSuite } from "../src/testing/index.js";
import { postgresUnavailable, startPostgres, type PostgresServer } from "./support/postgres.js";
import { decisionRecord, outcomeRecord } from "./support/records.js";

// Throws (fails the file) when MOE_REQUIRE_PG=1 and no server can be started.
const unavailable = postgresUnavailable();
if (unavailable) console.warn(`Skipping the PostgreSQL store suite: ${unavailable}.`);

describe.skipIf(unavailable !== undefined)("postgres store", () => {
  let server: PostgresServer | undefined;
  let tables = 0;
  const url = () => {
    if (!server) throw new Error("the PostgreSQL test server did not start");
    return server.url;
  };
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  // Each test gets its own tables on the one server.
  eventStoreSuite({ describe, it }, "postgres", () => ({
    async fresh() {
      const tablePrefix = `t${process.pid}_${++tables}`;
      return { open: () => postgresStore({ connectionString: url(), tablePrefix }) };
    },
  }));

  it("creates its tables once, even when several stores open at the same time", async () => {
    const stores = await Promise.all([1, 2, 3].map(() => postgresStore({ connectionString: url(), tablePrefix: "concurrent_open" })));
    const record = decisionRecord();
    stores[0]!.append(record);
    await stores[0]!.flush();
    expect((await stores[2]!.get(record.event_id))?.event_id).toBe(record.event_id);
    for (const store of stores) await store.close();
  });

  it("ignores a decision appended twice (event_id is unique)", async () => {
    const store = await postgresStore({ connectionString: url(), tablePrefix: "duplicates" });
    const record = decisionRecord();
    store.append(record);
    store.append(record);
    store.append(outcomeRecord(record.event_id));
    await store.flush();
    expect(await store.recentEvents(10)).toHaveLength(1);
    await store.close();
  });

  it("reads corrected outcomes after a cursor, across stores on the same tables", async () => {
    const writer = await postgresStore({ connectionString: url(), tablePrefix: "corrections" });
    const reader = await postgresStore({ connectionString: url(), tablePrefix: "corrections" });
    const [a, b, c] = [decisionRecord(), decisionRecord(), decisionRecord()];
    for (const record of [a, b, c]) writer.append(record);
    writer.append(outcomeRecord(a.event_id, new Date(), { was_correct_master: false, user_corrected_to: "cicd-master" }));
    writer.append(outcomeRecord(b.event_id)); // correct: not a correction
    writer.append(outcomeRecord(c.event_id, new Date(), { was_correct_master: false, user_corrected_to: null }));
    await writer.flush();
    const first = await reader.correctionsAfter!(0, 10);
    expect(first.corrections.map((x) => [x.event.event_id, x.event.outcome?.user_corrected_to])).toEqual([[a.event_id, "cicd-master"]]);
    expect(first.corrections[0]!.event.task_description).toBe(a.task_description);
    expect(first.cursor).toBe(first.corrections[0]!.cursor);
    expect(await reader.correctionsAfter!(first.cursor, 10)).toEqual({ corrections: [], cursor: first.cursor });

    // A second correction of the same event arrives later: read once, with the new label.
    writer.append(outcomeRecord(a.event_id, new Date(), { was_correct_master: false, user_corrected_to: "inventory-master" }));
    writer.append(outcomeRecord(c.event_id, new Date(), { was_correct_master: false, user_corrected_to: "security-master" }));
    await writer.flush();
    const second = await reader.correctionsAfter!(first.cursor, 1);
    expect(second.corrections.map((x) => x.event.outcome?.user_corrected_to)).toEqual(["inventory-master"]);
    const third = await reader.correctionsAfter!(second.cursor, 10);
    expect(third.corrections.map((x) => [x.event.event_id, x.event.outcome?.user_corrected_to])).toEqual([[c.event_id, "security-master"]]);
    await expect(reader.correctionsAfter!(-1, 10)).rejects.toSatisfy((e) => isMoeRouterError(e, "MOE_INVALID_CONFIG"));
    await writer.close();
    await reader.close();
  });

  it("counts a record it cannot store instead of failing the batch", async () => {
    const store = await postgresStore({ connectionString: url(), tablePrefix: "bad_records" });
    store.append({ ...decisionRecord(), timestamp: "yesterday-ish" });
    store.append(decisionRecord());
    await store.flush();
    expect(store.stats()).toMatchObject({ appended: 1, written: 1, failed: 1 });
    await store.close();
  });

  it("reports an unreachable server as STORE_FAILED without printing the password", async () => {
    const error = await postgresStore({ connectionString: "postgres://moe:s3cret@127.0.0.1:1/none" }).catch((e: unknown) => e);
    expect(isMoeRouterError(error, "MOE_STORE_FAILED")).toBe(true);
    expect((error as Error).message).toContain("127.0.0.1:1");
    expect((error as Error).message).not.toContain("s3cret");
  });

  it("rejects a table prefix that is not a plain identifier", async () => {
    await expect(postgresStore({ connectionString: url(), tablePrefix: "x; DROP TABLE y" })).rejects.toSatisfy((e) => isMoeRouterError(e, "MOE_INVALID_CONFIG"));
  });
});
