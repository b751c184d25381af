import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempCwd } from "./support/io.js";

const CONFIG = `layers:
  - { package: "@moe-router/layer-keyword", threshold: 0.85 }
alerts:
  - { name: keyword-accuracy, metric: accuracy, layer: keyword, window: 24h, below: 0.85, min_samples: 50 }
  - { name: clarification-spike, metric: clarification_rate, window: 24h, above: 0.3, min_samples: 50 }
  - { name: slow-rag, metric: latency_p95_ms, layer: rag, window: 1h, above: 200, min_samples: 1000 }
`;

/** `generate` writes its own log, marked synthetic: alerts judge it only when told to. */
const SAMPLES = ["--store", ".moe-router/sample-events.jsonl", "--include-synthetic"];

describe("moe-router alerts", () => {
  // Four days, keyword accuracy down to 60 % from 24 hours before the end.
  const cwd = tempCwd("moe-cli-alerts-");
  writeFileSync(join(cwd, "moe.yaml"), CONFIG);
  const generated = runCli(["generate", "-n", "8000", "--days", "4", "--end", "2026-11-20T00:00:00Z", "--drift", "0", "--degrade", "keyword:0.6@-24h"], cwd);

  it("exits 0 before the degradation and 1 after it, naming the firing rule", async () => {
    expect((await generated).code).toBe(0);
    const before = await runCli(["alerts", "--config", "moe.yaml", ...SAMPLES, "--at", "2026-11-19T00:00:00Z"], cwd);
    expect(before.code).toBe(0);
    expect(before.stdout).toMatch(/keyword-accuracy +accuracy\(keyword\) +ok /);
    expect(before.stdout).toMatch(/slow-rag .* not enough data .* < 1000/);
    expect(before.stdout).toContain("No rule firing (3 evaluated).");
    const after = await runCli(["alerts", "--config", "moe.yaml", ...SAMPLES, "--at", "2026-11-20T00:00:00Z"], cwd);
    expect(after.code).toBe(1);
    expect(after.stdout).toMatch(/keyword-accuracy +accuracy\(keyword\) +FIRING +\d+\.\d% +\d+\.\d% +below 85\.0% +\d+/);
    expect(after.stdout).toContain("1 of 3 rule(s) firing.");
  });

  it("leaves the synthetic sample decisions out unless --include-synthetic: nothing to judge, nothing fires", async () => {
    await generated;
    const run = await runCli(["alerts", "--config", "moe.yaml", "--store", ".moe-router/sample-events.jsonl", "--at", "2026-11-20T00:00:00Z", "--json"], cwd);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.alerts.map((a: { state: string; samples: number }) => [a.state, a.samples])).toEqual([
      ["insufficient_data", 0],
      ["insufficient_data", 0],
      ["insufficient_data", 0],
    ]);
  });

  it("prints every rule's state, value, bound and samples with --json", async () => {
    await generated;
    const run = await runCli(["alerts", "--config", "moe.yaml", ...SAMPLES, "--at", "2026-11-20T00:00:00Z", "--json"], cwd);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result.evaluatedAt).toBe("2026-11-20T00:00:00.000Z");
    expect(result.alerts.map((a: { rule: string; state: string }) => [a.rule, a.state])).toEqual([
      ["keyword-accuracy", "firing"],
      ["clarification-spike", "ok"],
      ["slow-rag", "insufficient_data"],
    ]);
    const keyword = result.alerts[0];
    expect(keyword.value).toBeLessThan(0.7);
    expect(keyword.bound).toBeGreaterThan(keyword.value);
    expect(keyword.samples).toBeGreaterThan(50);
    expect(keyword.window).toEqual({ since: "2026-11-19T00:00:00.000Z", until: "2026-11-20T00:00:00.000Z" });
  });

  it("says how to fix a config without rules, a bad rule, or a bad --at (exit 2)", async () => {
    await generated;
    writeFileSync(join(cwd, "plain.yaml"), 'layers:\n  - { package: "@moe-router/layer-keyword", threshold: 0.85 }\n');
    const none = await runCli(["alerts", "--config", "plain.yaml"], cwd);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/error \[MOE_INVALID_CONFIG\]: No alert rules in .*plain\.yaml: add an "alerts" list/);
    writeFileSync(join(cwd, "bad.yaml"), `${CONFIG}  - { name: typo, metric: acuracy, window: 1h, below: 0.5 }\n`);
    const bad = await runCli(["alerts", "--config", "bad.yaml"], cwd);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/error \[MOE_INVALID_CONFIG\]: .*bad\.yaml: alert "typo": metric must be one of/);
    const at = await runCli(["alerts", "--config", "moe.yaml", "--at", "yesterday"], cwd);
    expect(at.code).toBe(2);
    expect(at.stderr).toContain("--at must be a time");
  });
});
