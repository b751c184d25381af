import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli, tempCwd } from "./support/io.js";

const hwuMini = fileURLToPath(new URL("../../../fixtures/datasets/hwu64-mini.jsonl", import.meta.url));
const rows = readFileSync(hwuMini, "utf8")
  .split("\n")
  .filter(Boolean)
  .map((line) => JSON.parse(line) as { text: string; label: string; split: string });
const labels = [...new Set(rows.map((row) => row.label))];
const testRows = rows.filter((row) => row.split === "test");

type Routed = { master: string; layer: string; confidence: number; attempts: { layer: string; master: string; confidence: number; details?: Record<string, unknown> }[] };

function writeConfig(cwd: string, layers: unknown[]): void {
  writeFileSync(
    join(cwd, "router.json"),
    JSON.stringify({
      experts: [...labels, "security-master", "cicd-master", "inventory-master", "development-master", "coordinator-master"],
      embedder: { package: "@moe-router/embeddings" },
      layers,
      tracking: { enabled: false },
    }),
  );
}

async function routeAll(cwd: string): Promise<Routed[]> {
  const out: Routed[] = [];
  for (const row of testRows.slice(0, 24)) {
    const run = await runCli(["route", row.text, "--config", "router.json", "--no-track"], cwd);
    expect(run.stderr).toBe("");
    out.push(JSON.parse(run.stdout) as Routed);
  }
  return out;
}

