import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ErrorCode, isMoeRouterError } from "@moe-router/core";
import { decisionOutput, openRouter, type Router } from "../src/index.js";
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

function logLines(path: string): Array<Record<string, unknown>> {
  return readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("openRouter", () => {
  it("opens the embedded default with no config and routes like `moe-router route`", async () => {
    const { cwd } = toyProject();
    const router = await track(openRouter({ cwd, noTrack: true }));
    expect(router.configSource).toBe("embedded default");
    expect(router.cascade.layerNames).toEqual(["keyword", "semantic"]);
    const decision = await router.route({ description: "Deploy API to production" });
    expect(decision).toMatchObject({ expert: "cicd-master", layer: "keyword" });
    const out = router.output(decision);
    expect(out).toMatchObject({ master: "cicd-master", layer: "keyword", confidence: 0.86, event_id: decision.eventId });
    expect((out.attempts as Array<Record<string, unknown>>)[0]).toMatchObject({ layer: "keyword", threshold: 0.85, threshold_source: "config", accepted: true });
    // The shared formatter without sources is the plain `route` JSON.
    const plain = decisionOutput(decision);
    expect(Object.keys(plain)).toEqual(["master", "layer", "confidence", "event_id", "attempts", "latency_ms"]);
    expect((plain.attempts as Array<Record<string, unknown>>)[0]).not.toHaveProperty("threshold_source");
  });

  it("opens a config file (local layer resolved against the config's directory) and a config object", async () => {
    const { cwd, configPath } = toyProject();
    const fromFile = await track(openRouter({ config: configPath, cwd: "/", noTrack: true }));
    expect(fromFile.configSource).toBe(configPath);
    expect((await fromFile.route({ description: "Deploy it" })).expert).toBe("cicd-master");
    const fromObject = await track(openRouter({ config: { layers: [{ package: join(cwd, "toy-layer.mjs"), threshold: 0.2 }] }, cwd, noTrack: true }));
    expect(fromObject.configSource).toBe("config object");
    expect(await fromObject.route({ description: "anything" })).toMatchObject({ expert: "development-master", layer: "toy" });
  });

  it("refuses an invalid config object with a coded error", async () => {
    await expect(openRouter({ config: { layers: "x" } as never, noTrack: true })).rejects.toMatchObject({ code: ErrorCode.INVALID_CONFIG });
  });

  it("routes a batch in order, and routes durably on request", async () => {
    const { cwd, configPath } = toyProject();
    const router = await track(openRouter({ config: configPath, cwd }));
    const decisions = await router.routeBatch([{ description: "Deploy A" }, { description: "auth B" }, { description: "other" }], { durable: true });
    expect(decisions.map((d) => d.expert)).toEqual(["cicd-master", "security-master", "coordinator-master"]);
    // durable: on disk before close()
    const lines = logLines(join(cwd, ".moe-router/events.jsonl"));
    expect(lines.map((l) => l.event_id)).toEqual(decisions.map((d) => d.eventId));
    await expect(router.routeBatch("x" as never)).rejects.toMatchObject({ code: ErrorCode.INVALID_TASK });
  });

  it("records outcomes, returns the merged event, rejects unknown event ids with NOT_FOUND", async () => {
    const { cwd, configPath } = toyProject();
    const router = await track(openRouter({ config: configPath, cwd }));
    expect(router.storeSpec).toBe(".moe-router/events.jsonl");
    const decision = await router.route({ id: "t-1", description: "Deploy API" });
    await router.flush();
    const recorded = await router.recordOutcome(decision.eventId, { completed: true, correctedTo: "security-master", minutes: 3 });
    expect(recorded.record.outcome).toMatchObject({ user_corrected_to: "security-master", was_correct_master: false });
    const event = await router.getEvent(decision.eventId);
    expect(event).toMatchObject({ event_id: decision.eventId, task_id: "t-1", selected_master: "cicd-master", routing_layer: "toy", outcome: { user_corrected_to: "security-master" } });
    expect(await router.getEvent("no-such-event")).toBeUndefined();
    const error = await router.recordOutcome("no-such-event", { completed: true }).catch((e: unknown) => e);
    expect(isMoeRouterError(error, ErrorCode.NOT_FOUND)).toBe(true);
    expect((error as { data: { eventId: string } }).data.eventId).toBe("no-such-event");
  });

  it("says clearly that outcomes need tracking when it is off", async () => {
    const { cwd, configPath } = toyProject();
    const router = await track(openRouter({ config: configPath, cwd, noTrack: true }));
    const decision = await router.route({ description: "Deploy" });
    await expect(router.recordOutcome(decision.eventId, { completed: true })).rejects.toMatchObject({ code: ErrorCode.INVALID_CONFIG, message: expect.stringMatching(/Tracking is off/) });
    expect(router.tracker).toBeUndefined();
    expect((await router.ready()).ok).toBe(true);
  });

  it("close() flushes every decision and makes later calls fail with MOE_CLOSED", async () => {
    const { cwd, configPath } = toyProject();
    const router = await openRouter({ config: configPath, cwd });
    const decisions = await Promise.all(Array.from({ length: 50 }, (_, i) => router.route({ description: `Deploy ${i}` })));
    await router.close();
    await router.close(); // idempotent
    expect(logLines(join(cwd, ".moe-router/events.jsonl")).length).toBe(50);
    await expect(router.route({ description: "Deploy" })).rejects.toMatchObject({ code: ErrorCode.CLOSED });
    await expect(router.recordOutcome(decisions[0]!.eventId, { completed: true })).rejects.toMatchObject({ code: ErrorCode.CLOSED });
    expect((await router.ready()).ok).toBe(false);
  });

  it("ready() is false with the reason when the store could not be opened", async () => {
    const { cwd, configPath } = toyProject();
    writeFileSync(join(cwd, "blocker"), "a file where a directory should be");
    const logger = captureLogger();
    const router = await track(openRouter({ config: configPath, cwd, store: "blocker/events.jsonl", logger }));
    await router.route({ description: "Deploy" });
    const readiness = await router.ready();
    expect(readiness.ok).toBe(false);
    expect(readiness.reasons.join(" ")).toMatch(/blocker\/events\.jsonl/);
  });

  it("stats() counts routes and tracker records", async () => {
    const { cwd, configPath } = toyProject();
    const router = await track(openRouter({ config: configPath, cwd }));
    await router.route({ description: "Deploy" });
    await router.route({ description: "other" });
    await router.flush();
    const stats = router.stats();
    expect(stats.cascade).toMatchObject({ routes: 2, clarifications: 1 });
    expect(stats.tracker).toMatchObject({ decisions: 2, store: expect.objectContaining({ written: 2 }) });
  });
});
