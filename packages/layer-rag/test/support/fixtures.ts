/** Test helpers: the committed mini datasets and a table-driven embedder for exact geometry. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Embedder, LabelledExample } from "@moe-router/core";

/** Rows of a committed mini dataset (fixtures/datasets/<name>-mini.jsonl). */
export function miniDataset(name: "banking77" | "hwu64"): { train: LabelledExample[]; test: LabelledExample[] } {
  const path = fileURLToPath(new URL(`../../../../fixtures/datasets/${name}-mini.jsonl`, import.meta.url));
  const rows = readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { text: string; label: string; split: string });
  const pick = (split: string) => rows.filter((r) => r.split === split).map((r) => ({ text: r.text, expert: r.label, source: "dataset" as const }));
  return { train: pick("train"), test: pick("test") };
}

/** An embedder that returns the vector listed for each text (zero vector for unknown texts). */
export function tableEmbedder(table: Record<string, readonly number[]>, dimension = 4): Embedder {
  return {
    id: "table-embedder",
    dimension,
    embed: (texts) => texts.map((t) => Float32Array.from(table[t] ?? new Array(dimension).fill(0))),
  };
}

/** A few labelled tasks the conformance runs start from (the kit then adds its own via learn()). */
export const SEED_TASKS: readonly LabelledExample[] = [
  { text: "Fix authentication bug in login system", expert: "development-master" },
  { text: "Deploy API to production", expert: "cicd-master" },
  { text: "Audit the payment service for vulnerabilities", expert: "security-master" },
  { text: "List every dependency of the web app", expert: "inventory-master" },
];
