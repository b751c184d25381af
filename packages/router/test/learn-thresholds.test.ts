import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ErrorCode } from "@moe-router/core";
import { openRouter, type Router } from "../src/index.js";
import { captureLogger, toyProject } from "./support/project.js";

const open: Router[] = [];
async function track(router: Promise<Router>): Promise<Router> {
  const r = await router;
  open.push(r);
  return r;
}
afterEach(async () => {
  for (const r of open.splice(0)) await r.close();
});

function writeThresholds(cwd: string, thresholds: Record<string, number>, experiment?: Record<string, unknown>): void {
  mkdirSync(join(cwd, ".moe-router"), { recursive: true });
  const file = { version: 1, updated_at: new Date().toISOString(), thresholds, ...(experiment ? { experiment } : {}) };
  // Atomic replace, as `moe-router tune` does.
  writeFileSync(join(cwd, ".moe-router/thresholds.tmp"), JSON.stringify(file));
  writeFileSync(join(cwd, ".moe-router/thresholds.json"), JSON.stringify(file));
}

async function until(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("Router.learn", () => {
  it("applies a correction once, persistently: the same task then routes to the corrected expert", async () => {
    const { cwd, configPath } = toyProject();
    const router = await track(openRouter({ config: configPath, cwd }));
    const first = await router.route({ description: "Plan the team offsite" });
    expect(first.layer).toBe("clarification");
    await router.flush();
    await router.recordOutcome(first.eventId, { completed: true, correctedTo: "inventory-master" });
    const report = await router.learn();
    expect(report.corrections).toBe(1);
    expect(report.layers).toEqual([{ layer: "toy", applied: 1, alreadyLearned: 0 }]);
    expect(await router.route({ description: "Plan the team offsite" })).toMatchObject({ expert: "inventory-master", layer: "toy" });
    expect((await router.learn()).layers).toEqual([{ layer: "toy", applied: 0, alreadyLearned: 1 }]);
    await router.close();
    // A new process: the layer kept what it learned and the watermark says it is learned.
    const again = await track(openRouter({ config: configPath, cwd }));
    expect((await again.learn()).layers).toEqual([{ layer: "toy", applied: 0, alreadyLearned: 1 }]);
    expect((await again.route({ description: "Plan the team offsite" })).expert).toBe("inventory-master");
  });

  it("never learns from generated sample data (synthetic: true), and says how many it left out", async () => {
    const { cwd, configPath } = toyProject();
    // What `moe-router generate --store .moe-router/events.jsonl` leaves: a corrected sample decision in the real log.
    mkdirSync(join(cwd, ".moe-router"), { recursive: true });
    const at = new Date().toISOString();
    writeFileSync(
      join(cwd, ".moe-router/events.jsonl"),
      [
        {
          schema_version: 2,
          record_type: "decision",
          event_id: "sample-1",
          timestamp: at,
          synthetic: true,
          task_description: "Order more laptops",
          selected_master: "coordinator-master",
          routing_layer: "clarification",
          confidence: 1,
          layer_attempts: [],
        },
        {
          schema_version: 2,
          record_type: "outcome",
          event_id: "sample-1",
          timestamp: at,
          synthetic: true,
          outcome: { task_completed: true, was_correct_master: false, user_corrected_to: "security-master" },
        },
      ]
        .map((record) => `${JSON.stringify(record)}\n`)
        .join(""),
    );
    const router = await track(openRouter({ config: configPath, cwd }));
    const real = await router.route({ description: "Plan the team offsite" });
    await router.flush();
    await router.recordOutcome(real.eventId, { completed: true, correctedTo: "inventory-master" });
    const report = await router.learn();
    expect(report).toMatchObject({ corrections: 1, syntheticSkipped: 1 });
    expect(report.layers).toEqual([{ layer: "toy", applied: 1, alreadyLearned: 0 }]);
    expect((await router.route({ description: "Order more laptops" })).expert).not.toBe("security-master");
  });

  it("refuses to learn without tracking", async () => {
    const { cwd, configPath } = toyProject();
    const router = await track(openRouter({ config: configPath, cwd, noTrack: true }));
    await expect(router.learn()).rejects.toMatchObject({ code: ErrorCode.INVALID_CONFIG });
  });
});

describe("Router thresholds", () => {
  it("reports each layer's threshold and where it comes from, and logs overrides with verbose", async () => {
    const { cwd, configPath } = toyProject();
    writeThresholds(cwd, { toy: 0.9 }, { name: "lower", share: 0.5, candidate_thresholds: { toy: 0.2 }, started_at: new Date().toISOString() });
    const logger = captureLogger();
    const router = await track(openRouter({ config: configPath, cwd, noTrack: true, verbose: true, logger }));
    const report = router.thresholds();
    expect(report.layers).toEqual([
      { layer: "toy", threshold: 0.9, source: "thresholds-file", configThreshold: 0.85, experiment: { name: "lower", share: 0.5, threshold: 0.2, source: "thresholds-file" } },
    ]);
    expect(report.experiment).toEqual({ name: "lower", share: 0.5, source: "thresholds-file" });
    expect(logger.lines.join("\n")).toMatch(/overrides the config: layer "toy" threshold 0\.85 -> 0\.9/);
    expect(logger.lines.join("\n")).toMatch(/loaded layer module "\.\/toy-layer\.mjs" from file:/);
    // Attempts say where their threshold came from; the candidate arm says "experiment".
    const outputs = await Promise.all(Array.from({ length: 40 }, (_, i) => router.route({ id: `t${i}`, description: "Deploy" }).then((d) => router.output(d))));
    const sources = new Set(outputs.map((o) => (o.attempts as Array<{ threshold_source: string }>)[0]!.threshold_source));
    expect(sources).toEqual(new Set(["thresholds-file", "experiment"]));
  });

  it("applies a thresholds file rewritten while it runs (watchThresholds), and keeps the old ones on a corrupt file", async () => {
    const { cwd, configPath } = toyProject();
    const logger = captureLogger();
    const router = await track(openRouter({ config: configPath, cwd, noTrack: true, logger, watchThresholds: { intervalMs: 50 } }));
    expect(router.cascade.getThresholds()).toEqual({ toy: 0.85 });
    expect((await router.route({ description: "auth thing" })).layer).toBe("toy"); // 0.9 >= 0.85
    writeThresholds(cwd, { toy: 0.92 });
    await until(() => router.cascade.getThresholds().toy === 0.92);
    expect((await router.route({ description: "auth thing" })).layer).toBe("clarification");
    expect(router.thresholds().layers[0]).toMatchObject({ threshold: 0.92, source: "thresholds-file" });
    writeFileSync(join(cwd, ".moe-router/thresholds.json"), "{ not json");
    await until(() => logger.lines.some((l) => l.includes("MOE_CORRUPT_FILE")));
    expect(router.cascade.getThresholds().toy).toBe(0.92);
    expect(router.stats().thresholdUpdates).toBe(1);
  });

  it("starts and stops an experiment from the file without restart", async () => {
    const { cwd, configPath } = toyProject();
    const router = await track(openRouter({ config: configPath, cwd, noTrack: true }));
    writeThresholds(cwd, { toy: 0.85 }, { name: "x", share: 1, candidate_thresholds: { toy: 0.1 }, started_at: new Date().toISOString() });
    expect(await router.reloadThresholds()).toBe(true);
    const decision = await router.route({ id: "a", description: "other" });
    expect(decision).toMatchObject({ layer: "toy", experiment: { name: "x", variant: "candidate" } });
    writeThresholds(cwd, { toy: 0.85 });
    expect(await router.reloadThresholds()).toBe(true);
    expect((await router.route({ id: "a", description: "other" })).layer).toBe("clarification");
    expect(router.stats().cascade.routes).toBe(2);
  });
});

describe("Router.reload", () => {
  it("applies a new config and keeps the running one (coded error) when the new one is invalid", async () => {
    const { cwd, configPath } = toyProject();
    const router = await track(openRouter({ config: configPath, cwd, noTrack: true }));
    writeFileSync(configPath, JSON.stringify({ layers: [{ package: "./toy-layer.mjs", threshold: 0.2, options: { name: "toy2" } }] }));
    const result = await router.reload();
    expect(result.layers).toEqual(["toy2"]);
    expect((await router.route({ description: "other" })).layer).toBe("toy2");
    writeFileSync(configPath, JSON.stringify({ layers: "nope" }));
    await expect(router.reload()).rejects.toMatchObject({ code: ErrorCode.INVALID_CONFIG });
    expect((await router.route({ description: "other" })).layer).toBe("toy2");
    expect(router.stats().reloads).toEqual({ applied: 1, failed: 1 });
  });
});
