import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isMoeRouterError } from "@moe-router/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyProposalToStore as applyProposal, startExperimentInStore as startExperiment } from "../src/apply.js";
import { postgresThresholdsStore } from "../src/postgres-thresholds.js";
import { proposeThresholds } from "../src/propose.js";
import { fileThresholdsStore, openThresholdsStore, type ThresholdsStore } from "../src/thresholds-store.js";
import { postgresUnavailable, startPostgres, type PostgresServer } from "../../../tools/test-support/postgres.js";
import { graded } from "./support/traces.js";

const now = () => new Date("2025-03-01T12:00:00.000Z");
const proposal = () => proposeThresholds(graded("keyword", 1000, { rightAbove: 0.3, shadow: true }), { layers: ["keyword"], current: { keyword: 0.85 }, targetPrecision: 0.9 });

/** What every thresholds store does, given a fresh empty one (and a second handle on the same place). */
function storeBehaviour(name: string, fresh: () => Promise<[ThresholdsStore, ThresholdsStore]>): void {
  describe(`${name} thresholds store`, () => {
    it("starts empty, then serves what apply and experiment wrote, with history, to another handle", async () => {
      const [writer, reader] = await fresh();
      try {
        expect(await reader.read()).toBeUndefined();
        expect(await reader.revision()).toBeUndefined();
        expect(await reader.history()).toEqual([]);

        const applied = await applyProposal(writer, proposal(), { now });
        expect(applied.thresholdsPath).toBe(writer.description);
        expect(await reader.read()).toEqual({ version: 1, updated_at: "2025-03-01T12:00:00.000Z", thresholds: { keyword: 0.8 } });
        const first = await reader.revision();
        expect(first).toBeDefined();

        await startExperiment(writer, proposeThresholds(graded("keyword", 1000, { rightAbove: 0.3, shadow: true }), { layers: ["keyword"], current: { keyword: 0.9 }, targetPrecision: 0.9 }), {
          name: "e2",
          share: 0.25,
          now,
        });
        const second = await reader.revision();
        expect(second).toBeDefined();
        expect(second).not.toBe(first);
        expect((await reader.read())?.experiment).toMatchObject({ name: "e2", share: 0.25, candidate_thresholds: { keyword: 0.85 } });
        const history = await reader.history();
        expect(history.map((entry) => entry.action)).toEqual(["apply", "experiment"]);
        expect(history[0]).toMatchObject({ before: { keyword: 0.85 }, after: { keyword: 0.8 }, samples: { keyword: 1000 } });
      } finally {
        await writer.close();
        await reader.close();
      }
    });
  });
}

storeBehaviour("file", async () => {
  const path = join(mkdtempSync(join(tmpdir(), "moe-thr-")), "thresholds.json");
  return [fileThresholdsStore(path), await openThresholdsStore(path)];
});

describe("file thresholds store", () => {
  it("reports a corrupt file as MOE_CORRUPT_FILE and opens relative paths against cwd", async () => {
    const folder = mkdtempSync(join(tmpdir(), "moe-thr-"));
    writeFileSync(join(folder, "t.json"), "{ nope");
    const store = await openThresholdsStore("t.json", { cwd: folder });
    expect(store.description).toBe(join(folder, "t.json"));
    await expect(store.read()).rejects.toSatisfy((e) => isMoeRouterError(e, "MOE_CORRUPT_FILE"));
  });

  it("refuses an empty spec", async () => {
    await expect(openThresholdsStore("  ")).rejects.toSatisfy((e) => isMoeRouterError(e, "MOE_INVALID_CONFIG"));
  });
});

const unavailable = postgresUnavailable();
if (unavailable) console.warn(`Skipping the PostgreSQL thresholds store tests: ${unavailable}.`);

describe.skipIf(unavailable !== undefined)("postgres thresholds store", () => {
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

  storeBehaviour("postgres", async () => {
    const tablePrefix = `thr${process.pid}_${++tables}`;
    const spec = `${url()}${url().includes("?") ? "&" : "?"}tablePrefix=${tablePrefix}`;
    return [await postgresThresholdsStore({ connectionString: url(), tablePrefix }), await openThresholdsStore(spec)];
  });

  it("refuses a corrupt row with MOE_CORRUPT_FILE, a bad prefix, and an unreachable server without the password", async () => {
    const tablePrefix = `thr${process.pid}_bad`;
    const store = await postgresThresholdsStore({ connectionString: url(), tablePrefix });
    const pg = (await import("pg")).default;
    const pool = new pg.Pool({ connectionString: url() });
    await pool.query(`INSERT INTO ${tablePrefix}_thresholds (document, history) VALUES ('{"version": 9}', '{}')`);
    await pool.end();
    await expect(store.read()).rejects.toSatisfy((e) => isMoeRouterError(e, "MOE_CORRUPT_FILE"));
    await store.close();
    await expect(store.read()).rejects.toSatisfy((e) => isMoeRouterError(e, "MOE_CLOSED"));
    await expect(postgresThresholdsStore({ connectionString: url(), tablePrefix: "x; DROP" })).rejects.toSatisfy((e) => isMoeRouterError(e, "MOE_INVALID_CONFIG"));
    const error = await openThresholdsStore("postgres://moe:s3cret@127.0.0.1:1/none").catch((e: unknown) => e);
    expect(isMoeRouterError(error, "MOE_STORE_FAILED")).toBe(true);
    expect((error as Error).message).not.toContain("s3cret");
  });
});
