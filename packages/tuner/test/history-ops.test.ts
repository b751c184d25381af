/**
 * Threshold operations that can be undone (issue 13), on the file store and the PostgreSQL
 * table alike: rollback to any history entry, experiment status / promote / stop, each
 * recorded in the history.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isMoeRouterError } from "@moe-router/core";
import type { RoutingEvent } from "@moe-router/tracker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  applyProposalToStore,
  documentOfEntry,
  experimentStatus,
  postgresThresholdsStore,
  promoteExperiment,
  proposeThresholds,
  rollbackThresholds,
  startExperimentInStore,
  stopExperiment,
  thresholdsHistory,
  type ThresholdsStore,
} from "../src/index.js";
import { fileThresholdsStore } from "../src/thresholds-store.js";
import { postgresUnavailable, startPostgres, type PostgresServer } from "../../../tools/test-support/postgres.js";
import { graded } from "./support/traces.js";

let tick = 0;
const now = () => new Date(Date.UTC(2026, 10, 20, 12, 0, tick++));
const propose = (current: number) => proposeThresholds(graded("keyword", 1000, { rightAbove: 0.3, shadow: true }), { layers: ["keyword"], current: { keyword: current }, targetPrecision: 0.9 });

/** Decisions of an experiment: the candidate right more often than control. */
function decisions(name: string, at: Date): RoutingEvent[] {
  return Array.from({ length: 60 }, (_, i) => ({
    schema_version: 2,
    record_type: "decision",
    event_id: `x${i}`,
    timestamp: new Date(at.getTime() + 1000 * (i + 1)).toISOString(),
    task_description: "t",
    selected_master: "security-master",
    routing_layer: "keyword",
    confidence: 0.9,
    layer_attempts: [{ layer_name: "keyword", selected_master: "security-master", confidence: 0.9, threshold: 0.8, success: true }],
    ab_test: { experiment: name, variant: i % 2 ? "candidate" : "control" },
    outcome: { task_completed: true, was_correct_master: i % 2 ? true : i % 4 === 0 },
  }));
}

function behaviour(name: string, fresh: () => Promise<ThresholdsStore>): void {
  describe(`${name}: rollback and experiment operations`, () => {
    it("rolls back to any entry, promotes and stops an experiment, each recorded in the history", async () => {
      const store = await fresh();
      try {
        await expect(rollbackThresholds(store)).rejects.toSatisfy((e) => isMoeRouterError(e, "MOE_NOT_FOUND"));
        await expect(promoteExperiment(store)).rejects.toSatisfy((e) => isMoeRouterError(e, "MOE_NOT_FOUND"));
        expect(await experimentStatus(store)).toEqual({ running: false });

        await applyProposalToStore(store, propose(0.85), { now }); // 1: keyword 0.8
        const started = await startExperimentInStore(store, propose(0.9), { name: "lower-kw", share: 0.5, now }); // 2: control 0.9, candidate 0.85
        expect((await store.read())?.experiment?.name).toBe("lower-kw");

        const status = await experimentStatus(store, {
          events: {
            read: async function* () {
              yield* decisions("lower-kw", new Date(started.file.updated_at));
            },
          },
          now: () => new Date(Date.UTC(2026, 10, 21)),
        });
        expect(status).toMatchObject({ running: true, name: "lower-kw", share: 0.5, control: { keyword: 0.9 }, candidate: { keyword: 0.85 } });
        expect(status.measured).toMatchObject({ experiment: "lower-kw", control: { decisions: 30 }, candidate: { decisions: 30, accuracy: { rate: 1 } } });

        const promoted = await promoteExperiment(store, { now }); // 3
        expect(promoted.file).toMatchObject({ thresholds: { keyword: 0.85 } });
        expect(promoted.file.experiment).toBeUndefined();
        expect(await store.read()).toEqual(promoted.file);

        const undone = await rollbackThresholds(store, { now }); // 4: entry 2 again: the experiment runs again
        expect(undone.entry).toMatchObject({ action: "rollback", restored: 2, before: { keyword: 0.85 }, after: { keyword: 0.9 } });
        expect((await store.read())?.experiment).toMatchObject({ name: "lower-kw", candidate_thresholds: { keyword: 0.85 } });

        const stopped = await stopExperiment(store, { now }); // 5: back to control
        expect(stopped.file).toMatchObject({ thresholds: { keyword: 0.9 } });
        expect(stopped.file.experiment).toBeUndefined();

        expect((await rollbackThresholds(store, { to: 1, now })).file.thresholds).toEqual({ keyword: 0.8 }); // 6
        expect((await rollbackThresholds(store, { to: 0, now })).file.thresholds).toEqual({}); // 7: the config's
        await expect(rollbackThresholds(store, { to: 8 })).rejects.toSatisfy((e) => isMoeRouterError(e, "MOE_INVALID_ARGUMENT"));
        await expect(rollbackThresholds(store, { to: -1 })).rejects.toSatisfy((e) => isMoeRouterError(e, "MOE_INVALID_ARGUMENT"));

        const history = await thresholdsHistory(store);
        expect(history.map((e) => [e.number, e.action, e.restored])).toEqual([
          [1, "apply", undefined],
          [2, "experiment", undefined],
          [3, "promote", undefined],
          [4, "rollback", 2],
          [5, "stop", undefined],
          [6, "rollback", 1],
          [7, "rollback", 0],
        ]);
        // Every entry carries the document it wrote, so restoring it is exact.
        for (const entry of history) expect(entry.document).toBeDefined();
        // A rollback of a rollback restores what the first one wrote.
        expect((await rollbackThresholds(store, { to: 6, now })).file.thresholds).toEqual({ keyword: 0.8 });
      } finally {
        await store.close();
      }
    });
  });
}

behaviour("file", async () => fileThresholdsStore(join(mkdtempSync(join(tmpdir(), "moe-history-ops-")), "thresholds.json")));

describe("documentOfEntry", () => {
  it("rebuilds the document of entries written before the history recorded it", () => {
    const experiment = { name: "e", share: 0.1, candidate_thresholds: { keyword: 0.7 }, started_at: "2026-01-01T00:00:00.000Z" };
    const base = { time: "2026-01-01T00:00:00.000Z", before: { keyword: 0.85 }, after: { keyword: 0.8 }, reason: "", samples: {} };
    expect(documentOfEntry({ ...base, action: "apply" })).toEqual({ version: 1, updated_at: base.time, thresholds: { keyword: 0.8 } });
    expect(documentOfEntry({ ...base, action: "experiment", experiment })).toEqual({ version: 1, updated_at: base.time, thresholds: { keyword: 0.85 }, experiment });
  });
});

const unavailable = postgresUnavailable();
if (unavailable) console.warn(`Skipping the PostgreSQL rollback/experiment tests: ${unavailable}.`);

describe.skipIf(unavailable !== undefined)("postgres", () => {
  let server: PostgresServer | undefined;
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });
  behaviour("postgres", async () => postgresThresholdsStore({ connectionString: server!.url, tablePrefix: `ops${process.pid}` }));
});
