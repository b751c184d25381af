import { readFile } from "node:fs/promises";
import { ErrorCode, MoeRouterError } from "@moe-router/core";

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new MoeRouterError(ErrorCode.STORE_FAILED, `Cannot read ${path}: ${(error as Error).message}. Check its permissions.`, { cause: error });
  }
}

function parsedObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function foreign(path: string, what: string, setting: string): MoeRouterError {
  return new MoeRouterError(
    ErrorCode.FOREIGN_FILE,
    `${path} exists and is not ${what}, so it was left untouched. Point ${setting} at a new path (or the thresholds file \`moe-router tune\` wrote), or move that file away.`,
    { data: { path } },
  );
}

/**
 * True for text that is recognisably a thresholds file, even a damaged one: a JSON object
 * with a `thresholds` map or the file's `version` and `updated_at`, or (hand-edited into
 * invalid JSON) an object text with a "thresholds" key.
 */
function looksLikeThresholdsFile(text: string): boolean {
  const object = parsedObject(text);
  if (!object) return text.trimStart().startsWith("{") && /"thresholds"\s*:/.test(text);
  return (object.thresholds !== null && typeof object.thresholds === "object") || ("version" in object && "updated_at" in object);
}

/** True for text whose first line is a history entry (`time` and `action`). */
function looksLikeHistory(text: string): boolean {
  const first = text.split("\n").find((line) => line.trim() !== "");
  if (first === undefined) return true;
  const object = parsedObject(first);
  return object !== undefined && typeof object.time === "string" && typeof object.action === "string";
}

/**
 * Refuses to replace or append to a file that moe-router did not write: a thresholds path
 * holding other content (a config typo pointing `thresholdsFile` at someone's data), or a
 * history path holding something else. Missing and empty files are fine; a damaged
 * thresholds file is still ours and may be replaced.
 * @throws MoeRouterError FOREIGN_FILE naming the file, before anything is written.
 */
export async function checkOwnFiles(thresholdsPath: string, historyPath: string): Promise<void> {
  const thresholds = await readIfPresent(thresholdsPath);
  if (thresholds !== undefined && thresholds.trim() !== "" && !looksLikeThresholdsFile(thresholds)) {
    throw foreign(thresholdsPath, "a moe-router thresholds file", "thresholdsFile in the config");
  }
  const history = await readIfPresent(historyPath);
  if (history !== undefined && !looksLikeHistory(history)) {
    throw foreign(historyPath, "a moe-router thresholds history (JSON lines with time and action)", "thresholdsFile (the history lives beside it)");
  }
}
