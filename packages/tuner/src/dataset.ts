import { readFile } from "node:fs/promises";
import { ErrorCode, MoeRouterError } from "@moe-router/core";

/** One labelled text of an evaluation dataset. */
export interface EvalRow {
  readonly text: string;
  readonly label: string;
}

/** Train / validation / test rows of a dataset. */
export interface EvaluationData {
  readonly train: readonly EvalRow[];
  /** Empty when the file has no validation split (evaluate() then carves one from train). */
  readonly val: readonly EvalRow[];
  readonly test: readonly EvalRow[];
}

/** Field and split names of a JSONL dataset (the CLI's --label-field, --train-split, ...). */
export interface LoadDatasetOptions {
  /** Default "text". */
  readonly textField?: string;
  /** Default "label". */
  readonly labelField?: string;
  /** Default "split". */
  readonly splitField?: string;
  /** Default "train". */
  readonly trainSplit?: string;
  /** Default "val". */
  readonly valSplit?: string;
  /** Default "test". */
  readonly testSplit?: string;
}

/** What {@link parseEvaluationData} found besides the rows. */
export interface LoadedDataset extends EvaluationData {
  /** Rows per value of the split field (all of them, used or not). */
  readonly splitCounts: Readonly<Record<string, number>>;
  /** Rows skipped for an empty text. */
  readonly skipped: number;
}

/**
 * Parses JSONL dataset text (`{ text, label, split }` per line, as in fixtures/datasets and
 * ../shared/datasets). Throws coded errors naming the line and the flag to fix.
 */
export function parseEvaluationData(text: string, options: LoadDatasetOptions = {}, source = "dataset"): LoadedDataset {
  const textField = options.textField ?? "text";
  const labelField = options.labelField ?? "label";
  const splitField = options.splitField ?? "split";
  const names = { train: options.trainSplit ?? "train", val: options.valSplit ?? "val", test: options.testSplit ?? "test" };
  const train: EvalRow[] = [];
  const val: EvalRow[] = [];
  const test: EvalRow[] = [];
  const splitCounts: Record<string, number> = {};
  let skipped = 0;
  const lines = text.split("\n");
  lines.forEach((line, index) => {
    if (!line.trim()) return;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(line) as Record<string, unknown>;
    } catch (error) {
      throw new MoeRouterError(
        ErrorCode.CORRUPT_FILE,
        `${source} line ${index + 1} is not valid JSON (${(error as Error).message}). Each line must be one object such as {"text": "...", "label": "...", "split": "train"}.`,
        { cause: error },
      );
    }
    const label = row[labelField];
    if (typeof label !== "string" && typeof label !== "number") {
      throw new MoeRouterError(ErrorCode.INVALID_CONFIG, `${source} line ${index + 1} has no "${labelField}" field (fields: ${Object.keys(row).join(", ")}). Name the label field with --label-field.`);
    }
    const split = String(row[splitField] ?? "");
    splitCounts[split] = (splitCounts[split] ?? 0) + 1;
    const value = row[textField];
    if (typeof value !== "string" || !value.trim()) {
      skipped++;
      return;
    }
    const entry = { text: value, label: String(label) };
    if (split === names.train) train.push(entry);
    else if (split === names.val) val.push(entry);
    else if (split === names.test) test.push(entry);
  });
  const found =
    Object.entries(splitCounts)
      .map(([name, count]) => `${name || "(none)"}: ${count}`)
      .join(", ") || "no rows";
  if (train.length === 0)
    throw new MoeRouterError(ErrorCode.INSUFFICIENT_DATA, `${source} has no "${names.train}" rows to learn from (splits found: ${found}). Name the training split with --train-split.`);
  if (test.length === 0) throw new MoeRouterError(ErrorCode.INSUFFICIENT_DATA, `${source} has no "${names.test}" rows to evaluate on (splits found: ${found}). Name the test split with --test-split.`);
  return { train, val, test, splitCounts, skipped };
}

/** Reads and parses a JSONL dataset file (see {@link parseEvaluationData}). */
export async function loadEvaluationData(path: string, options: LoadDatasetOptions = {}): Promise<LoadedDataset> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new MoeRouterError(ErrorCode.NOT_FOUND, `Cannot read dataset ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Check the --data path.`, { cause: error });
  }
  return parseEvaluationData(text, options, path);
}
