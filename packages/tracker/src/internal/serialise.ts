import { toJsonSafe } from "@moe-router/core";

/**
 * One record as JSON. A record JSON.stringify refuses (circular layer details, a BigInt in
 * metadata, a getter that throws) is stored as its JSON-safe copy rather than lost.
 */
export function serialise(record: unknown): string {
  try {
    return JSON.stringify(record);
  } catch {
    return JSON.stringify(toJsonSafe(record));
  }
}
