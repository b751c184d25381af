import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { LabelledExample } from "@moe-router/core";

/** Train and test examples of a committed mini dataset (12 labels, 12 train + 5 test rows each). */
export function miniExamples(name: "banking77" | "hwu64"): { train: LabelledExample[]; test: LabelledExample[] } {
  const path = fileURLToPath(new URL(`../../../../fixtures/datasets/${name}-mini.jsonl`, import.meta.url));
  const rows = readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as { text: string; label: string; split: string });
  const pick = (split: string) => rows.filter((row) => row.split === split).map((row) => ({ text: row.text, expert: row.label, source: "dataset" as const }));
  return { train: pick("train"), test: pick("test") };
}
