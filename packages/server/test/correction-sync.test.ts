import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LabelledExample } from "@moe-router/core";
import type { CorrectionsPage, RoutingEvent } from "@moe-router/tracker";
import { describe, expect, it } from "vitest";
import { CorrectionSync } from "../src/fleet/correction-sync.js";

/** A shared store's corrections by position; `visible` hides rows whose transaction has not committed. */
function fakeSource() {
  const rows: { cursor: number; event: RoutingEvent; visible: boolean }[] = [];
  let fail = false;
  return {
    rows,
    failNext() {
      fail = true;
    },
    add(cursor: number, text: string, expert: string, options: { visible?: boolean; at?: string } = {}) {
      rows.push({
        cursor,
        visible: options.visible ?? true,
        event: {
          schema_version: 1,
          record_type: "decision",
          event_id: `evt-${cursor}`,
          timestamp: "2026-11-30T10:00:00.000Z",
          task_description: text,
          selected_master: "coordinator-master",
          routing_layer: "clarification",
          confidence: 0.2,
          layer_attempts: [],
          outcome: { task_completed: true, was_correct_master: false, user_corrected_to: expert },
          outcome_timestamp: options.at ?? `2026-11-30T10:00:${String(cursor).padStart(2, "0")}.000Z`,
        },
      });
      rows.sort((a, b) => a.cursor - b.cursor);
    },
    async correctionsAfter(cursor: number, limit: number): Promise<CorrectionsPage> {
      if (fail) {
        fail = false;
        throw new Error("connection reset");
      }
      const page = rows.filter((r) => r.visible && r.cursor > cursor).slice(0, limit);
      return { corrections: page.map(({ cursor: c, event }) => ({ cursor: c, event })), cursor: page.length ? page[page.length - 1]!.cursor : cursor };
    },
  };
}

function learner() {
  const learned: LabelledExample[] = [];
  const since: string[] = [];
  return {
    learned,
    since,
    learn: async (batch: { examples: readonly LabelledExample[]; since: Date }) => {
      learned.push(...batch.examples);
      since.push(batch.since.toISOString());
    },
  };
}

describe("CorrectionSync", () => {
  it("learns other instances' corrections once, skips its own, and catches a row that committed late", async () => {
    const source = fakeSource();
    const { learned, learn, since } = learner();
    const sync = new CorrectionSync({ source, learn, batchSize: 3, lookback: 2 });
    source.add(1, "Rotate the vendor keys", "security-master");
    source.add(2, "Count the spare routers", "inventory-master", { visible: false }); // not committed yet
    source.add(3, "Ship the release", "cicd-master");
    sync.recordedHere("evt-3", "2026-11-30T10:00:03.000Z", "cicd-master"); // recorded (and learned) here
    await sync.syncNow();
    expect(learned.map((e) => e.text)).toEqual(["Rotate the vendor keys"]);
    expect(learned[0]).toEqual({ text: "Rotate the vendor keys", expert: "security-master", source: "outcome" });
    expect(sync.stats()).toMatchObject({ watermark: 3, learned: 1, skippedOwn: 1 });
    expect(since).toEqual(["2026-11-30T10:00:00.000Z"]);

    source.rows.find((r) => r.cursor === 2)!.visible = true; // its transaction commits after 3 was read
    await sync.syncNow();
    await sync.syncNow();
    expect(learned.map((e) => e.text)).toEqual(["Rotate the vendor keys", "Count the spare routers"]);
  });

  it("retries a batch whose learning failed, whole", async () => {
    const source = fakeSource();
    const learned: string[] = [];
    let fail = true;
    const sync = new CorrectionSync({
      source,
      learn: async (batch) => {
        if (fail) throw new Error("layer busy");
        learned.push(...batch.examples.map((e) => e.text));
      },
      onError: () => undefined,
    });
    source.add(1, "Rotate the vendor keys", "security-master");
    await sync.syncNow();
    expect(sync.stats()).toMatchObject({ watermark: 0, learned: 0, failures: 1 });
    fail = false;
    await sync.syncNow();
    expect(learned).toEqual(["Rotate the vendor keys"]);
    expect(sync.stats().watermark).toBe(1);
  });

  it("reads page after page until caught up, learning them in one run, and keeps polling after a failure", async () => {
    const source = fakeSource();
    const { learned, learn } = learner();
    let runs = 0;
    const errors: string[] = [];
    const sync = new CorrectionSync({ source, learn: async (batch) => void (runs++, await learn(batch)), batchSize: 4, lookback: 1, onError: (error) => errors.push(error.code) });
    for (let cursor = 1; cursor <= 10; cursor++) source.add(cursor * 2, `task ${cursor}`, "cicd-master");
    source.failNext();
    await sync.syncNow();
    expect(errors).toEqual(["MOE_STORE_FAILED"]);
    expect(learned).toHaveLength(0);
    await sync.syncNow();
    expect(learned.map((e) => e.text)).toEqual(Array.from({ length: 10 }, (_, i) => `task ${i + 1}`));
    expect(runs).toBe(1);
    expect(sync.stats()).toMatchObject({ watermark: 20, failures: 1 });
  });

  it("keeps the watermark in a file across restarts", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "moe-sync-")), "shared-corrections.json");
    const source = fakeSource();
    source.add(5, "Rotate the vendor keys", "security-master");
    const first = learner();
    const sync = new CorrectionSync({ source, learn: first.learn, watermarkFile: file, intervalMs: 60_000 });
    await sync.start();
    await sync.syncNow();
    await sync.stop();
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ cursor: 5 });
    source.add(9, "Count the spare routers", "inventory-master");
    const second = learner();
    const restarted = new CorrectionSync({ source, learn: second.learn, watermarkFile: file, intervalMs: 60_000, lookback: 0 });
    await restarted.start();
    await restarted.syncNow();
    await restarted.stop();
    expect(second.learned.map((e) => e.text)).toEqual(["Count the spare routers"]);
  });

  it("refuses a source without corrections and a page no larger than the lookback", () => {
    expect(() => new CorrectionSync({ source: {} as never, learn: async () => undefined })).toThrow(/postgres/);
    expect(() => new CorrectionSync({ source: fakeSource(), learn: async () => undefined, batchSize: 10, lookback: 10 })).toThrow(/batchSize/);
  });
});
