import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadHead } from "@moe-router/layer-neural";
import type { DecisionRecord, OutcomeRecord } from "@moe-router/tracker";
import { runCli, tempCwd } from "./support/io.js";

const hwuMini = fileURLToPath(new URL("../../../fixtures/datasets/hwu64-mini.jsonl", import.meta.url));

function decision(id: number, text: string, master: string): DecisionRecord {
  return {
    schema_version: 1,
    record_type: "decision",
    event_id: `ev-${id}`,
    timestamp: new Date(Date.UTC(2026, 0, 1, 0, id)).toISOString(),
    task_description: text,
    selected_master: master,
    routing_layer: "keyword",
    confidence: 0.9,
    layer_attempts: [{ layer_name: "keyword", selected_master: master, confidence: 0.9, threshold: 0.85, success: true, latency_ms: 0.1 }],
  };
}

function outcome(id: number, fields: Partial<OutcomeRecord["outcome"]>): OutcomeRecord {
  return { schema_version: 1, record_type: "outcome", event_id: `ev-${id}`, timestamp: new Date(Date.UTC(2026, 0, 1, 1, id)).toISOString(), outcome: { task_completed: true, ...fields } };
}

/** A small log: right routes, corrected routes, and decisions whose outcome tells nothing. */
function writeLog(path: string): { expected: Record<string, string> } {
  const tasks: [string, string, Partial<OutcomeRecord["outcome"]> | undefined, string | undefined][] = [];
  const security = ["rotate the leaked api keys", "patch the openssl vulnerability", "review firewall rules", "audit login attempts", "revoke the stolen token", "scan containers for cves"];
  const cicd = ["deploy the api to production", "fix the failing release pipeline", "cache docker layers in ci", "roll back the last deploy", "speed up the nightly build", "publish the helm chart"];
  security.forEach((t) => tasks.push([t, "security-master", { was_correct_master: true }, "security-master"]));
  // Wrongly routed, then corrected by the user: the correction is the label.
  cicd.forEach((t) => tasks.push([t, "development-master", { was_correct_master: false, user_corrected_to: "cicd-master" }, "cicd-master"]));
  tasks.push(["plan the offsite", "coordinator-master", undefined, undefined]); // no outcome yet
  tasks.push(["water the plants", "inventory-master", { was_correct_master: false }, undefined]); // wrong, no correction
  const lines: string[] = [];
  const expected: Record<string, string> = {};
  tasks.forEach(([text, master, out, label], i) => {
    lines.push(JSON.stringify(decision(i, text, master)));
    if (out) lines.push(JSON.stringify(outcome(i, out)));
    if (label) expected[text] = label;
  });
  writeFileSync(path, `${lines.join("\n")}\n`);
  return { expected };
}

describe("moe-router train --data", () => {
  it("trains on a JSONL dataset, shows progress, writes the model where the layer loads it", async () => {
    const cwd = tempCwd("moe-train-");
    const run = await runCli(["train", "--data", hwuMini, "--epochs", "12"], cwd);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/embedding \[#+\] 100% 144\/144/);
    expect(run.stderr).toMatch(/training \[[#-]+\]/);
    expect(run.stdout).toMatch(/Trained a softmax head on \d+ examples \(\d+ held out/);
    expect(run.stdout).toMatch(/Accuracy: train \d\.\d{3}, validation \d\.\d{3}/);
    expect(run.stdout).toMatch(/Calibration: temperature \d+\.\d+; validation ECE/);
    const path = join(cwd, ".moe-router", "neural", "model.json");
    const head = await loadHead(path);
    expect(head.labels).toHaveLength(12);
    expect(head.embedderId).toMatch(/^hashed-v1/);
    expect(head.metrics!.trainExamples + head.metrics!.validationExamples).toBe(144); // split "train" rows only
  });

  it("routes with the trained model through a config's neural layer", async () => {
    const cwd = tempCwd("moe-train-route-");
    writeFileSync(
      join(cwd, "router.json"),
      JSON.stringify({
        experts: ["alarm_set", "alarm_remove", "alarm_query", "coordinator-master"],
        embedder: { package: "@moe-router/embeddings" },
        layers: [{ package: "@moe-router/layer-neural", threshold: 0.2, options: { modelPath: "models/head.json" } }],
        tracking: { enabled: false },
      }),
    );
    const trained = await runCli(["train", "--config", "router.json", "--data", hwuMini, "--kind", "mlp", "--json", "--seed", "7"], cwd);
    expect(trained.code).toBe(0);
    const summary = JSON.parse(trained.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ kind: "mlp", out: join(cwd, ".moe-router", "models", "head.json") });
    expect(existsSync(summary.out as string)).toBe(true);
    const routed = await runCli(["route", "remove all my alarms", "--config", "router.json", "--no-track"], cwd);
    expect(routed.stderr).toBe("");
    expect(JSON.parse(routed.stdout)).toMatchObject({ master: "alarm_remove", layer: "neural" });
  });

  it("names the fields with --text-field / --label-field and reports bad rows", async () => {
    const cwd = tempCwd("moe-train-fields-");
    writeFileSync(join(cwd, "d.jsonl"), '{"q":"deploy now","intent":"cicd"}\n{"q":"patch cve","intent":"sec"}\n');
    const ok = await runCli(["train", "--data", "d.jsonl", "--text-field", "q", "--label-field", "intent", "--epochs", "3"], cwd);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Calibration: none/);
    const bad = await runCli(["train", "--data", "d.jsonl"], cwd);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/MOE_INVALID_CONFIG.*--text-field/);
  });
});

describe("moe-router train --from-log", () => {
  it("uses corrected outcomes and right routes as labels and skips the rest", async () => {
    const cwd = tempCwd("moe-train-log-");
    const { expected } = writeLog(join(cwd, "events.jsonl"));
    const run = await runCli(["train", "--from-log", "--store", "events.jsonl", "--epochs", "40", "--json"], cwd);
    expect(run.stderr).toMatch(/training/);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as { labels: string[]; sources: string[]; trainExamples: number; validationExamples: number };
    expect(summary.labels).toEqual(["cicd-master", "security-master"]);
    expect(summary.trainExamples + summary.validationExamples).toBe(12);
    expect(summary.sources[0]).toMatch(/12 labelled outcomes, 2 decisions without a usable outcome skipped/);
    const head = await loadHead(join(cwd, ".moe-router", "neural", "model.json"));
    const { hashedEmbedder } = await import("@moe-router/embeddings");
    const embedder = hashedEmbedder();
    expect(head.embedderId).toBe(embedder.id);
    // Too few for a validation split: every example is trained on, and learned.
    expect(summary.validationExamples).toBe(0);
    for (const [text, label] of Object.entries(expected)) expect(head.predict(embedder.embed([text])[0]!).label).toBe(label);
  });
});

describe("moe-router train: usage errors", () => {
  it.each([
    [[], /Nothing to train on/],
    [["--data", "x.jsonl", "--kind", "cnn"], /--kind must be/],
    [["--data", "x.jsonl", "--epochs", "0"], /--epochs must be/],
    [["--data", "missing.jsonl"], /MOE_NOT_FOUND.*--data/],
    [["--from-log", "--store", "empty.jsonl"], /MOE_INSUFFICIENT_DATA|No labelled examples/],
  ])("%j fails with exit code 2", async (args, message) => {
    const cwd = tempCwd("moe-train-err-");
    writeFileSync(join(cwd, "empty.jsonl"), "");
    const run = await runCli(["train", ...args], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});
