import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh temporary directory. */
export function tempDir(prefix = "moe-router-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The experts every test project declares. */
export const EXPERTS = ["security-master", "cicd-master", "inventory-master", "development-master", "coordinator-master"];

/**
 * A deterministic keyword-like layer module (no dependencies): "deploy" -> cicd 0.95,
 * "auth" -> security 0.9, anything else development 0.3. It can learn: a learned text routes to
 * its expert at 0.99, and the learned texts persist in `<dataDir>/toy-learned.json`.
 */
export const TOY_LAYER = `import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
export function createLayer(options, environment) {
  const file = join(environment.dataDir, "toy-learned.json");
  let learned = {};
  try { learned = JSON.parse(readFileSync(file, "utf8")); } catch {}
  return {
    name: options.name ?? "toy",
    capabilities: { learn: true },
    route(task) {
      const text = task.description.toLowerCase();
      if (learned[text]) return { expert: learned[text], confidence: 0.99 };
      if (text.includes("deploy")) return { expert: "cicd-master", confidence: 0.95 };
      if (text.includes("auth")) return { expert: "security-master", confidence: 0.9 };
      return { expert: "development-master", confidence: 0.3 };
    },
    learn(examples) {
      for (const e of examples) learned[e.text.toLowerCase()] = e.expert;
      mkdirSync(environment.dataDir, { recursive: true });
      writeFileSync(file, JSON.stringify(learned));
    },
  };
}
`;

/** A project directory with the toy layer and a config (moe.json) naming it. */
export function toyProject(config: Record<string, unknown> = {}): { cwd: string; configPath: string } {
  const cwd = tempDir();
  writeFileSync(join(cwd, "toy-layer.mjs"), TOY_LAYER);
  const configPath = join(cwd, "moe.json");
  writeFileSync(configPath, JSON.stringify({ experts: EXPERTS, layers: [{ package: "./toy-layer.mjs", threshold: 0.85 }], tracking: { store: ".moe-router/events.jsonl" }, ...config }));
  return { cwd, configPath };
}

/** Lines written to a logger. */
export function captureLogger(): { warn: (line: string) => void; info: (line: string) => void; lines: string[] } {
  const lines: string[] = [];
  return { warn: (line) => void lines.push(line), info: (line) => void lines.push(line), lines };
}
