import { LogFiles } from "./internal/log-files.js";

/**
 * Every file of a (possibly rotated) JSONL log, oldest first: the base file
 * (`events.jsonl`) when it exists, then `events-2026-11.jsonl`, `events-2026-11.1.jsonl`,
 * `events.1.jsonl`... The naming is the JSONL store's own, so callers that look for a log
 * (the CLI's `analyze`) need not re-parse it. Empty when the directory does not exist.
 * @param path the log file as configured (e.g. "/srv/.moe-router/events.jsonl").
 */
export async function listLogFiles(path: string): Promise<string[]> {
  return (await new LogFiles(path).list()).map((file) => file.path);
}
