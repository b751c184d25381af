import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempCwd } from "./support/io.js";

async function route(description: string, extra: string[] = [], cwd = tempCwd()) {
  const run = await runCli(["route", description, "--no-track", ...extra], cwd);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

describe("moe-router route (the prototype's test cases, translated)", () => {
  it("routes 'Deploy API to production' to cicd-master via keyword", async () => {
    const out = await route("Deploy API to production");
    expect(out).toMatchObject({ master: "cicd-master", layer: "keyword", confidence: 0.86 });
    expect(typeof out.event_id).toBe("string");
  });

  it.each([
    ["Run a security audit of the payment service", "security-master"],
    ["Scan the containers for CVE-2024-3094", "security-master"],
    ["Catalog every service in the inventory", "inventory-master"],
    ["Implement dark mode", "development-master"],
    ["Refactor the billing module into smaller services", "development-master"],
    ["Roll back yesterday's release on the staging cluster", "cicd-master"],
  ])("routes %j to %s", async (description, master) => {
    expect((await route(description)).master).toBe(master);
  });

  it("escalates 'Fix bug in authentication' past keyword (0.84 < 0.85) and names development-master as the candidate", async () => {
    const out = await route("Fix bug in authentication");
    const attempts = out.attempts as Array<Record<string, unknown>>;
    expect(attempts[0]).toMatchObject({ layer: "keyword", master: "development-master", accepted: false });
    expect(attempts.map((a) => a.layer)).toContain("semantic");
    if (out.layer === "clarification") expect((out.clarification as { candidates: string[] }).candidates).toContain("development-master");
    else expect(out.master).toBe("development-master");
  });

  it("sends a task no rule covers to the coordinator through clarification", async () => {
    const out = await route("Plan the team offsite");
    expect(out).toMatchObject({ master: "coordinator-master", layer: "clarification" });
    expect(out.clarification).toBeDefined();
  });

  it("prints the attempts with their thresholds", async () => {
    const out = await route("Deploy API to production");
    expect(out.attempts).toEqual([expect.objectContaining({ layer: "keyword", master: "cicd-master", threshold: 0.85, accepted: true })]);
    const escalated = await route("Implement dark mode");
    expect(escalated.attempts).toEqual([
      expect.objectContaining({ layer: "keyword", accepted: false, threshold: 0.85 }),
      expect.objectContaining({ layer: "semantic", master: "development-master", accepted: true, threshold: 0.7 }),
    ]);
  });
});

describe("moe-router route: bad input", () => {
  it("rejects an empty task with a coded error and exit code 2", async () => {
    const run = await runCli(["route", "   ", "--no-track"], tempCwd());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/MOE_INVALID_TASK/);
  });

  it("rejects a missing task", async () => {
    const run = await runCli(["route", "--no-track"], tempCwd());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/No task given/);
  });

  it("rejects an oversized task and names the limit", async () => {
    const run = await runCli(["route", "x".repeat(10_001), "--no-track"], tempCwd());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/MOE_TASK_TOO_LONG.*10000/);
  });

  it("rejects an unknown flag", async () => {
    const run = await runCli(["route", "Deploy", "--frobnicate"], tempCwd());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/MOE_UNKNOWN_OPTION/);
  });

  it("rejects an unknown command", async () => {
    const run = await runCli(["rout", "x"], tempCwd());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown command "rout"/);
  });
});

describe("moe-router route --config", () => {
  it("reads a YAML config with its own rules and thresholds", async () => {
    const cwd = tempCwd();
    writeFileSync(
      join(cwd, "router.yaml"),
      [
        "experts: [billing-master, coordinator-master]",
        "layers:",
        "  - package: '@moe-router/layer-keyword'",
        "    threshold: 0.5",
        "    options:",
        "      rules:",
        "        - { name: billing, expert: billing-master, confidence: 0.9, keywords: [invoice, refund] }",
        "tracking: { enabled: false }",
      ].join("\n"),
    );
    const out = await route("Refund the duplicate invoice", ["--config", "router.yaml"], cwd);
    expect(out).toMatchObject({ master: "billing-master", layer: "keyword" });
    expect(out.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it("reads a JSON config and honours its thresholds", async () => {
    const cwd = tempCwd();
    writeFileSync(join(cwd, "router.json"), JSON.stringify({ layers: [{ package: "@moe-router/layer-keyword", threshold: 0.99 }] }));
    expect((await route("Deploy API to production", ["--config", "router.json"], cwd)).layer).toBe("clarification");
  });

  it.each([
    ["a threshold out of range", { layers: [{ package: "@moe-router/layer-keyword", threshold: 3 }] }, /threshold must be a number in \[0,1\]/],
    ["a misspelt key", { layer: [] }, /unknown key "layer"/],
    ["an unknown package", { layers: [{ package: "@moe-router/layer-nope", threshold: 0.5 }] }, /Cannot load package "@moe-router\/layer-nope"/],
  ])("rejects %s with an actionable error", async (_label, config, message) => {
    const cwd = tempCwd();
    writeFileSync(join(cwd, "bad.json"), JSON.stringify(config));
    const run = await runCli(["route", "Deploy", "--config", "bad.json", "--no-track"], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it("rejects a config file that is not valid YAML", async () => {
    const cwd = tempCwd();
    writeFileSync(join(cwd, "broken.yaml"), "layers: [\n");
    const run = await runCli(["route", "Deploy", "--config", "broken.yaml", "--no-track"], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/MOE_INVALID_CONFIG.*not valid/);
  });

  it("runs the full example cascade (keyword -> semantic -> rag -> neural) before any index or training", async () => {
    const config = join(__dirname, "../../../examples/full-cascade.yaml");
    const out = await route("Plan the team offsite", ["--config", config]);
    expect((out.attempts as Array<{ layer: string }>).map((a) => a.layer)).toEqual(["keyword", "semantic", "rag", "neural"]);
    expect(out.layer).toBe("clarification");
  });

  it("says which file is missing", async () => {
    const run = await runCli(["route", "Deploy", "--config", "nowhere.yaml", "--no-track"], tempCwd());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/MOE_NOT_FOUND.*nowhere\.yaml/);
  });
});