describe("moe-router train: every learnable layer the config names", () => {
  it("calibrates the RAG layer from a dataset so its confidence can reach its 0.85 threshold from a config", async () => {
    const cwd = tempCwd("moe-train-rag-");
    writeConfig(cwd, [{ package: "@moe-router/layer-rag", threshold: 0.85 }]);
    // Uncalibrated, the RAG confidence is the raw vote feature (share x similarity): it never gets there.
    const learnOnly = await runCli(["train", "--config", "router.json", "--data", hwuMini, "--layer", "rag", "--json"], cwd);
    expect(learnOnly.code).toBe(0);
    const summary = JSON.parse(learnOnly.stdout) as { layers: Record<string, unknown>[]; out?: string };
    expect(summary.out).toBeUndefined(); // --layer rag: no neural head trained
    expect(summary.layers).toEqual([expect.objectContaining({ layer: "rag", package: "@moe-router/layer-rag", method: "learn+calibrate", calibrated: true })]);
    const rag = summary.layers[0] as { learned: number; heldOut: number; eceBefore: number; eceAfter: number };
    expect(rag.learned + rag.heldOut).toBe(144);
    expect(rag.heldOut).toBeGreaterThanOrEqual(12);
    expect(rag.eceAfter).toBeLessThan(rag.eceBefore);
    const file = join(cwd, ".moe-router", "rag-rag.calibration.json");
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ format: "moe-router/rag-calibration", examples: rag.heldOut });

    const routed = await routeAll(cwd);
    const byRag = routed.filter((r) => r.layer === "rag");
    expect(byRag.length).toBeGreaterThan(0);
    for (const r of byRag) expect(r.confidence).toBeGreaterThanOrEqual(0.85);
    expect(routed[0]!.attempts[0]!.details).toMatchObject({ calibrated: true, calibration_source: "fitted", calibration_samples: rag.heldOut });
  });

  it("by default fits the semantic and RAG layers and trains the neural head, in one run, persistently", async () => {
    const cwd = tempCwd("moe-train-all-");
    writeConfig(cwd, [
      { package: "@moe-router/layer-keyword", threshold: 0.85 },
      { package: "@moe-router/layer-semantic", threshold: 0.7, options: { experts: {} } },
      { package: "@moe-router/layer-rag", threshold: 0.85 },
      { package: "@moe-router/layer-neural", threshold: 0.9 },
    ]);
    const run = await runCli(["train", "--config", "router.json", "--data", hwuMini, "--epochs", "5"], cwd);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^semantic \(@moe-router\/layer-semantic\): learned \d+ examples as exemplars, calibrated on \d+ held out: accuracy \d\.\d{3}, ECE/m);
    expect(run.stdout).toMatch(/^rag \(@moe-router\/layer-rag\): stored \d+ tasks, calibrated on \d+ held out/m);
    expect(run.stdout).toMatch(/Trained a softmax head on \d+ examples/);
    expect(run.stdout).not.toMatch(/keyword/);
    expect(existsSync(join(cwd, ".moe-router", "neural", "model.json"))).toBe(true);
    // A fresh process routes with what train left on disk: the semantic layer's fitted calibration too.
    const routed = await routeAll(cwd);
    const semantic = routed[0]!.attempts.find((a) => a.layer === "semantic")!;
    expect(semantic.details).toMatchObject({ calibration_source: "fitted" });
    expect(semantic.details!.calibration_samples as number).toBeGreaterThanOrEqual(12);
    const right = routed.filter((r, i) => r.master === testRows[i]!.label).length;
    expect(right / routed.length).toBeGreaterThan(0.6);
  });

  it("fits the semantic layer from corrected outcomes in the log (--from-log)", async () => {
    const cwd = tempCwd("moe-train-semantic-log-");
    writeFileSync(
      join(cwd, "router.json"),
      JSON.stringify({
        experts: ["security-master", "cicd-master", "coordinator-master"],
        embedder: { package: "@moe-router/embeddings" },
        layers: [{ package: "@moe-router/layer-semantic", threshold: 0.7, options: { experts: {} } }],
        tracking: { store: "events.jsonl" },
      }),
    );
    const tasks: [string, string][] = [
      ["rotate the leaked api keys", "security-master"],
      ["patch the openssl vulnerability", "security-master"],
      ["review the firewall rules", "security-master"],
      ["audit the login attempts", "security-master"],
      ["revoke the stolen token", "security-master"],
      ["scan containers for cves", "security-master"],
      ["deploy the api to production", "cicd-master"],
      ["fix the failing release pipeline", "cicd-master"],
      ["cache docker layers in ci", "cicd-master"],
      ["roll back the last deploy", "cicd-master"],
      ["speed up the nightly build", "cicd-master"],
      ["publish the helm chart", "cicd-master"],
    ];
    const lines: string[] = [];
    tasks.forEach(([text, expert], i) => {
      lines.push(
        JSON.stringify({
          schema_version: 1,
          record_type: "decision",
          event_id: `ev-${i}`,
          timestamp: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
          task_description: text,
          selected_master: "coordinator-master",
          routing_layer: "clarification",
          confidence: 1,
          layer_attempts: [],
        }),
      );
      lines.push(
        JSON.stringify({
          schema_version: 1,
          record_type: "outcome",
          event_id: `ev-${i}`,
          timestamp: new Date(Date.UTC(2026, 0, 1, 1, i)).toISOString(),
          outcome: { task_completed: true, was_correct_master: false, user_corrected_to: expert },
        }),
      );
    });
    writeFileSync(join(cwd, "events.jsonl"), `${lines.join("\n")}\n`);
    const run = await runCli(["train", "--config", "router.json", "--from-log", "--layer", "semantic", "--json"], cwd);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as { layers: { layer: string; learned: number; heldOut: number; calibrated: boolean }[] };
    expect(summary.layers[0]).toMatchObject({ layer: "semantic", learned: 10, heldOut: 2, calibrated: true });
    const routed = await runCli(["route", "roll back the last deploy", "--config", "router.json", "--no-track"], cwd);
    expect(JSON.parse(routed.stdout)).toMatchObject({ master: "cicd-master", layer: "semantic" });
  });

  it.each([
    [["--layer", "nope"], /--layer names no layer of this config: nope; the config's layers are neural, keyword/],
    [["--layer", "keyword"], /"keyword" \(@moe-router\/layer-keyword\) has neither fit\(\) nor learn\(\) \+ calibrate\(\)/],
    [["--layer", ","], /--layer needs at least one layer name/],
  ])("%j is a usage error (exit 2)", async (args, message) => {
    const cwd = tempCwd("moe-train-layer-err-");
    writeConfig(cwd, [{ package: "@moe-router/layer-keyword", threshold: 0.85 }]);
    const run = await runCli(["train", "--config", "router.json", "--data", hwuMini, ...args], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/error \[MOE_INVALID_CONFIG\]/);
    expect(run.stderr).toMatch(message);
  });
});
