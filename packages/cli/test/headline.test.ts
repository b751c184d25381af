import { describe, expect, it } from "vitest";
import { runCli, tempCwd } from "./support/io.js";

/**
 * The README's headline task on the embedded default cascade (no config): keyword rules see
 * "fix" and "bug" (development-master, 0.84, under the 0.85 threshold), so the semantic layer
 * over the built-in exemplars decides. It is a functional bug in the login code, which is
 * development's work ("bug fixes"); security-master's exemplars are about vulnerabilities
 * (an authentication *bypass*, leaked keys, CVEs).
 */
describe("the headline task on the embedded default", () => {
  it('routes "Fix authentication bug in login system" to development-master through the semantic layer, not the fallback', async () => {
    const run = await runCli(["route", "Fix authentication bug in login system", "--no-track"], tempCwd("moe-headline-"));
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { master: string; layer: string; confidence: number; attempts: { layer: string; master: string; accepted: boolean; details?: Record<string, unknown> }[] };
    expect(out).toMatchObject({ master: "development-master", layer: "semantic" });
    expect(out.confidence).toBeGreaterThanOrEqual(0.7);
    expect(out.attempts[0]).toMatchObject({ layer: "keyword", master: "development-master", accepted: false });
    const semantic = out.attempts[1]!;
    expect(semantic).toMatchObject({ layer: "semantic", accepted: true });
    // What the confidence rests on: leave-one-out over the built-in exemplars (persisted after the first start).
    expect(semantic.details).toMatchObject({ calibration_source: "exemplars", runner_up: "security-master" });
    expect(semantic.details!.calibration_samples as number).toBeGreaterThan(80);
  });

  it("still sends an authentication bypass to security-master", async () => {
    const run = await runCli(["route", "Attackers bypass authentication with a forged cookie", "--no-track"], tempCwd("moe-headline-"));
    expect(JSON.parse(run.stdout)).toMatchObject({ master: "security-master", layer: "semantic" });
  });
});
