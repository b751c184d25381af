/**
 * JSON for values that layers hand back as `details` and callers as task metadata: usually
 * plain, but a layer may return a circular structure, a BigInt or an object whose getter
 * throws. The fast path is plain JSON.stringify; only when it throws is the value copied
 * through {@link toJsonSafe}.
 */

const MAX_DEPTH = 32;

/**
 * A JSON-serialisable copy of `value`: a circular reference becomes "[Circular]", a BigInt
 * its decimal string, a getter that throws "[Unreadable: <message>]", a non-finite number
 * null; functions and symbols are left out (as JSON.stringify does), nesting stops at 32.
 */
export function toJsonSafe(value: unknown): unknown {
  return copy(value, [], 0);
}

function copy(value: unknown, ancestors: unknown[], depth: number): unknown {
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
    if (typeof object.toJSON === "function") return copy(object.toJSON(), ancestors, depth + 1);
  } catch (error) {
    return unreadable(error);
  }
  ancestors.push(value);
  try {
    if (Array.isArray(value)) return value.map((item) => copy(item, ancestors, depth + 1) ?? null);
    const result: Record<string, unknown> = {};
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
        result[key] = unreadable(error);
        continue;
      }
      const safe = copy(item, ancestors, depth + 1);
      if (safe !== undefined) result[key] = safe;
    }
    return result;
  } finally {
    ancestors.pop();
  }
}

function unreadable(error: unknown): string {
  return `[Unreadable: ${error instanceof Error ? error.message : String(error)}]`;
}

/** JSON.stringify that never throws: falls back to {@link toJsonSafe} for awkward values. */
export function stringifyJsonSafe(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return JSON.stringify(toJsonSafe(value)) ?? "null";
  }
}
