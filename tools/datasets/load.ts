import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** One row of the evaluation datasets. */
export interface DatasetRow {
  readonly text: string;
  readonly label: string;
  readonly group?: string;
  readonly split: string;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Directory of the full datasets: $MOE_DATASETS_DIR or ../shared/datasets next to the repo. */
export function datasetsDir(): string {
  return process.env.MOE_DATASETS_DIR ?? resolve(repoRoot, "../shared/datasets");
}

/** Path of a full dataset ("banking77" | "hwu64"), or undefined when it is not on this machine. */
export function fullDatasetPath(name: "banking77" | "hwu64"): string | undefined {
  const path = join(datasetsDir(), name, `${name}.jsonl`);
  return existsSync(path) ? path : undefined;
}

/**
 * Path of the committed mini subset used by tests.
 * @public (a helper for measurement scripts; nothing in the repository calls it today)
 */
export function miniDatasetPath(name: "banking77" | "hwu64"): string {
  return join(repoRoot, "fixtures/datasets", `${name}-mini.jsonl`);
}

/** Reads a JSONL dataset file. */
export function readDataset(path: string): DatasetRow[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as DatasetRow);
}

/** Rows of one split. */
export function split(rows: readonly DatasetRow[], name: string): DatasetRow[] {
  return rows.filter((row) => row.split === name);
}
