import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ErrorCode } from "@moe-router/core";
import { openRouter, type Router } from "../src/index.js";
import { captureLogger, EXPERTS, TOY_LAYER, tempDir } from "./support/project.js";

/** A layer that spins forever (synchronously) on tasks mentioning "loop". */
const LOOPING_LAYER = `export function createLayer(options) {
  let routed = 0;
  return {
    name: "spinner",
    route(task) {
      routed++;
      if (task.description.includes("loop")) for (;;) {}
      return { expert: "cicd-master", confidence: 0.99, details: { routed_in_this_worker: routed } };
    },
  };
}
`;

const open: Router[] = [];
afterEach(async () => {
  for (const r of open.splice(0)) await r.close();
});

function project(layers: unknown[]): { cwd: string; config: string } {
  const cwd = tempDir();
  writeFileSync(join(cwd, "spinner.mjs"), LOOPING_LAYER);
  writeFileSync(join(cwd, "toy-layer.mjs"), TOY_LAYER);
  writeFileSync(join(cwd, "moe.json"), JSON.stringify({ experts: EXPERTS, layers, tracking: { enabled: false } }));
  return { cwd, config: join(cwd, "moe.json") };
}

describe("isolate: worker", () => {
  it("pre-empts a synchronous infinite loop: the attempt times out, the cascade moves on, the worker restarts", async () => {
    const { cwd, config } = project([
      { package: "./spinner.mjs", threshold: 0.9, isolate: "worker", timeoutMs: 300 },
      { package: "./toy-layer.mjs", threshold: 0.85 },
    ]);
    const logger = captureLogger();
    const router = await openRouter({ config, cwd, logger });
    open.push(router);
    expect(router.cascade.layerNames).toEqual(["spinner", "toy"]);
    const ok = await router.route({ description: "Deploy API" });
    expect(ok).toMatchObject({ layer: "spinner", expert: "cicd-master" });
    const started = Date.now();
    const looped = await router.route({ description: "Deploy in a loop" });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(looped.attempts[0]).toMatchObject({ layer: "spinner", accepted: false, error: { code: ErrorCode.LAYER_TIMEOUT } });
    expect(looped).toMatchObject({ layer: "toy", expert: "cicd-master" });
    expect(logger.lines.join("\n")).toMatch(/MOE_LAYER_TIMEOUT.*"\.\/spinner\.mjs" \(isolate: worker\).*terminated/);
    // A fresh worker (started at once) answers the next tasks; its counter starts again.
    let after = await router.route({ description: "Deploy again" });
    for (let i = 0; i < 20 && after.layer !== "spinner"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await router.route({ description: "Deploy again" });
    }
    expect(after).toMatchObject({ layer: "spinner" });
    expect(after.attempts[0]!.details).toEqual({ routed_in_this_worker: 1 });
    expect((router.layers[0] as unknown as { restarts: number }).restarts).toBe(1);
  }, 30_000);

  it("learns inside the worker, and the layer's persisted state survives a restart", async () => {
    const { cwd, config } = project([{ package: "./toy-layer.mjs", threshold: 0.85, isolate: "worker" }]);
    const router = await openRouter({ config, cwd });
    open.push(router);
    expect(router.layers[0]!.capabilities).toMatchObject({ learn: true, async: true });
    await router.cascade.learn([{ text: "Plan the offsite", expert: "inventory-master" }]);
    expect(await router.route({ description: "Plan the offsite" })).toMatchObject({ layer: "toy", expert: "inventory-master" });
    await router.close();
    const again = await openRouter({ config, cwd });
    open.push(again);
    expect(await again.route({ description: "Plan the offsite" })).toMatchObject({ layer: "toy", expert: "inventory-master" });
  }, 30_000);

  it("reports a module that fails to start in its worker with a coded error naming it", async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, "bad.mjs"), 'export function createLayer() { throw new Error("no rules file"); }');
    writeFileSync(join(cwd, "hang.mjs"), "export function createLayer() { for (;;) {} }");
    writeFileSync(join(cwd, "moe.json"), JSON.stringify({ layers: [{ package: "./bad.mjs", threshold: 0.5, isolate: "worker" }], tracking: { enabled: false } }));
    await expect(openRouter({ config: join(cwd, "moe.json"), cwd })).rejects.toMatchObject({
      code: ErrorCode.LAYER_START_FAILED,
      message: expect.stringMatching(/"\.\/bad\.mjs" \(isolate: worker\) failed to start: no rules file/),
    });
    // Even a createLayer that spins forever is bounded by the start-up budget.
    writeFileSync(join(cwd, "moe.json"), JSON.stringify({ layers: [{ package: "./hang.mjs", threshold: 0.5, isolate: "worker" }], tracking: { enabled: false }, startupTimeoutMs: 500 }));
    await expect(openRouter({ config: join(cwd, "moe.json"), cwd })).rejects.toMatchObject({ code: ErrorCode.LAYER_START_FAILED, message: expect.stringMatching(/did not start within 500 ms/) });
  }, 30_000);

  it("runs one of our packages by name in a worker", async () => {
    const cwd = tempDir();
    const router = await openRouter({ config: { layers: [{ package: "@moe-router/layer-keyword", threshold: 0.85, isolate: "worker" }] }, cwd, noTrack: true });
    open.push(router);
    expect(await router.route({ description: "Deploy API to production" })).toMatchObject({ layer: "keyword", expert: "cicd-master", confidence: 0.86 });
  }, 30_000);
});
