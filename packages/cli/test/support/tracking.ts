import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempCwd } from "./io.js";

/** A project with a tiny deterministic layer module and a config naming it. */
export function trackedProject(tracking: Record<string, unknown> = {}): string {
  const cwd = tempCwd("moe-cli-tracking-");
  writeFileSync(
    join(cwd, "layer.mjs"),
    `export function createLayer() {
  return {
    name: "keyword",
    route(task) {
      const text = task.description.toLowerCase();
      if (text.includes("deploy")) return { expert: "cicd-master", confidence: 0.95, details: { matched_keywords: ["deploy"] } };
      if (text.includes("auth")) return { expert: "security-master", confidence: 0.9 };
      return { expert: "development-master", confidence: 0.3 };
    },
  };
}
`,
  );
  const config = {
    experts: ["security-master", "cicd-master", "inventory-master", "development-master", "coordinator-master"],
    layers: [{ package: "./layer.mjs", threshold: 0.85 }],
    tracking: { store: ".moe-router/events.jsonl", ...tracking },
  };
  writeFileSync(join(cwd, "moe.json"), JSON.stringify(config));
  return cwd;
}

/** The records in a JSONL log. */
export function logRecords(path: string): Array<Record<string, unknown>> {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * Sample records standing in for real traffic: the `synthetic` mark taken off, so analyze,
 * tune, alerts and serve count them as they count a real log (issue 13 keeps marked ones out).
 */
export function asReal<T extends { synthetic?: boolean }>(records: Iterable<T>): T[] {
  return [...records].map((record) => {
    const { synthetic: _mark, ...rest } = record;
    return rest as T;
  });
}
