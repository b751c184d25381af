/**
 * JSON for values that layers hand back as `details`: usually plain, but a layer may return
 * a circular structure, a BigInt or an object whose getter throws. The fast path is plain
 * JSON.stringify; only when it throws is the value copied through {@link toJsonSafe}.
 */

const MAX_DEPTH = 32;

/** A JSON-serialisable copy: circular references become "[Circular]", BigInt a string, throwing getters "[Unreadable: ...]". */
export function toJsonSafe(value: unknown, ancestors: unknown[] = [], depth = 0): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : null;
    case "bigint":
      return value.toString();
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
  }
  if (ancestors.includes(value)) return "[Circular]";
  if (depth >= MAX_DEPTH) return "[Too deep]";
  const object = value as Record<string, unknown> & { toJSON?: () => unknown };
  try {
    if (typeof object.toJSON === "function") return toJsonSafe(object.toJSON(), ancestors, depth + 1);
  } catch (error) {
    return unreadable(error);
  }
  ancestors.push(value);
  try {
    if (Array.isArray(value)) return value.map((item) => toJsonSafe(item, ancestors, depth + 1) ?? null);
    const copy: Record<string, unknown> = {};
    let keys: string[];
    try {
      keys = Object.keys(object);
    } catch (error) {
      return unreadable(error);
    }
    for (const key of keys) {
      let item: unknown;
      try {
        item = object[key];
      } catch (error) {
        copy[key] = unreadable(error);
        continue;
      }
      const safe = toJsonSafe(item, ancestors, depth + 1);
      if (safe !== undefined) copy[key] = safe;
    }
    return copy;
  } finally {
    ancestors.pop();
  }
}

function unreadable(error: unknown): string {
  return `[Unreadable: ${error instanceof Error ? error.message : String(error)}]`;
}

/** JSON.stringify that never throws: falls back to {@link toJsonSafe} for awkward values. */
export function stringifySafe(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return JSON.stringify(toJsonSafe(value)) ?? "null";
  }
}
